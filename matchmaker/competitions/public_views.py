"""Public pages: rounds, listings, the publicity (公示) page and filing an objection."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..formtools import apply_errors
from ..solvers.queries import published_counts
from . import access, applications, caps, disclosure, publicity, questions, rounds, stages
from .blueprint import bp
from .forms import AnswerForm, ObjectionForm, QuestionForm
from .models import Listing, Round


@bp.get("/")
def index():
    return render_template("competitions/index.html", rounds=rounds.all_rounds())


@bp.get("/<int:round_id>")
def round_page(round_id: int):
    return render_template("competitions/round.html", round=db.get_or_404(Round, round_id))


@bp.get("/listings/<int:listing_id>")
def listing(listing_id: int):
    return render_listing(db.get_or_404(Listing, listing_id))


def render_listing(item: Listing, ask_form=None, answer_form=None, status: int = 200):
    """The listing page; a failed 答疑 submit passes its form back (`answer_form` is
    (question id, form)) so that the typed text and the reason show where they were typed."""
    awards = [
        a
        for a in publicity.awards_of(item)
        if access.can_view_delivery(current_user, item, a.application)
    ]
    failed_id, failed_form = answer_form or (None, None)
    page = render_template(
        "competitions/listing.html",
        listing=item,
        awards=awards,
        shown=disclosure.for_viewer(current_user, item),
        questions=questions.visible(current_user, item),
        can_ask=questions.can_ask(current_user, item),
        can_answer=questions.can_answer(current_user, item),
        ask_form=ask_form or QuestionForm(formdata=None),
        answer_form_for=lambda q: _answer_form(q.id, failed_form if q.id == failed_id else None),
        **_mine(item),
    )
    return page, status


def _answer_form(question_id: int, form: AnswerForm | None = None) -> AnswerForm:
    """One answer form per question on the page: its inputs get ids of their own, so that
    each label points at its own input."""
    form = form or AnswerForm(formdata=None)
    for field in (form.answer, form.private):
        field.id = field.label.field_id = f"{field.name}-{question_id}"
    return form


def _mine(listing: Listing) -> dict:
    """For a vendor: its live application to the listing, or why it cannot apply now."""
    if not current_user.is_vendor_member:
        return {}
    org_id = current_user.organisation_id
    mine = caps.live_application(listing.id, org_id)
    has_offering = published_counts([org_id]).get(org_id, 0) > 0
    return {
        "my_application": mine,
        "apply_reason": applications.apply_blocker(current_user, listing, has_offering),
    }


PUBLICITY_STAGES = (stages.PUBLICITY, stages.AWARDED, stages.IN_DELIVERY, stages.ACCEPTED)


@bp.get("/listings/<int:listing_id>/publicity")
def publicity_page(listing_id: int):
    item = db.get_or_404(Listing, listing_id)
    if item.stage not in PUBLICITY_STAGES:
        abort(404)
    return _publicity_page(item, ObjectionForm(formdata=None))


def _publicity_page(item: Listing, form: ObjectionForm, status: int = 200):
    """The 公示 page, with the objection form as posted (422: its errors, the reason kept)."""
    winners = publicity.proposed_winners(item)
    return render_template(
        "competitions/publicity.html", listing=item, winners=winners, form=form
    ), status


@bp.post("/listings/<int:listing_id>/objections")
@login_required
def file_objection(listing_id: int):
    item = db.get_or_404(Listing, listing_id)
    form = ObjectionForm()
    if form.validate_on_submit():
        try:
            publicity.file_objection(current_user, item, form.reason.data)
        except ValidationFailed as err:
            apply_errors(form, err)
        except DomainError as err:
            flash(err.message, "error")
            return redirect(url_for("competitions.publicity_page", listing_id=item.id))
        else:
            flash(_("异议已提交，主办方将处理并回复。"), "success")
            return redirect(url_for("competitions.publicity_page", listing_id=item.id))
    if item.stage not in PUBLICITY_STAGES:
        abort(404)
    return _publicity_page(item, form, 422)
