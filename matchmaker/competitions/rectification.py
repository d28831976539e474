"""整改 and 复验: one rectification period for a failed 验收, the vendor's report, one re-acceptance.

    验收不通过 ──(organiser: days + findings)──▶ 整改中 ──(vendor: report + evidence)──▶ 待复验
        └─ no rectification: final, voucher void         复验 (organiser) ──▶ 通过 | 不通过 (final)

- Only the first 验收 of an award may be rectified, and only once (a second failure is final).
- Granting reserves the voucher again (it was voided by the failure) under the beneficiary's
  yearly cap: a grant that the cap no longer allows is refused.
- The vendor reports the fix once, within the period (Beijing calendar days, the last day
  included); a resend while waiting for the 复验 changes nothing. After the period the
  organiser may hold the 复验 without a report.
- The 复验 is recorded through `delivery.record_acceptance` as attempt 2; it decides the
  voucher (payable or void for good) and the listing's stage.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from .. import clock
from ..errors import InvalidTransition
from ..extensions import db
from ..files.services import save_upload
from ..notifications.services import notify
from . import audit, stages
from . import statuses as st
from .access import organisers, require_organiser
from .caps import lock_organisation
from .invalid import invalid
from .models import Award, Rectification
from .stageflow import move
from .transitions import Move
from .vouchers import committed_vouchers

MAX_DAYS = 365
MAX_FINDINGS = 4000


def award_link(award: Award) -> str:
    return f"/rounds/awards/{award.id}#rectification"


def _parties(award: Award) -> list:
    return [*award.application.lead_users(), *award.listing.owner_users()]


def can_grant(award: Award) -> bool:
    first = award.first_acceptance
    return (
        first is not None
        and len(award.acceptances) == 1
        and first.result == st.FAILED
        and award.rectification is None
        and award.listing.stage in (stages.FAILED, stages.IN_DELIVERY)
    )


def _check_days(days) -> int:
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise invalid("days", _("整改期限应为 1 至 %(n)s 天。", n=MAX_DAYS))
    return days


def _reserve_voucher(award: Award) -> None:
    """Put the voided voucher back under the cap, if the cap still has room for it."""
    move = Move(award, st.VOUCHER_MACHINE, st.RESTORE, st.ORGANISER, column="voucher_status")
    if move.repeat:  # not voided: nothing to restore
        return
    if award.voucher_amount != 0:
        _check_room(award)
    if not move.apply():  # a concurrent grant restored it first
        raise InvalidTransition(_("该项目已给予整改期，本次提交未作更改。"))


def _check_room(award: Award) -> None:
    lock_organisation(award.beneficiary_id)
    used = committed_vouchers(award.beneficiary_id, award.voucher_year)
    room = award.listing.round.voucher_cap - used
    if award.voucher_amount > room:
        raise invalid(
            "days",
            _(
                "发榜企业%(year)s年度场景券剩余额度为 %(room)s 万元，不足以恢复本项目的场景券"
                "（%(amount)s 万元），不能给予整改期。",
                year=award.voucher_year,
                room=f"{max(room, 0):.2f}",
                amount=f"{award.voucher_amount:.2f}",
            ),
        )


def grant_rectification(actor, award: Award, days, findings: str) -> Rectification:
    """The organiser gives a failed 验收 its one rectification period."""
    require_organiser(actor)
    if not can_grant(award):
        raise InvalidTransition(_("只有首次验收未通过、且尚未给予整改期的项目才能给予整改期。"))
    days = _check_days(days)
    findings = (findings or "").strip()
    if not findings:
        raise invalid("findings", _("请写明需要整改的问题。"))
    if len(findings) > MAX_FINDINGS:
        raise invalid("findings", _("整改问题不能超过 %(n)s 字。", n=MAX_FINDINGS))
    _reserve_voucher(award)
    due_on = clock.local_now().date() + timedelta(days=days)
    record = Rectification(
        award=award, findings=findings, days=days, due_on=due_on, granted_by_id=actor.id
    )
    db.session.add(record)
    if award.listing.stage == stages.FAILED:
        move(actor, award.listing, "start_rectification")
    audit.record(
        actor,
        "grant_rectification",
        award,
        after={"days": days, "due_on": due_on.isoformat(), "findings": findings},
    )
    notify(
        _parties(award),
        "rectification_granted",
        _l("验收未通过，请在 %(date)s 前完成整改", date=due_on.isoformat()),
        findings,
        award_link(award),
        about=award,
    )
    db.session.commit()
    return record


def report_rectification(
    actor, record: Rectification, note: str, files: list[FileStorage] = ()
) -> bool:
    """The winning vendor reports the fix with evidence, once, within the period.

    True when recorded, False for a resend while the report waits for the 复验."""
    award = record.award
    role = st.LEAD if award.application.led_by(actor) else None
    move = Move(record, st.RECTIFICATION_MACHINE, st.REPORT, role)
    if move.repeat:
        return False
    if award.listing.stage not in LIVE_STAGES:
        raise InvalidTransition(_("该榜单已取消，不能再提交整改情况。"))
    if record.overdue:
        raise InvalidTransition(
            _("整改期已于 %(date)s 结束，不能再提交整改情况。", date=record.due_on.isoformat())
        )
    note = (note or "").strip()
    if not note and not files:
        raise invalid("note", _("请说明整改情况或上传佐证材料。"))
    if not move.apply(report_note=note, reported_by_id=actor.id, reported_at=clock.now()):
        db.session.rollback()
        return False
    for storage in files:
        save_upload(storage, "rectification", record.id, actor.id)
    audit.record(actor, "report_rectification", award, after={"note": note})
    notify(
        [*organisers(), *award.listing.owner_users()],
        "rectification_reported",
        _l("整改情况已提交，待复验"),
        award.listing.title,
        award_link(award),
        about=award,
    )
    db.session.commit()
    return True


def report_actions(actor, record: Rectification) -> list[str]:
    """What `actor` may do with the rectification now (the page's report form)."""
    award = record.award
    if award.listing.stage not in LIVE_STAGES or record.overdue:
        return []
    role = st.LEAD if award.application.led_by(actor) else None
    return st.RECTIFICATION_MACHINE.allowed_actions(record.status, role)


LIVE_STAGES = (stages.RECTIFYING, stages.IN_DELIVERY)  # a cancelled listing ends it


def reacceptance_due(award: Award) -> bool:
    """The 复验 may be held: the fix is reported, or the period has passed without a report."""
    record = award.rectification
    return (
        record is not None
        and award.listing.stage in LIVE_STAGES
        and (record.status == st.REPORTED or (record.status == st.OPEN and record.overdue))
    )


def settle(award: Award, result: str) -> None:
    """After the 复验 (inside its transaction, the organiser's): the rectification's outcome."""
    action = st.PASS_REACCEPTANCE if result == st.PASSED else st.FAIL_REACCEPTANCE
    if not Move(award.rectification, st.RECTIFICATION_MACHINE, action, st.ORGANISER).apply():
        raise InvalidTransition(_("复验结论已由另一请求记录。"))
