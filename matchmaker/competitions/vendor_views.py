"""我的揭榜: a vendor's applications — draft, submit, withdraw, consortium replies, feedback."""

from __future__ import annotations

from collections.abc import Container

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..auth import require
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..formtools import apply_errors, render_form_page
from ..solvers.models import Offering
from ..solvers.queries import vendor_published_offerings
from . import applications, caps, panel
from . import statuses as st
from .applications import ApplicationData, MilestoneData
from .blueprint import application_or_404, attachments, bp, own_application_or_404
from .forms import ActionForm, ApplicationForm, SelectChoice, parse_decimal, parse_float
from .models import Application, Award, Listing
from .offering_choice import best_offering

vendor_required = require("is_vendor_member")


@bp.get("/mine")
@vendor_required
def mine():
    apps = applications.organisation_applications(current_user.organisation_id)
    awards = db.session.scalars(select(Award).where(Award.application_id.in_([a.id for a in apps])))
    return render_template(
        "competitions/mine.html",
        apps=apps,
        awards={award.application_id: award for award in awards},
    )


def _offerings() -> list[Offering]:
    """The organisation's published offerings, in their order (with their taxonomy)."""
    return vendor_published_offerings(current_user.organisation)


def _form(
    listing: Listing, application: Application | None = None, offerings=None
) -> ApplicationForm:
    form = ApplicationForm(obj=None if request.method == "POST" else application)
    offerings = _offerings() if offerings is None else offerings
    if application is not None and application.offering not in offerings:
        offerings = [application.offering, *offerings]  # retired since: it may stay
    form.offering_id.choices = [SelectChoice(o.id, o.title) for o in offerings]
    if request.method != "POST" and application is None:
        best = best_offering(listing, offerings)
        form.offering_id.data = best.id if best else None
    if request.method != "POST":
        while form.commitments.entries:
            form.commitments.pop_entry()
        for kpi in listing.kpis:
            committed = application.commitment_for(kpi.id) if application else None
            form.commitments.append_entry(
                {"kpi_id": kpi.id, "committed": "" if committed is None else f"{committed:g}"}
            )
        if application:
            _fill(form, application)
    return form


def _fill(form: ApplicationForm, application: Application) -> None:
    form.offering_id.data = application.offering_id
    form.price.data = "" if application.price is None else str(application.price)
    form.voucher_use.data = "" if application.voucher_use is None else str(application.voucher_use)
    form.member_codes.data = "\n".join(m.organisation.credit_code for m in application.members)
    while form.milestones.entries:
        form.milestones.pop_entry()
    for m in application.milestones:
        form.milestones.append_entry(
            {"title": m.title, "due_date": m.due_date, "deliverable": m.deliverable}
        )
    form.milestones.append_entry()


def _data(form: ApplicationForm, offering: Offering | None = None) -> ApplicationData:
    commitments = {}
    for row in form.commitments:
        value = parse_float(row.committed.data)
        if value is not None and str(row.kpi_id.data).isdigit():
            commitments[int(row.kpi_id.data)] = value
    milestones = [
        MilestoneData(row.title.data.strip(), row.due_date.data, row.deliverable.data or "")
        for row in form.milestones
        if row.title.data and row.title.data.strip() and row.due_date.data
    ]
    return ApplicationData(
        approach=form.approach.data or "",
        team=form.team.data or "",
        price=parse_decimal(form.price.data),
        voucher_use=parse_decimal(form.voucher_use.data),
        rights_declared=bool(form.rights_declared.data),
        commitments=commitments,
        milestones=milestones,
        member_codes=(form.member_codes.data or "").split(),
        offering=offering,
    )


def _page(form, listing, application=None):
    return render_form_page(
        "competitions/application_form.html", form, listing=listing, application=application
    )


def _to_existing(application: Application):
    """The organisation's live application (a double submit lands here: the first one won)."""
    flash(_("贵单位已揭过此榜，以下是贵单位的揭榜申请。"), "info")
    return redirect(url_for("competitions.application", application_id=application.id))


# not allowed / nothing to apply with (the offering is a required field) / not now
BLOCKED_STATUS = {"unapproved": 403, "nda": 403, "no_offering": 422, "closed": 409}


@bp.route("/listings/<int:listing_id>/apply", methods=["GET", "POST"])
@vendor_required
def apply(listing_id: int):
    listing = db.get_or_404(Listing, listing_id)
    existing = caps.live_application(listing.id, current_user.organisation_id)
    if existing is not None:
        return _to_existing(existing)
    offerings = _offerings()
    blocker = applications.apply_blocker(current_user, listing, bool(offerings))
    if blocker is not None:
        # The page says why; a POST that cannot succeed is refused as such.
        page = render_template("competitions/apply_blocked.html", listing=listing, reason=blocker)
        if request.method == "GET":
            return page
        return page, BLOCKED_STATUS[blocker]
    form = _form(listing, offerings=offerings)
    if form.validate_on_submit():
        try:
            offering = db.get_or_404(Offering, form.offering_id.data)
            created = applications.start_application(
                current_user, listing, offering, _data(form), _files()
            )
        except caps.AlreadyApplied as err:
            return _to_existing(err.application)
        except ValidationFailed as err:
            apply_errors(form, err)
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash(_("揭榜申请草稿已保存。"), "success")
            return redirect(url_for("competitions.application", application_id=created.id))
    return _page(form, listing)


def _files():
    return [f for f in request.files.getlist("attachments") if f and f.filename]


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
@vendor_required
def edit_application(application_id: int):
    application = own_application_or_404(application_id)
    if not application.is_draft:
        return redirect(url_for("competitions.application", application_id=application.id))
    form = _form(application.listing, application)
    if form.validate_on_submit():
        offering = db.session.get(Offering, form.offering_id.data)
        try:
            applications.save_application(
                current_user, application, _data(form, offering), _files()
            )
        except ValidationFailed as err:
            apply_errors(form, err)
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash(_("揭榜申请草稿已保存。"), "success")
            return redirect(url_for("competitions.application", application_id=application.id))
    return _page(form, application.listing, application)


def _application_page(item: Application):
    show_feedback = panel.feedback_ready(item) and item.involves(current_user)
    return render_template(
        "competitions/application.html",
        app=item,
        files=attachments("application", item.id),
        feedback=panel.feedback(item) if show_feedback else None,
        action_form=ActionForm(),
        member_actions={
            m.id: applications.member_actions(current_user, item, m) for m in item.members
        },
    )


@bp.get("/applications/<int:application_id>")
@login_required
def application(application_id: int):
    return _application_page(application_or_404(application_id))


def _post(
    application_id: int,
    call,
    success: str,
    own: bool = True,
    show_refusal: Container[int] = (),
    unchanged: str | None = None,
):
    """Run an action; a refusal whose status is in `show_refusal` shows the application page
    with the reason and that status (403 not yours, 409 not now, 422 not complete), any other
    refusal the page again after a redirect; nothing changed. A service that answers False
    changed nothing (the action sent again): `unchanged` says so."""
    item = own_application_or_404(application_id) if own else application_or_404(application_id)
    if ActionForm().validate_on_submit():
        try:
            result = call(item)
        except DomainError as err:
            db.session.rollback()
            flash(err.summary, "error")
            if err.status in show_refusal:
                return _application_page(item), err.status
            return redirect(url_for("competitions.application", application_id=item.id))
        if result is False and unchanged:
            flash(unchanged, "info")
        else:
            flash(success, "success")
    return redirect(url_for("competitions.application", application_id=item.id))


@bp.post("/applications/<int:application_id>/submit")
@vendor_required
def submit_application(application_id: int):
    call = lambda app: applications.submit_application(current_user, app)  # noqa: E731
    return _post(application_id, call, _("揭榜申请已提交。"), show_refusal=range(400, 600))


@bp.post("/applications/<int:application_id>/withdraw")
@vendor_required
def withdraw_application(application_id: int):
    call = lambda app: applications.withdraw_application(current_user, app)  # noqa: E731
    return _post(application_id, call, _("揭榜申请已撤回。"))


@bp.post("/applications/<int:application_id>/membership/<answer>")
@login_required
def respond_membership(application_id: int, answer: str):
    if answer not in st.MEMBER_MACHINE.actions:
        abort(404)
    call = lambda app: applications.respond_membership(current_user, app, answer == st.ACCEPT)  # noqa: E731
    return _post(
        application_id,
        call,
        _("已回复联合体邀请。"),
        own=False,
        show_refusal=(409,),
        unchanged=_("您已作出同样的回复；本次操作未作更改。"),
    )
