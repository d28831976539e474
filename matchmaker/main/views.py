from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import text

from ..auth import require
from ..extensions import db
from ..i18n import current_locale, set_locale
from ..matchdays.queries import open_days as open_matchdays
from ..nav import add_nav_link
from ..needs.access import owner_label
from ..scenarios.services import taxonomy_names
from ..urls import is_safe_redirect
from . import judgments
from .forms import JudgeForm
from .home import home_page
from .search_page import parse_facets, run_search

bp = Blueprint("main", __name__)
add_nav_link("main.search", _l("搜索"), order=35, icon="search")


@bp.get("/")
def index():
    return render_template(
        "main/index.html",
        home=home_page(current_user),
        matchdays=open_matchdays(),
        locale=current_locale(),
        owner_label=lambda need: owner_label(current_user, need),
    )


@bp.get("/lang/<code>")
def switch_language(code: str):
    if not set_locale(code):
        abort(404)
    if current_user.is_authenticated and current_user.locale != code:
        current_user.locale = code  # notifications and mails follow the reader's language
        db.session.commit()
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


_JUDGED = {
    "irrelevant": _l("已标记为不相关，今后不再向您推荐。可在本页下方撤销。"),
    "contacted": _l("已记录为已联系，谢谢反馈。"),
    judgments.UNDO: _l("已撤销标记。"),
}


@bp.post("/recommendations/<int:need_id>/<int:offering_id>/judgment")
@require("is_authenticated")
def judge(need_id: int, offering_id: int):
    """不相关 / 已联系 (or 撤销) on one recommended pair, from the page that showed it."""
    form = JudgeForm()
    if not form.validate_on_submit():
        abort(400, _("页面已过期，请刷新后重试。"))
    side, verdict = judgments.judge(current_user, need_id, offering_id, form.verdict.data)
    flash(str(_JUDGED[verdict]), "success")
    target = form.next.data
    if is_safe_redirect(target):
        return redirect(target)
    if side == "need":
        return redirect(url_for("needs.detail", need_id=need_id, _anchor="matches"))
    return redirect(url_for("solvers.matching_needs"))
