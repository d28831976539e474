"""The organiser's review queue: approve, return with comments, reject, or retire offerings."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import organiser_required
from ..errors import ValidationFailed
from ..extensions import db
from ..formtools import apply_errors
from . import lifecycle, offerings, profiles, queries
from .blueprint import bp
from .forms import CommentForm
from .models import Offering

REVIEW_ACTIONS = {
    "approve": lifecycle.approve_offering,
    "return": lifecycle.return_offering,
    "reject": lifecycle.reject_offering,
    "retire": lifecycle.retire_offering,
}


@bp.get("/console/offerings/")
@organiser_required
def review_queue():
    return render_template("solvers/review_queue.html", offerings=queries.review_queue())


def _detail_page(offering: Offering, form=None, status: int = 200):
    page = render_template(
        "solvers/review_detail.html",
        offering=offering,
        attachments=offerings.offering_attachments(offering),
        profile=profiles.profile_of(offering.organisation),
        form=form or CommentForm(formdata=None),
    )
    return page, status


@bp.get("/console/offerings/<int:offering_id>")
@organiser_required
def review_detail(offering_id: int):
    return _detail_page(db.get_or_404(Offering, offering_id))


@bp.post("/console/offerings/<int:offering_id>/<action>")
@organiser_required
def review_action(offering_id: int, action: str):
    service = REVIEW_ACTIONS.get(action)
    if service is None:
        abort(404)
    offering = db.get_or_404(Offering, offering_id)
    form = CommentForm()
    if not form.validate_on_submit():
        return _detail_page(offering, form, 422)
    try:
        service(current_user, offering, form.comment.data or "")
    except ValidationFailed as err:
        apply_errors(form, err)
        return _detail_page(offering, form, 422)
    flash(_("已处理方案“%(title)s”。", title=offering.title), "success")
    return redirect(url_for("solvers.review_queue"))
