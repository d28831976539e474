"""Public notice pages (/notices) and the organiser's console for them (/notices/console)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from .. import clock
from ..auth import organiser_required
from ..competitions.forms import to_utc
from ..competitions.rounds import all_rounds
from ..errors import ValidationFailed
from ..extensions import db
from ..files.downloads import owned_or_404, send_attachment
from ..formtools import apply_errors, render_form_page
from ..matchdays.queries import public_days
from ..nav import add_nav_link
from ..numbers import int_arg
from . import services
from .forms import NOW, SCHEDULED, NoticeForm
from .models import ATTACHMENT_OWNER, Notice

bp = Blueprint("notices", __name__, url_prefix="/notices")
add_nav_link("notices.index", _l("通知公告"), order=32, icon="speakerphone")

add_nav_link(
    "notices.console",
    _l("通知公告"),
    visible=lambda u: u.is_organiser,
    order=865,
    section="console",
    icon="speakerphone",
)


@bp.record_once
def _globals(state) -> None:
    state.app.add_template_global(services.latest, "latest_notices")
    state.app.add_template_global(services.for_round, "round_notices")


def _visible_or_404(notice_id: int) -> Notice:
    notice = db.get_or_404(Notice, notice_id)
    if not services.visible_to(current_user, notice):
        abort(404)
    return notice


@bp.get("/")
def index():
    number = int_arg(request.args, "page") or 1
    page = services.public_page(number)
    if number > page.pages:
        abort(404)
    # Matchmaking days are announced here too (issue 20): the upcoming published ones, above
    # the first page of notices.
    upcoming = public_days()[0] if number == 1 else []
    return render_template("notices/index.html", page=page, matchdays=upcoming)


@bp.get("/<int:notice_id>")
def page(notice_id: int):
    notice = _visible_or_404(notice_id)
    return render_template(
        "notices/page.html", notice=notice, files=services.attachments_of(notice)
    )


@bp.get("/<int:notice_id>/files/<int:attachment_id>")
def file(notice_id: int, attachment_id: int):
    notice = _visible_or_404(notice_id)
    return send_attachment(owned_or_404(ATTACHMENT_OWNER, notice.id, attachment_id))


# The organiser's console


@bp.get("/console")
@organiser_required
def console():
    return render_template("notices/console.html", notices=services.all_notices())


def _form(notice: Notice | None = None) -> NoticeForm:
    form = NoticeForm(obj=notice) if notice and request.method == "GET" else NoticeForm()
    form.round_id.choices = [SelectChoice(0, _("不关联"))] + [
        SelectChoice(r.id, r.name) for r in all_rounds()
    ]
    if notice is not None and request.method == "GET":
        form.round_id.data = notice.round_id or 0
        form.mode.data = (
            "now" if notice.is_public else ("scheduled" if notice.is_scheduled else "draft")
        )
        if notice.publish_at is not None:
            form.publish_at.data = notice.publish_at.astimezone(clock.LOCAL_TZ).replace(tzinfo=None)
    return form


def _data(form: NoticeForm, notice: Notice | None) -> services.NoticeData:
    if form.mode.data == NOW:
        keep = notice is not None and notice.is_public
        publish_at = notice.publish_at if keep else clock.now()
    elif form.mode.data == SCHEDULED:
        publish_at = to_utc(form.publish_at.data)
    else:
        publish_at = None
    return services.NoticeData(
        title=form.title.data or "",
        body=form.body.data or "",
        round_id=form.round_id.data or None,
        publish_at=publish_at,
    )


def _edit_page(form: NoticeForm, notice: Notice | None):
    if form.validate_on_submit():
        try:
            saved = services.save_notice(
                current_user, _data(form, notice), request.files.getlist("files"), notice
            )
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            flash(_("公告已保存。"), "success")
            return redirect(url_for("notices.edit", notice_id=saved.id))
    files = services.attachments_of(notice) if notice else []
    return render_form_page("notices/form.html", form, notice=notice, files=files)


@bp.route("/console/new", methods=["GET", "POST"])
@organiser_required
def new():
    return _edit_page(_form(), None)


@bp.route("/console/<int:notice_id>/edit", methods=["GET", "POST"])
@organiser_required
def edit(notice_id: int):
    notice = db.get_or_404(Notice, notice_id)
    return _edit_page(_form(notice), notice)


@bp.post("/console/<int:notice_id>/withdraw")
@organiser_required
def withdraw(notice_id: int):
    notice = db.get_or_404(Notice, notice_id)
    if services.withdraw(current_user, notice):
        flash(_("公告已撤回为草稿，公众不再可见。"), "success")
    else:
        flash(_("该公告已是草稿。"), "info")
    return redirect(url_for("notices.edit", notice_id=notice.id))


@bp.post("/console/<int:notice_id>/files/<int:attachment_id>/delete")
@organiser_required
def delete_file(notice_id: int, attachment_id: int):
    notice = db.get_or_404(Notice, notice_id)
    if services.remove_attachment(current_user, notice, attachment_id):
        flash(_("附件已删除。"), "success")
    else:
        abort(404)
    return redirect(url_for("notices.edit", notice_id=notice.id))
