"""The OpenAPI document and the rendered documentation page (Swagger UI).

Swagger UI's JavaScript and CSS come from the `flask-openapi3-swagger` wheel and are served by
the app itself (no CDN); the page's own start-up code is `static/js/apidocs.js`, so the
Content-Security-Policy keeps forbidding inline scripts.
"""

from __future__ import annotations

import os

import flask_openapi3_swagger
from flask import Blueprint, jsonify, render_template

from . import spec
from .blueprint import TAGS, api

SWAGGER_ASSETS = os.path.join(
    os.path.dirname(flask_openapi3_swagger.__file__), "templates", "swagger"
)

bp = Blueprint(
    "api_docs",
    __name__,
    url_prefix="/api/v1",
    static_folder=SWAGGER_ASSETS,
    static_url_path="/docs/assets",
)
_document: dict | None = None


def document() -> dict:
    global _document
    if _document is None:
        _document = spec.build(api, list(TAGS.values()))
    return _document


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(document())


@bp.get("/docs")
def docs():
    return render_template("api/docs.html")
