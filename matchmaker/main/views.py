from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import text

from ..extensions import db
from ..i18n import set_locale
from ..nav import add_nav_link
from ..needs.access import owner_label
from ..scenarios.services import taxonomy_names
from ..search.published import parse_facets, run_search
from ..urls import is_safe_redirect
from .home import home_page

bp = Blueprint("main", __name__)
add_nav_link("main.search", _l("搜索"), order=35, icon="search")


@bp.get("/")
def index():
    return render_template(
        "main/index.html",
        home=home_page(current_user),
        locale=str(get_locale()),
        owner_label=lambda need: owner_label(current_user, need),
    )


@bp.get("/lang/<code>")
def switch_language(code: str):
    if not set_locale(code):
        abort(404)
    target = request.args.get("next")
    return redirect(target if is_safe_redirect(target) else url_for("main.index"))


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico before reading the page's <link rel="icon">."""
    response = current_app.send_static_file("favicon.ico")
    response.cache_control.max_age = 7 * 24 * 3600
    response.cache_control.public = True
    return response


@bp.get("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.get("/search")
def search():
    """Free-text search over published needs and offerings (`?q=`)."""
    page = run_search(request.args.get("q"), parse_facets(request.args))
    return render_template("main/search.html", page=page, taxonomy_names=taxonomy_names())
