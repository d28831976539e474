"""The organiser's review queue of submitted needs."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth import organiser_required
from ..errors import ValidationFailed
from ..formtools import apply_errors
from ..nav import add_nav_link
from . import approval
from .blueprint import bp, load_visible
from .forms import ReasonForm

add_nav_link(
    "needs.review_queue",
    _l("需求审核"),
    visible=lambda user: user.is_organiser,
    order=850,
    section="console",
    icon="checklist",
)

ACTIONS = {
    "approve": (approval.approve_need, _l("已发布需求“%(title)s”。")),
    "return": (approval.return_need, _l("已将需求“%(title)s”退回修改。")),
    "reject": (approval.reject_need, _l("已驳回需求“%(title)s”。")),
}


def _queue_page(form=None, failed_id=None, status=200):
    page = render_template(
        "needs/review.html",
        needs=approval.review_queue(current_user),
        form=form or ReasonForm(formdata=None),
        failed_id=failed_id,
    )
    return page, status


@bp.get("/needs/review")
@organiser_required
def review_queue():
    return _queue_page()


@bp.post("/needs/<int:need_id>/review/<any(approve, return, reject):action>")
@organiser_required
def review_action(need_id: int, action: str):
    need = load_visible(need_id)
    form = ReasonForm()
    service, message = ACTIONS[action]
    if form.validate_on_submit():
        try:
            service(current_user, need, form.comment.data)
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            flash(str(message) % {"title": need.title}, "success")
            return redirect(url_for("needs.review_queue"))
    return _queue_page(form, failed_id=need.id, status=422)
