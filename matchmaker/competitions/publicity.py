"""公示 and 挂帅: proposed winners, objections, and the award with its 场景券 voucher."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import clock
from ..errors import InvalidTransition, NotAllowed, ValidationFailed
from ..extensions import db
from ..needs.services import close_for_award
from ..notifications.services import notify
from . import audit, rules, stages
from . import statuses as st
from .access import organiser_role, organisers, require_organiser
from .applications import applications_of
from .invalid import invalid
from .models import Application, Award, Listing, Objection
from .panel import panel_complete, ranking
from .stageflow import announce, move
from .transitions import Move
from .vouchers import committed_vouchers


def start_publicity(
    actor, listing: Listing, winner_ids: list[int] | None = None
) -> list[Application]:
    """Rank the panel's scores and publish the proposed winner(s) for the round's publicity days."""
    require_organiser(actor)
    if listing.stage != stages.UNDER_REVIEW:
        move(actor, listing, "start_publicity")  # raises the stage message
    if applications_of(listing, (st.SUBMITTED,)):
        raise InvalidTransition(_("还有申请未完成资格审查。"))
    if not panel_complete(listing):
        raise InvalidTransition(_("专家评分尚未全部提交。"))
    results = ranking(listing)
    by_id = {a.id: a for a in applications_of(listing, (st.ELIGIBLE,))}
    winners = winner_ids or [r.application_id for r in results[: listing.round.quota]]
    if len(winners) > listing.round.quota or any(w not in by_id for w in winners):
        raise ValidationFailed(_("拟挂帅单位不能超过名额，且必须通过资格审查。"))
    for position, result in enumerate(results, start=1):
        app = by_id[result.application_id]
        app.panel_score, app.rank, app.proposed = result.score, position, app.id in winners
    listing.publicity_starts_at, listing.publicity_ends_at = listing.publicity_window(
        listing.round.publicity_days
    )
    move(actor, listing, "start_publicity", winners=winners)
    announce(listing, "publicity_started", _("揭榜结果公示开始"))
    db.session.commit()
    return [by_id[w] for w in winners]


def proposed_winners(listing: Listing) -> list[Application]:
    return [a for a in applications_of(listing, (st.ELIGIBLE,)) if a.proposed]


def file_objection(actor, listing: Listing, reason: str) -> Objection:
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed()
    if listing.stage != stages.PUBLICITY or listing.publicity_over:
        raise InvalidTransition(_("公示期已结束或尚未开始，不能提出异议。"))
    if not reason.strip():
        raise invalid("reason", _("请填写异议理由。"))
    twin = db.session.scalar(  # the same objection sent again (a double submit): no second one
        select(Objection).where(
            Objection.listing_id == listing.id,
            Objection.filed_by_id == actor.id,
            Objection.reason == reason.strip(),
        )
    )
    if twin is not None:
        return twin
    objection = Objection(listing_id=listing.id, filed_by_id=actor.id, reason=reason.strip())
    db.session.add(objection)
    audit.record(actor, "file_objection", objection, after={"listing_id": listing.id})
    notify(
        organisers(),
        "objection_filed",
        _l("公示期收到异议"),
        listing.title,
        f"/rounds/console/listings/{listing.id}",
    )
    db.session.commit()
    return objection


def resolve_objection(actor, objection: Objection, upheld: bool, note: str) -> bool:
    """The organiser upholds or dismisses an open objection, once, and the filer is told.

    True when this call decided it; False for the same decision again (a double click, a second
    tab): the first note stands, nobody is told twice. The other decision is refused (409)."""
    action = st.UPHOLD if upheld else st.DISMISS
    move = Move(objection, st.OBJECTION_MACHINE, action, organiser_role(actor))
    if move.repeat:
        return False
    note = note.strip()
    if not note:
        raise invalid("note", _("请填写处理意见。"))
    if not move.apply(resolution_note=note, resolved_by_id=actor.id, resolved_at=clock.now()):
        db.session.rollback()
        return False
    audit.record(
        actor,
        "resolve_objection",
        objection,
        {"status": move.current},
        {"status": objection.status, "note": note},
    )
    notify([objection.filed_by], "objection_resolved", _l("您的异议已处理"), note)
    db.session.commit()
    return True


def open_objections(listing: Listing) -> list[Objection]:
    return list(
        db.session.scalars(
            select(Objection).where(Objection.listing_id == listing.id, Objection.status == st.OPEN)
        )
    )


@dataclass
class AwardTerms:
    application_id: int
    contract_value: Decimal  # 万元
    start_date: date
    beneficiary_id: int | None = None  # the factory; defaults to the listing's first owner


def _check_award(listing: Listing, terms: list[AwardTerms]) -> dict[int, Application]:
    if listing.stage != stages.PUBLICITY:
        move(None, listing, "award")
    if not listing.publicity_over:
        raise InvalidTransition(_("公示期尚未结束，不能确定挂帅单位。"))
    if open_objections(listing):
        raise InvalidTransition(_("公示期异议尚未处理完毕，不能确定挂帅单位。"))
    proposed = {a.id: a for a in proposed_winners(listing)}
    if (
        not terms
        or len(terms) > listing.round.quota
        or any(t.application_id not in proposed for t in terms)
    ):
        raise ValidationFailed(_("挂帅单位必须是公示的拟挂帅单位，且不超过名额。"))
    owners = {o.id for o in listing.owners}
    for t in terms:
        if t.contract_value < 0 or (
            t.beneficiary_id is not None and t.beneficiary_id not in owners
        ):
            raise ValidationFailed(_("合同金额或场景券受益单位有误。"))
    return proposed


def award(actor, listing: Listing, terms: list[AwardTerms]) -> list[Award]:
    require_organiser(actor)
    proposed = _check_award(listing, terms)
    round_, awards = listing.round, []
    for t in terms:
        beneficiary_id = t.beneficiary_id or listing.owners[0].id
        year = t.start_date.year
        amount = rules.voucher_amount(
            t.contract_value,
            round_.voucher_share,
            round_.voucher_cap,
            committed_vouchers(beneficiary_id, year),
        )
        record = Award(
            listing_id=listing.id,
            application=proposed[t.application_id],
            beneficiary_id=beneficiary_id,
            contract_value=t.contract_value,
            start_date=t.start_date,
            voucher_year=year,
            voucher_amount=amount,
            awarded_by_id=actor.id,
        )
        db.session.add(record)
        db.session.flush()
        awards.append(record)
        audit.record(
            actor,
            "award",
            record,
            after={
                "application_id": t.application_id,
                "contract_value": str(t.contract_value),
                "voucher": str(amount),
            },
        )
    move(actor, listing, "award", awards=[a.id for a in awards])
    _close_needs(actor, listing)
    announce(listing, "listing_awarded", _("榜单已确定挂帅单位"), extra=organisers())
    db.session.commit()
    return awards


def _close_needs(actor, listing: Listing) -> None:
    """The listing's needs found their solver: they leave the hall and the vendors'
    matching pages (the search status hook re-indexes them after the commit), and their
    followers are told."""
    reason = _("榜单“%(title)s”已确定挂帅单位", title=listing.title)
    for need in listing.needs:
        if need.is_published:
            close_for_award(actor, need, reason)


def awards_of(listing: Listing) -> list[Award]:
    return list(
        db.session.scalars(select(Award).where(Award.listing_id == listing.id).order_by(Award.id))
    )


def objections_of(listing: Listing) -> list[Objection]:
    query = select(Objection).where(Objection.listing_id == listing.id).order_by(Objection.id)
    return list(db.session.scalars(query))
