"""揭榜: a vendor's application — drafts, submission in the window, withdrawal, consortium."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..accounts.models import Organisation
from ..accounts.recovery import publish_refusal
from ..errors import InvalidTransition, NotAllowed, ValidationFailed, join_sentences
from ..extensions import db
from ..files.services import save_upload
from ..needs.access import can_see_details_of_all
from ..notifications.services import notify
from ..numbers import KPI_VALUE, MONEY, refused
from ..solvers.models import Offering
from . import audit, caps, rules, stages
from . import statuses as st
from .invalid import invalid
from .models import Application, ConsortiumMember, KpiCommitment, Listing, Milestone
from .models.applications import MAX_CONSORTIUM
from .transitions import Move
from .vouchers import voucher_errors


@dataclass
class MilestoneData:
    title: str
    due_date: date
    deliverable: str = ""


@dataclass
class ApplicationData:
    approach: str = ""
    team: str = ""
    price: Decimal | None = None
    voucher_use: Decimal | None = None
    rights_declared: bool = False
    commitments: dict[int, float] = field(default_factory=dict)  # listing KPI id → committed
    milestones: list[MilestoneData] = field(default_factory=list)
    member_codes: list[str] = field(default_factory=list)  # credit codes of consortium members
    offering: Offering | None = None  # on save: the draft moves to this offering


def _require_vendor(actor) -> None:
    if not (getattr(actor, "is_vendor_member", False) and actor.can_publish):
        raise NotAllowed(publish_refusal(actor, _("只有已通过审核的服务商可以揭榜。")))


def _window_open(listing: Listing) -> bool:
    return listing.stage == stages.ACCEPTING and listing.round.is_open


def accepts_drafts(listing: Listing) -> bool:
    """A draft may be started from publication (发榜) until the window closes."""
    return (
        listing.stage in (stages.PUBLISHED, stages.ACCEPTING)
        and clock.now() < listing.round.closes_at
    )


def apply_blocker(actor, listing: Listing, has_offering: bool = True) -> str | None:
    """Why this vendor cannot start an application now (None: it can), to say so before the
    form: "unverified" e-mail address, "unapproved" organisation, listing "closed", "no_offering" published, or "nda": a
    need of the listing whose details (and so the 考核指标 the form commits to) the vendor
    may not see before its organisation signs that need's confidentiality undertaking."""
    if not actor.can_publish:
        return "unverified" if actor.publish_blocker == "unverified" else "unapproved"
    if not accepts_drafts(listing):
        return "closed"
    if not can_see_details_of_all(actor, list(listing.needs)):
        return "nda"
    return None if has_offering else "no_offering"


def _check_offering(actor, offering: Offering) -> None:
    if offering.organisation_id != actor.organisation_id or not offering.is_published:
        raise invalid("offering_id", _("请选择本单位已发布的解决方案。"))


def start_application(
    actor, listing: Listing, offering: Offering, data: ApplicationData | None = None, files=()
) -> Application:
    """Create the draft (with its content when `data` is given) in one transaction.

    Under the organisation's lock (see `caps`): a second request for the same listing (a
    double submit) raises `caps.AlreadyApplied` carrying the first one's application."""
    _require_vendor(actor)
    if not accepts_drafts(listing):
        raise InvalidTransition(_("该榜单目前不接受揭榜。"))
    if not can_see_details_of_all(actor, list(listing.needs)):
        raise NotAllowed(_("请先签署该榜单所含需求的保密承诺，再查看考核指标并揭榜。"))
    _check_offering(actor, offering)
    caps.lock_organisation(actor.organisation_id)
    existing = caps.live_application(listing.id, actor.organisation_id)
    if existing is not None:
        raise caps.AlreadyApplied(existing)
    caps.check_lead_limit(actor.organisation_id, listing)
    application = Application(
        listing=listing,
        organisation_id=actor.organisation_id,
        offering=offering,
        created_by_id=actor.id,
    )
    db.session.add(application)
    _insert(application, listing.id, actor.organisation_id)
    audit.record(actor, "start_application", application, after={"status": st.DRAFT})
    if data is not None:
        try:
            _fill(actor, application, data, files)
        except ValidationFailed:
            db.session.rollback()
            raise
    db.session.commit()
    return application


def _insert(application: Application, listing_id: int, org_id: int) -> None:
    """Flush the new row; an insert of a concurrent request that got past the lock (SQLite
    has no row locks) shows as that request's application."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        existing = caps.live_application(listing_id, org_id)
        if existing is None:
            raise
        raise caps.AlreadyApplied(existing) from None


def lowered_commitments(listing: Listing, commitments: dict[int, float]) -> dict[str, list[str]]:
    """不得降低考核指标: one message per committed value that is worse than the target."""
    errors = []
    for kpi in listing.kpis:
        value = commitments.get(kpi.id)
        if value is None:
            continue
        if not rules.commitment_meets_target(kpi.direction, kpi.target, value):
            errors.append(_lowered_message(kpi, value))
    return {"commitments": errors} if errors else {}


def _lowered_message(kpi, value: float) -> str:
    """Worse than the target in the indicator's own direction: 劣于 a lower-is-better target,
    未达到 a higher-is-better one."""
    words = {"indicator": kpi.indicator, "value": f"{value:g}", "target": f"{kpi.target:g}"}
    words["unit"] = kpi.unit
    if kpi.direction == "down":
        return _(
            "考核指标“%(indicator)s”越低越好，承诺值 %(value)s%(unit)s 劣于榜单要求的 %(target)s%(unit)s，不得降低考核指标。",
            **words,
        )
    return _(
        "考核指标“%(indicator)s”越高越好，承诺值 %(value)s%(unit)s 未达到榜单要求的 %(target)s%(unit)s，不得降低考核指标。",
        **words,
    )


def _resolve_members(application: Application, codes: list[str]) -> list[ConsortiumMember]:
    codes = [c.strip().upper() for c in codes if c.strip()]
    if codes and not application.listing.consortium_allowed:
        raise invalid("member_codes", _("该榜单不允许联合体揭榜。"))
    if len(set(codes)) > MAX_CONSORTIUM:
        raise invalid(
            "member_codes", _("联合体成员（不含牵头单位）最多 %(n)s 家。", n=MAX_CONSORTIUM)
        )
    existing = {m.organisation.credit_code: m for m in application.members}
    members = []
    for code in dict.fromkeys(codes):
        org = db.session.scalar(select(Organisation).where(Organisation.credit_code == code))
        if org is None or not org.is_approved or org.id == application.organisation_id:
            raise invalid(
                "member_codes", _("统一社会信用代码 %(code)s 不是已审核通过的其他单位。", code=code)
            )
        members.append(existing.get(code) or ConsortiumMember(organisation=org))
    return members


def save_application(
    actor, application: Application, data: ApplicationData, files=()
) -> list[ConsortiumMember]:
    """Save the draft; returns the newly invited members (they are notified)."""
    if not application.led_by(actor):
        raise NotAllowed()
    _lock(application)
    if not application.is_draft:
        raise InvalidTransition(_("揭榜申请已提交或已撤回，不能再修改。"))
    new = _fill(actor, application, data, files)
    db.session.commit()
    return new


def _lock(application: Application) -> None:
    """Serialise the organisation's writes, then re-read the application (a concurrent request
    may have changed it while this one waited)."""
    caps.lock_organisation(application.organisation_id)
    db.session.refresh(application)


def _content_errors(listing: Listing, data: ApplicationData) -> dict[str, list[str]]:
    errors = {**lowered_commitments(listing, data.commitments)}
    if "price" not in errors and "voucher_use" not in errors:
        voucher = voucher_errors(listing, data.price, data.voucher_use)
        if voucher:
            errors["voucher_use"] = voucher
    return errors


def _refuse_bad_numbers(data: ApplicationData) -> None:
    """NaN, ±inf or absurd amounts never reach the checks below nor the database."""
    checks = [("price", data.price, MONEY), ("voucher_use", data.voucher_use, MONEY)]
    checks += [("commitments", value, KPI_VALUE) for value in data.commitments.values()]
    errors = refused(checks)
    if errors:
        raise ValidationFailed(
            join_sentences(m for ms in errors.values() for m in ms), fields=errors
        )


def _fill(actor, application: Application, data: ApplicationData, files) -> list:
    _refuse_bad_numbers(data)
    errors = _content_errors(application.listing, data)
    if errors:
        raise ValidationFailed(
            join_sentences(m for ms in errors.values() for m in ms), fields=errors
        )
    if data.offering is not None and data.offering.id != application.offering_id:
        _check_offering(actor, data.offering)
        application.offering = data.offering
    members = _resolve_members(application, data.member_codes)
    new = [m for m in members if m.id is None]
    for name in ("approach", "team", "price", "voucher_use", "rights_declared"):
        setattr(application, name, getattr(data, name))
    known = {k.id for k in application.listing.kpis}
    # Kept rows are updated in place: a new row for the same KPI would be inserted before the
    # old one is deleted, against the (application, KPI) unique constraint.
    kept = {c.listing_kpi_id: c for c in application.commitments}
    application.commitments = [
        _committed(kept.get(kpi_id) or KpiCommitment(listing_kpi_id=kpi_id), value)
        for kpi_id, value in data.commitments.items()
        if kpi_id in known
    ]
    application.milestones = [
        Milestone(position=i, title=m.title, due_date=m.due_date, deliverable=m.deliverable)
        for i, m in enumerate(data.milestones, start=1)
    ]
    application.members = members
    db.session.flush()
    for storage in files:
        save_upload(storage, "application", application.id, actor.id)
    for member in new:
        notify(
            member.organisation.members,
            "consortium_invited",
            _l("联合体揭榜邀请"),
            application.listing.title,
        )
    return new


def _committed(row: KpiCommitment, value: float) -> KpiCommitment:
    row.committed = value
    return row


def _submit_errors(application: Application) -> list[str]:
    errors = []
    if not application.approach.strip():
        errors.append(_("请填写技术方案。"))
    committed = {c.listing_kpi_id for c in application.commitments}
    for kpi in application.listing.kpis:
        if kpi.id not in committed:
            errors.append(_("请填写考核指标“%(indicator)s”的承诺值。", indicator=kpi.indicator))
    if not application.milestones:
        errors.append(_("请至少填写一个里程碑。"))
    if not application.rights_declared:
        errors.append(_("请确认权利声明。"))
    commitments = {c.listing_kpi_id: c.committed for c in application.commitments}
    errors += lowered_commitments(application.listing, commitments).get("commitments", [])
    price, voucher = application.price, application.voucher_use
    errors += voucher_errors(application.listing, price, voucher)
    if any(m.status != st.CONFIRMED for m in application.members):
        errors.append(_("联合体成员尚未全部确认参与。"))
    return errors


def submit_application(actor, application: Application) -> None:
    """Submit the draft. Under the organisation's lock: the lead cap holds against concurrent
    submits, and a second submit of the same application (a double click) changes nothing."""
    if not application.led_by(actor):
        raise NotAllowed()
    if not actor.can_publish:
        raise NotAllowed(publish_refusal(actor, _("只有已通过审核的服务商可以揭榜。")))
    _lock(application)
    if application.status == st.SUBMITTED:
        return
    target = st.next_application_status(application.status, st.SUBMIT, st.LEAD)
    if not _window_open(application.listing):
        raise InvalidTransition(_("揭榜时间已截止（或尚未开始），不能提交。"))
    caps.check_lead_limit(application.organisation_id, application.listing, application)
    errors = _submit_errors(application)
    if errors:
        raise ValidationFailed(errors[0], fields={"__all__": errors})
    before, application.status = application.status, target
    application.submitted_at = clock.now()
    audit.record(actor, "submit_application", application, {"status": before}, {"status": target})
    notify(
        application.lead_users(),
        "application_submitted",
        _l("揭榜申请已提交"),
        application.listing.title,
    )
    db.session.commit()


def withdraw_application(actor, application: Application) -> None:
    if not application.led_by(actor):
        raise NotAllowed()
    _lock(application)
    if application.status == st.WITHDRAWN:
        return
    target = st.next_application_status(application.status, st.WITHDRAW, st.LEAD)
    if application.status == st.SUBMITTED and not _window_open(application.listing):
        raise InvalidTransition(_("揭榜已截止，不能再撤回。"))
    before, application.status = application.status, target
    audit.record(actor, "withdraw_application", application, {"status": before}, {"status": target})
    db.session.commit()


def _member_of(actor, application: Application) -> ConsortiumMember | None:
    org_id = getattr(actor, "organisation_id", None)
    return next((m for m in application.members if m.organisation_id == org_id), None)


def member_role(actor, member: ConsortiumMember) -> str | None:
    """The machine's role of `actor` for an invitation: a publishing member of the invited
    organisation, else none (refused with 403)."""
    if member.organisation_id == getattr(actor, "organisation_id", None) and getattr(
        actor, "can_publish", False
    ):
        return st.MEMBER
    return None


def member_actions(actor, application: Application, member: ConsortiumMember) -> list[str]:
    """The answers `actor` may give to this invitation now (the page's buttons)."""
    if not application.is_draft:
        return []
    return st.MEMBER_MACHINE.allowed_actions(member.status, member_role(actor, member))


def respond_membership(actor, application: Application, accept: bool) -> bool:
    """A consortium member's organisation confirms (or declines) its participation, once.

    True when this call answered; False for the same answer again (a double click, a second
    tab): nothing changes, the lead is not told twice. The other answer after one was given is
    refused (409), as is any answer once the application is no longer a draft."""
    member = _member_of(actor, application)
    if member is None:
        raise NotAllowed()
    action = st.ACCEPT if accept else st.DECLINE
    move = Move(member, st.MEMBER_MACHINE, action, member_role(actor, member))
    if move.repeat:
        return False
    if not application.is_draft:
        raise InvalidTransition(_("揭榜申请已提交或已撤回，不能再回复联合体邀请。"))
    if not move.apply(responded_at=clock.now()):
        db.session.rollback()
        return False
    audit.record(
        actor,
        "consortium_" + member.status,
        application,
        after={"organisation_id": member.organisation_id},
    )
    notify(
        application.lead_users(),
        "consortium_response",
        _l("联合体成员已回复"),
        member.organisation.name,
    )
    db.session.commit()
    return True


def decide_eligibility(actor, application: Application, eligible: bool, note: str = "") -> None:
    """资格审查 by the organiser after the window closes, before review."""
    from .access import require_organiser

    require_organiser(actor)
    if application.listing.stage != stages.UNDER_REVIEW:
        raise InvalidTransition()
    action = st.DECLARE_ELIGIBLE if eligible else st.DECLARE_INELIGIBLE
    target = st.next_application_status(application.status, action, st.ORGANISER)
    if not eligible and not note.strip():
        raise invalid("note", _("资格审查不通过时请说明原因。"))
    before, application.status = application.status, target
    application.eligibility_note = note.strip()
    audit.record(
        actor,
        "eligibility",
        application,
        {"status": before},
        {"status": application.status, "note": note},
    )
    title = _l("资格审查结果：%(result)s", result=st.APPLICATION_LABELS[application.status])
    notify(application.lead_users(), "eligibility", title, note or application.listing.title)
    db.session.commit()


def applications_of(listing: Listing, statuses=st.LIVE_APPLICATION) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.listing_id == listing.id, Application.status.in_(statuses))
            .order_by(Application.id)
        )
    )


def organisation_applications(org_id: int) -> list[Application]:
    """The applications an organisation leads or is a consortium member of."""
    member_of = select(ConsortiumMember.application_id).where(
        ConsortiumMember.organisation_id == org_id
    )
    query = select(Application).where(
        (Application.organisation_id == org_id) | Application.id.in_(member_of)
    )
    return list(db.session.scalars(query.order_by(Application.id.desc())))
