from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, render_template, request, url_for
from sqlalchemy import text

from ..extensions import db
from ..i18n import set_locale

bp = Blueprint("main", __name__)


def is_safe_redirect(target: str | None) -> bool:
    """Only same-site relative paths are followed after login or a language switch."""
    if not target:
        return False
    parts = urlsplit(target)
    return (
        not parts.scheme
        and not parts.netloc
        and target.startswith("/")
        and not target.startswith("//")
    )


@bp.get("/")
def index():
    return render_template("main/index.html")


@bp.get("/lang/<code>")
def switch_language(code: str):
    if not set_locale(code):
        abort(404)
    target = request.args.get("next")
    return redirect(target if is_safe_redirect(target) else url_for("main.index"))


@bp.get("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
