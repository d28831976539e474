"""公示, 挂帅, 攻关 and 验收 pages: the organiser's actions and the shared delivery page."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth import organiser_required
from ..errors import DomainError
from ..extensions import db
from ..numbers import as_id, int_arg
from . import delivery, publicity, rectification
from .blueprint import attachments, award_or_404, back_to_console, bp, flash_result
from .console_views import console_listing_page
from .forms import (
    ActionForm,
    EvidenceForm,
    MidtermForm,
    RectificationForm,
    RectificationReportForm,
    ResolveForm,
    ReturnMilestoneForm,
    parse_decimal,
    parse_float,
)
from .models import Listing, Milestone, Objection, Rectification


@bp.post("/console/listings/<int:listing_id>/publicity")
@organiser_required
def start_publicity(listing_id: int):
    listing = db.get_or_404(Listing, listing_id)
    if ActionForm().validate_on_submit():
        chosen = [i for i in map(as_id, request.form.getlist("winner_ids")) if i is not None]
        call = lambda: publicity.start_publicity(current_user, listing, chosen or None)  # noqa: E731
        flash_result(call, _("公示已开始。"))
    return back_to_console(listing)


@bp.post("/console/objections/<int:objection_id>")
@organiser_required
def resolve_objection(objection_id: int):
    objection = db.get_or_404(Objection, objection_id)
    listing = db.get_or_404(Listing, objection.listing_id)
    form = ResolveForm()
    if not form.validate_on_submit():
        return console_listing_page(listing, status=422, failed=("objection", objection.id, form))
    upheld = form.upheld.data == "1"
    try:
        done = publicity.resolve_objection(current_user, objection, upheld, form.note.data)
    except DomainError as err:
        db.session.rollback()
        flash(err.summary, "error")
        return console_listing_page(listing, status=err.status)
    if done:
        flash(_("异议已处理。"), "success")
    else:
        flash(_("该异议已按同样的结论处理过；本次提交未作更改。"), "info")
    return back_to_console(listing)


def _award_terms(listing: Listing) -> list[publicity.AwardTerms]:
    terms = []
    for app in publicity.proposed_winners(listing):
        value = parse_decimal(request.form.get(f"contract_{app.id}"))
        start = request.form.get(f"start_{app.id}", "")
        if value is None:
            continue
        try:
            start_date = date.fromisoformat(start)
        except ValueError:
            continue
        beneficiary = int_arg(request.form, f"beneficiary_{app.id}")
        terms.append(publicity.AwardTerms(app.id, value, start_date, beneficiary))
    return terms


@bp.post("/console/listings/<int:listing_id>/award")
@organiser_required
def award(listing_id: int):
    listing = db.get_or_404(Listing, listing_id)
    if ActionForm().validate_on_submit():
        terms = _award_terms(listing)
        flash_result(lambda: publicity.award(current_user, listing, terms), _("挂帅单位已确定。"))
    return back_to_console(listing)


def keep_errors(form, err: DomainError):
    """Show a service's field errors beside the fields, with what was typed."""
    for name, messages in getattr(err, "fields", {}).items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, *messages]
    return form


def render_award(record, status: int = 200, **forms):
    """The award's page; a failed form comes back in `forms` with what was typed (a milestone's
    form also with `failed_milestone`, the id of the milestone it was sent for)."""
    evidence = {m.id: attachments("milestone", m.id) for m in record.application.milestones}
    fix = record.rectification
    context = {
        "evidence_form": EvidenceForm(formdata=None),
        "return_form": ReturnMilestoneForm(formdata=None),
        "failed_milestone": None,
        "midterm_form": MidtermForm(formdata=None),
        "rectification_form": RectificationForm(formdata=None),
        "report_form": RectificationReportForm(formdata=None),
        **forms,
    }
    return render_template(
        "competitions/award.html",
        award=record,
        listing=record.listing,
        evidence=evidence,
        fix_files=attachments("rectification", fix.id) if fix else [],
        fix_actions=rectification.report_actions(current_user, fix) if fix else [],
        can_grant=rectification.can_grant(record),
        reacceptance_due=rectification.reacceptance_due(record),
        action_form=ActionForm(),
        **context,
    ), status


@bp.get("/awards/<int:award_id>")
@login_required
def award_page(award_id: int):
    return render_award(award_or_404(award_id))


def _milestone(milestone_id: int) -> tuple[Milestone, object]:
    """The milestone of an award the user may see (404 otherwise) and its award's page."""
    milestone = db.get_or_404(Milestone, milestone_id)
    record = delivery.award_of_milestone(milestone)
    if record is None:
        abort(404)
    award_or_404(record.id)
    return milestone, redirect(url_for("competitions.award_page", award_id=record.id))


@bp.post("/milestones/<int:milestone_id>/evidence")
@login_required
def deliver_milestone(milestone_id: int):
    milestone, back = _milestone(milestone_id)
    form = EvidenceForm()
    if not form.validate_on_submit():  # a field refused (CSRF is checked before the view)
        return _milestone_form_refused(milestone, evidence_form=form)
    files = [f for f in request.files.getlist("files") if f and f.filename]
    try:
        done = delivery.deliver_milestone(current_user, milestone, form.note.data or "", files)
    except DomainError as err:
        return _milestone_failed(milestone, err, evidence_form=keep_errors(form, err))
    if done:
        flash(_("完成情况已提交，等待发榜单位确认。"), "success")
    else:
        flash(_("该里程碑的完成情况已提交，正在等待发榜单位确认；本次提交未作更改。"), "info")
    return back


@bp.post("/milestones/<int:milestone_id>/confirm")
@login_required
def confirm_milestone(milestone_id: int):
    milestone, back = _milestone(milestone_id)
    if ActionForm().validate_on_submit():
        flash_result(
            lambda: delivery.confirm_milestone(current_user, milestone), _("里程碑已确认。")
        )
    return back


@bp.post("/milestones/<int:milestone_id>/return")
@login_required
def return_milestone(milestone_id: int):
    milestone, back = _milestone(milestone_id)
    form = ReturnMilestoneForm()
    if not form.validate_on_submit():
        return _milestone_form_refused(milestone, return_form=form)
    try:
        done = delivery.return_milestone(current_user, milestone, form.reason.data or "")
    except DomainError as err:
        return _milestone_failed(milestone, err, return_form=keep_errors(form, err))
    if done:
        flash(_("已退回补充，揭榜方会收到退回原因。"), "success")
    else:
        flash(_("该里程碑已退回揭榜方补充；本次操作未作更改。"), "info")
    return back


def _milestone_form_refused(milestone: Milestone, **forms):
    """The award page again with the milestone's form its own checks refused (422)."""
    record = delivery.award_of_milestone(milestone)
    return render_award(record, 422, failed_milestone=milestone.id, **forms)


def _milestone_failed(milestone: Milestone, err: DomainError, **forms):
    """The award page again with the milestone's failed form (what was typed, the reason)."""
    db.session.rollback()
    flash(err.summary, "error")
    record = delivery.award_of_milestone(milestone)
    return render_award(record, err.status, failed_milestone=milestone.id, **forms)


@bp.post("/awards/<int:award_id>/midterm")
@organiser_required
def midterm(award_id: int):
    record = award_or_404(award_id)
    form = MidtermForm()
    if not form.validate_on_submit():  # the messages beside the fields, what was typed kept
        return render_award(record, 422, midterm_form=form)
    call = lambda: delivery.record_midterm(  # noqa: E731
        current_user, record, form.progress.data, form.conclusion.data, form.note.data or ""
    )
    flash_result(call, _("中期评估已记录。"))
    return redirect(url_for("competitions.award_page", award_id=record.id))


@bp.post("/awards/<int:award_id>/acceptance")
@organiser_required
def acceptance(award_id: int):
    record = award_or_404(award_id)
    if ActionForm().validate_on_submit():
        values = []
        for commitment in record.application.commitments:
            measured = parse_float(request.form.get(f"measured_{commitment.listing_kpi_id}"))
            if measured is not None:
                evidence = request.form.get(f"evidence_{commitment.listing_kpi_id}", "")
                values.append(delivery.MeasuredValue(commitment.listing_kpi_id, measured, evidence))
        reason = request.form.get("override_reason", "")
        call = lambda: delivery.record_acceptance(current_user, record, values, reason)  # noqa: E731
        flash_result(call, _("验收结果已记录。"))
    return redirect(url_for("competitions.award_page", award_id=record.id))


@bp.post("/awards/<int:award_id>/rectification")
@organiser_required
def grant_rectification(award_id: int):
    record = award_or_404(award_id)
    form = RectificationForm()
    if not form.validate_on_submit():
        return render_award(record, 422, rectification_form=form)
    text = (form.days.data or "").strip()
    days = int(text) if text.isdigit() else None
    try:
        rectification.grant_rectification(current_user, record, days, form.findings.data or "")
    except DomainError as err:
        flash(err.summary, "error")
        return render_award(record, err.status, rectification_form=keep_errors(form, err))
    flash(_("已给予整改期，并通知揭榜方和发榜单位。"), "success")
    return redirect(url_for("competitions.award_page", award_id=record.id, _anchor="rectification"))


@bp.post("/rectifications/<int:rectification_id>/report")
@login_required
def report_rectification(rectification_id: int):
    fix = db.get_or_404(Rectification, rectification_id)
    record = award_or_404(fix.award_id)
    form = RectificationReportForm()
    if not form.validate_on_submit():
        return render_award(record, 422, report_form=form)
    files = [f for f in request.files.getlist("files") if f and f.filename]
    try:
        done = rectification.report_rectification(current_user, fix, form.note.data or "", files)
    except DomainError as err:
        db.session.rollback()
        flash(err.summary, "error")
        return render_award(record, err.status, report_form=keep_errors(form, err))
    if done:
        flash(_("整改情况已提交，等待主办方复验。"), "success")
    else:
        flash(_("整改情况已提交过，正在等待复验；本次提交未作更改。"), "info")
    return redirect(url_for("competitions.award_page", award_id=record.id, _anchor="rectification"))
