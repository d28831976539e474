"""`/api/v1`: JSON over the same services as the pages, with an OpenAPI 3.1 document.

- `blueprint`: the APIBlueprint, bearer-token authentication, paging and response helpers.
- `*_views`: the operations (taxonomy and search, needs, offerings, rounds).
- `spec`: the OpenAPI document; `docs`: `/api/v1/openapi.json` and the Swagger UI page.
"""

from __future__ import annotations

from flask import Flask, jsonify
from flask_babel import gettext as _
from pydantic import ValidationError

from ..extensions import csrf
from .blueprint import api, field_message


def validation_error_response(error: ValidationError):
    """flask-openapi3's hook for a request that fails its pydantic model: 422 naming the fields."""
    fields: dict[str, list[str]] = {}
    for item in error.errors(include_url=False, include_input=False):
        name = ".".join(str(part) for part in item["loc"]) or "body"
        fields.setdefault(name, []).append(field_message(item))
    body = {
        "error": {"code": "validation_failed", "message": _("提交的内容有误。"), "fields": fields}
    }
    response = jsonify(body)
    response.status_code = 422
    return response


def init_app(app: Flask) -> None:
    from . import docs, needs_views, offerings_views, rounds_views, taxonomy_views  # noqa: F401

    # flask-openapi3 reads its validation hook from the app (an `OpenAPI` app has it built in).
    app.validation_error_callback = validation_error_response
    csrf.exempt(api)  # bearer tokens only, never the session cookie: see blueprint.py
    app.register_blueprint(api)
    app.register_blueprint(docs.bp)
