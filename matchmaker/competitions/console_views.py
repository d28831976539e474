"""The organiser's console: rounds, listings, stage actions, eligibility, experts, audit log."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts.models import User
from ..auth import organiser_required
from ..csvfile import csv_response
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..formtools import apply_errors, render_form_page
from ..numbers import int_arg
from . import applications, audit, experts, panel, publicity, questions, rounds, stageflow, stages
from . import audit_log as audit_log_
from .blueprint import back_to_console, bp, flash_result
from .forms import (
    ActionForm,
    AssignForm,
    EligibilityForm,
    KpisForm,
    ListingForm,
    MidtermForm,
    ReasonForm,
    ResolveForm,
    RoundForm,
    SelectChoice,
    to_utc,
)
from .models import Application, ExpertAssignment, Listing, Round
from .models.rounds import DEFAULT_RUBRIC


@bp.get("/console")
@organiser_required
def console():
    return render_template("competitions/console.html", rounds=rounds.all_rounds())


@bp.route("/console/new", methods=["GET", "POST"])
@organiser_required
def new_round():
    form = RoundForm()
    if not form.is_submitted():
        form.prefill_rubric(DEFAULT_RUBRIC)
    if form.validate_on_submit():
        rubric, tie_break = form.rubric_rows()
        plain = (
            "name",
            "rules",
            "publicity_days",
            "quota",
            "voucher_share",
            "voucher_cap",
            "max_leads",
        )
        data = rounds.RoundData(
            **{name: form[name].data for name in plain},
            opens_at=to_utc(form.opens_at.data),
            closes_at=to_utc(form.closes_at.data),
            review_opens_at=to_utc(form.review_opens_at.data),
            review_closes_at=to_utc(form.review_closes_at.data),
            scale_max=float(form.scale_max.data),
            rubric=rubric,
            tie_break=tie_break,
        )
        try:
            created = rounds.open_round(current_user, data)
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            flash(_("批次已创建。"), "success")
            return redirect(url_for("competitions.console_round", round_id=created.id))
    return render_form_page("competitions/round_form.html", form)


@bp.get("/console/<int:round_id>")
@organiser_required
def console_round(round_id: int):
    return render_template("competitions/console_round.html", round=db.get_or_404(Round, round_id))


@bp.route("/console/<int:round_id>/listings/new", methods=["GET", "POST"])
@organiser_required
def new_listing(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    form = ListingForm()
    form.need_ids.choices = [
        SelectChoice(n.id, f"{n.title}（{n.owner.name}）") for n in rounds.publishable_needs()
    ]
    if form.validate_on_submit():
        fields = {f: form[f].data for f in rounds.ListingData.__dataclass_fields__}
        try:
            created = rounds.add_listing(current_user, round_, rounds.ListingData(**fields))
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            flash(_("榜单已发布。"), "success")
            return back_to_console(created)
    return render_form_page("competitions/form.html", form, title=_("发布榜单"))


def _experts() -> list[User]:
    query = select(User).where(User.role == "expert", User.active).order_by(User.name)
    return list(db.session.scalars(query))


@bp.get("/console/listings/<int:listing_id>")
@organiser_required
def console_listing(listing_id: int):
    return console_listing_page(db.get_or_404(Listing, listing_id))


def console_listing_page(listing: Listing, reason_form=None, status=200, failed=None):
    """A listing's console page; a refused form as posted, with its errors and what was typed
    (422): `reason_form` (取消榜单) or `failed` = ("application" | "objection", id, form)."""
    assign = AssignForm()
    pending = experts.pending_invitations()  # not assignable until they accept
    assign.expert_id.choices = [
        SelectChoice(e.id, e.name) for e in _experts() if e.id not in pending
    ]
    assignments = db.session.scalars(
        select(ExpertAssignment).where(ExpertAssignment.listing_id == listing.id)
    )
    complete = panel.panel_complete(listing)
    assignable = listing.stage in panel.ASSIGNABLE
    return render_template(
        "competitions/console_listing.html",
        listing=listing,
        suggestions=experts.suggest_experts(listing) if assignable else [],
        apps=applications.applications_of(listing),
        assignments=list(assignments),
        assign_form=assign,
        action_form=ActionForm(),
        reason_form=reason_form or ReasonForm(formdata=None),
        failed=failed,
        eligibility_form=EligibilityForm(formdata=None),
        resolve_form=ResolveForm(formdata=None),
        midterm_form=MidtermForm(formdata=None),
        ranking=panel.ranking(listing) if complete else [],
        complete=complete,
        objections=publicity.objections_of(listing),
        winners=publicity.proposed_winners(listing),
        awards=publicity.awards_of(listing),
        unanswered=questions.unanswered_count(listing),
        actions=[
            a
            for a in stages.allowed_actions(listing.stage)
            if a not in stageflow.DEDICATED and a != "cancel"
        ],
    ), status


@bp.route("/console/listings/<int:listing_id>/kpis", methods=["GET", "POST"])
@organiser_required
def edit_kpis(listing_id: int):
    listing = db.get_or_404(Listing, listing_id)
    form = KpisForm()
    if not form.is_submitted():
        while form.kpis.entries:
            form.kpis.pop_entry()
        for kpi in listing.kpis:
            form.kpis.append_entry(
                {
                    **{k: getattr(kpi, k) for k in ("indicator", "unit", "direction")},
                    "baseline": "" if kpi.baseline is None else f"{kpi.baseline:g}",
                    "target": f"{kpi.target:g}",
                }
            )
        form.kpis.append_entry()
    elif form.validate():
        try:
            rounds.save_kpis(current_user, listing, form.rows())
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            flash(_("考核指标已保存。"), "success")
            return back_to_console(listing)
    return render_form_page("competitions/kpis_form.html", form, listing=listing)


@bp.post("/console/listings/<int:listing_id>/act/<action>")
@organiser_required
def act(listing_id: int, action: str):
    listing = db.get_or_404(Listing, listing_id)
    if ActionForm().validate_on_submit():
        flash_result(lambda: stageflow.act(current_user, listing, action), _("榜单阶段已更新。"))
    return back_to_console(listing)


@bp.post("/console/listings/<int:listing_id>/cancel")
@organiser_required
def cancel(listing_id: int):
    listing = db.get_or_404(Listing, listing_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            stageflow.cancel(current_user, listing, form.reason.data or "")
        except ValidationFailed as err:
            apply_errors(form, err)
        except DomainError as err:
            flash(err.summary, "error")
            return back_to_console(listing)
        else:
            flash(_("榜单已取消。"), "success")
            return back_to_console(listing)
    return console_listing_page(listing, form, 422)


@bp.post("/console/applications/<int:application_id>/eligibility")
@organiser_required
def eligibility(application_id: int):
    application = db.get_or_404(Application, application_id)
    form = EligibilityForm()
    if not form.validate_on_submit():
        failed = ("application", application.id, form)
        return console_listing_page(application.listing, status=422, failed=failed)
    call = lambda: applications.decide_eligibility(  # noqa: E731
        current_user, application, form.eligible.data == "1", form.note.data or ""
    )
    flash_result(call, _("资格审查结果已记录。"))
    return back_to_console(application.listing)


@bp.post("/console/listings/<int:listing_id>/experts")
@organiser_required
def assign(listing_id: int):
    listing = db.get_or_404(Listing, listing_id)
    form = AssignForm()
    form.expert_id.choices = [SelectChoice(e.id, e.name) for e in _experts()]
    if form.validate_on_submit():
        expert = db.get_or_404(User, form.expert_id.data)
        flash_result(lambda: panel.assign_expert(current_user, listing, expert), _("专家已指派。"))
    return back_to_console(listing)


@bp.get("/console/audit")
@organiser_required
def audit_log():
    filters = audit_log_.Filters.from_args(request.args)
    return render_template(
        "competitions/audit.html",
        page=audit_log_.page(filters, int_arg(request.args, "page") or 1),
        filters=filters,
        choices=audit_log_.filter_choices(),
    )


@bp.get("/console/audit.csv")
@organiser_required
def audit_csv():
    return csv_response(audit.export_csv(), "rounds-audit.csv")
