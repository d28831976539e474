"""攻关 and 验收: milestone evidence and confirmation, 中期评估, acceptance against the 考核指标."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from .. import clock
from ..errors import InvalidTransition, NotAllowed
from ..extensions import db
from ..files.services import save_upload
from ..notifications.services import notify
from . import audit, rectification, rules, stages
from . import statuses as st
from .access import require_organiser
from .invalid import invalid
from .models import Acceptance, Award, Measurement, MidtermReview, Milestone
from .publicity import awards_of
from .stageflow import announce, move
from .transitions import Move, claim


def award_of_milestone(milestone: Milestone) -> Award | None:
    listing = milestone.application.listing
    return next(
        (a for a in awards_of(listing) if a.application_id == milestone.application_id), None
    )


def _in_delivery(milestone: Milestone) -> None:
    if (
        milestone.application.listing.stage != stages.IN_DELIVERY
        or award_of_milestone(milestone) is None
    ):
        raise InvalidTransition(_("该榜单不在攻关阶段。"))


def deliver_milestone(
    actor, milestone: Milestone, note: str, files: list[FileStorage] = ()
) -> bool:
    """The winning vendor reports a milestone done, with evidence, once: while that submission
    waits for the factory's confirmation a resend changes nothing and notifies nobody.

    Returns True for the submission that was recorded, False for an idempotent resend. The claim
    is a conditional UPDATE (delivered_at IS NULL), so of two concurrent submits exactly one
    wins: PostgreSQL's row lock makes the second re-check its WHERE after the first commits.
    """
    application = milestone.application
    if not application.led_by(actor):
        raise NotAllowed()
    _in_delivery(milestone)
    _not_confirmed(milestone)
    if milestone.delivered_at is not None:
        return False
    if not note.strip() and not files:
        raise invalid("note", _("请说明完成情况或上传佐证材料。"))
    if not _claim(milestone, note.strip()):
        db.session.rollback()
        _not_confirmed(milestone)
        return False
    for storage in files:
        save_upload(storage, "milestone", milestone.id, actor.id)
    audit.record(actor, "deliver_milestone", milestone, after={"note": note})
    notify(
        application.listing.owner_users(),
        "milestone_delivered",
        _l("里程碑待确认"),
        milestone.title,
        award_link(milestone),
        about=milestone,
    )
    db.session.commit()
    return True


def _not_confirmed(milestone: Milestone) -> None:
    if milestone.confirmed_at is not None:
        raise InvalidTransition(_("该里程碑已确认。"))


def _claim(milestone: Milestone, note: str) -> bool:
    """Mark the milestone delivered unless another request already did (compare-and-set)."""
    return _switch(
        milestone,
        delivered=False,
        delivered_at=clock.now(),
        evidence_note=note,
        returned_at=None,
        return_reason="",
    )


def _switch(milestone: Milestone, *, delivered: bool, **values) -> bool:
    """One compare-and-set on an unconfirmed milestone: `values` are written only while its
    submission is (`delivered`) or is not pending; True when this call wrote them."""
    pending = Milestone.delivered_at.is_not(None) if delivered else Milestone.delivered_at.is_(None)
    return claim(milestone, pending, Milestone.confirmed_at.is_(None), **values)


def _require_listing_owner(actor, milestone: Milestone) -> None:
    """Only a publishing member of the listing's owning factory confirms or sends back."""
    listing = milestone.application.listing
    if not (listing.is_owned_by(actor) and getattr(actor, "can_publish", False)):
        raise NotAllowed()


RETURN_REASON_MAX = 500


def return_milestone(actor, milestone: Milestone, reason: str) -> bool:
    """The listing's owner sends a submitted milestone back to the lead (退回补充) with a reason:
    the submission is no longer pending, so the lead can submit again, and is told why.

    Returns True when this call sent it back, False when it was already back with the lead (a
    second click or another tab: nothing changes, nobody is told twice). A confirmed milestone
    cannot be sent back. The claim is a conditional UPDATE, like the submission's."""
    _require_listing_owner(actor, milestone)
    _in_delivery(milestone)
    _not_confirmed(milestone)
    reason = reason.strip()
    if not reason:
        raise invalid("reason", _("请写明退回原因，让揭榜方知道需要补充什么。"))
    if len(reason) > RETURN_REASON_MAX:
        raise invalid("reason", _("退回原因不能超过 %(n)d 字。", n=RETURN_REASON_MAX))
    sent_back = _switch(
        milestone, delivered=True, delivered_at=None, returned_at=clock.now(), return_reason=reason
    )
    if not sent_back:
        db.session.rollback()
        _not_confirmed(milestone)
        return False
    audit.record(actor, "return_milestone", milestone, after={"reason": reason})
    notify(
        milestone.application.lead_users(),
        "milestone_returned",
        _l("里程碑被退回补充"),
        f"{milestone.title}：{reason}",
        award_link(milestone),
        about=milestone,
    )
    db.session.commit()
    return True


def award_link(milestone: Milestone) -> str:
    award = award_of_milestone(milestone)
    return f"/rounds/awards/{award.id}#milestone-{milestone.id}" if award else ""


def confirm_milestone(actor, milestone: Milestone) -> None:
    """The factory that owns the listing confirms a delivered milestone."""
    _require_listing_owner(actor, milestone)
    _in_delivery(milestone)
    if milestone.delivered_at is None or milestone.confirmed_at is not None:
        raise InvalidTransition(_("该里程碑尚未提交完成情况，或已确认。"))
    milestone.confirmed_at = clock.now()
    milestone.confirmed_by_id = actor.id
    audit.record(actor, "confirm_milestone", milestone, after={"confirmed": True})
    notify(
        milestone.application.lead_users(),
        "milestone_confirmed",
        _l("里程碑已确认"),
        milestone.title,
        award_link(milestone),
        about=milestone,
    )
    db.session.commit()


def record_midterm(actor, award: Award, progress: int, conclusion: str, note: str) -> MidtermReview:
    require_organiser(actor)
    if award.listing.stage != stages.IN_DELIVERY:
        raise InvalidTransition(_("该榜单不在攻关阶段。"))
    if conclusion not in st.MIDTERM_CONCLUSIONS or not 0 <= progress <= 100:
        raise invalid("progress", _("进度应为 0 至 100。"))
    review = MidtermReview(
        award_id=award.id,
        progress=progress,
        conclusion=conclusion,
        note=note.strip(),
        recorded_by_id=actor.id,
    )
    db.session.add(review)
    audit.record(
        actor, "midterm_review", review, after={"progress": progress, "conclusion": conclusion}
    )
    notify(
        [*award.application.lead_users(), *award.listing.owner_users()],
        "midterm_review",
        _l("中期评估结果"),
        st.MIDTERM_LABELS[conclusion],
    )
    db.session.commit()
    return review


@dataclass
class MeasuredValue:
    listing_kpi_id: int
    measured: float
    evidence: str = ""


def _measurements(award: Award, values: list[MeasuredValue]) -> list[Measurement]:
    given = {v.listing_kpi_id: v for v in values}
    rows = []
    for commitment in award.application.commitments:
        value = given.get(commitment.listing_kpi_id)
        if value is None:
            raise invalid(
                "measured",
                _(
                    "请填写考核指标“%(indicator)s”的实测值。",
                    indicator=commitment.kpi.indicator,
                ),
            )
        met = rules.measured_meets_commitment(
            commitment.kpi.direction, commitment.committed, value.measured
        )
        rows.append(
            Measurement(
                listing_kpi_id=commitment.listing_kpi_id,
                committed=commitment.committed,
                measured=value.measured,
                met=met,
                evidence=value.evidence,
            )
        )
    return rows


def _attempt(award: Award) -> int:
    """1 for the 验收 during 攻关, 2 for the 复验 after a rectification (else not now)."""
    listing = award.listing
    if not award.acceptances:
        if listing.stage != stages.IN_DELIVERY:
            raise InvalidTransition(_("该榜单不在攻关阶段，或已验收。"))
        if any(m.confirmed_at is None for m in award.application.milestones):
            raise InvalidTransition(_("还有里程碑未经发榜单位确认。"))
        return 1
    if len(award.acceptances) == 1 and rectification.reacceptance_due(award):
        return 2
    if award.rectification is not None and award.rectification.status == st.OPEN:
        raise InvalidTransition(_("整改期内，揭榜方提交整改情况后（或整改期结束后）才能复验。"))
    raise InvalidTransition(_("该榜单不在攻关阶段，或已验收。"))


def record_acceptance(
    actor, award: Award, values: list[MeasuredValue], override_reason: str = ""
) -> Acceptance:
    """验收 (or the one 复验 after a rectification): pass when every committed indicator is met,
    or on the organiser's override with a reason. A failed 复验 is final and voids the voucher.

    The same decision sent twice at once is recorded once (the second returns the first); a
    second submit after it is refused by the stage (409)."""
    require_organiser(actor)
    listing = award.listing
    attempt = _attempt(award)
    rows = _measurements(award, values)
    met = all(r.met for r in rows)
    override = not met and bool(override_reason.strip())
    result = st.PASSED if met or override else st.FAILED
    # The voucher first: of two concurrent submits (a double click) one writes the decision.
    voucher = st.MAKE_PAYABLE if result == st.PASSED else st.VOID
    if not Move(award, st.VOUCHER_MACHINE, voucher, st.ORGANISER, "voucher_status").apply():
        db.session.rollback()
        return award.acceptance
    acceptance = Acceptance(
        award=award,
        attempt=attempt,
        result=result,
        overridden=override,
        override_reason=override_reason.strip() if override else "",
        decided_by_id=actor.id,
        measurements=rows,
    )
    db.session.add(acceptance)
    if attempt == 2:
        rectification.settle(award, result)
    action = "acceptance" if attempt == 1 else "reacceptance"
    audit.record(
        actor,
        f"{action}_override" if override else action,
        award,
        after={"result": result, "reason": acceptance.override_reason},
    )
    _finish_listing(actor, listing)
    passed = result == st.PASSED
    if attempt == 1:
        title = _("验收结果：%(result)s", result=_("通过") if passed else _("不通过"))
    else:
        title = _("复验结果：%(result)s", result=_("通过") if passed else _("不通过（最终结论）"))
    announce(listing, "acceptance", title)
    db.session.commit()
    return acceptance


def _decided(award: Award) -> bool:
    pending = award.rectification is not None and award.rectification.status in (
        st.OPEN,
        st.REPORTED,
    )
    return award.acceptance is not None and not pending


def _finish_listing(actor, listing) -> None:
    """When every award is accepted the listing passes; one failure fails it."""
    db.session.flush()
    awards = awards_of(listing)
    if not all(_decided(a) for a in awards):
        return
    passed = all(a.acceptance.result == st.PASSED for a in awards)
    move(actor, listing, "pass_acceptance" if passed else "fail_acceptance")
