"""答疑 on a listing: ask (vendors), answer (organisers, and factories when allowed), and the
organiser's setting. A refused or invalid submit shows the listing page again with the typed
text and the reason (4xx)."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth import organiser_required
from ..errors import DomainError
from ..extensions import db
from ..formtools import apply_errors
from . import questions
from .blueprint import bp
from .forms import AnswerForm, QaSettingsForm, QuestionForm
from .models import Listing, ListingQuestion
from .public_views import render_listing


def _back(listing: Listing):
    return redirect(url_for("competitions.listing", listing_id=listing.id, _anchor="qa"))


@bp.post("/listings/<int:listing_id>/questions")
@login_required
def ask_question(listing_id: int):
    listing = db.get_or_404(Listing, listing_id)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            questions.ask(current_user, listing, form.body.data)
        except DomainError as err:
            apply_errors(form, err)
            return render_listing(listing, ask_form=form, status=err.status)
        flash(_("问题已提交。回答后将在本页公布，提问方不公开。"), "success")
        return _back(listing)
    return render_listing(listing, ask_form=form, status=422)


@bp.post("/questions/<int:question_id>/answer")
@login_required
def answer_question(question_id: int):
    question = db.get_or_404(ListingQuestion, question_id)
    listing = question.listing
    if question not in questions.visible(current_user, listing):
        abort(404)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            changed = questions.answer(current_user, question, form.answer.data, form.private.data)
        except DomainError as err:
            apply_errors(form, err)
            return render_listing(listing, answer_form=(question.id, form), status=err.status)
        flash(_("回答已发布。") if changed else _("该回答已发布过。"), "success")
        return _back(listing)
    return render_listing(listing, answer_form=(question.id, form), status=422)


@bp.post("/console/listings/<int:listing_id>/qa")
@organiser_required
def qa_settings(listing_id: int):
    listing = db.get_or_404(Listing, listing_id)
    form = QaSettingsForm()
    if form.validate_on_submit():
        questions.set_factory_answers(current_user, listing, form.factory_answers.data)
        flash(_("答疑设置已保存。"), "success")
    return redirect(url_for("competitions.console_listing", listing_id=listing.id))
