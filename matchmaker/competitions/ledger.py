"""场景券台账: the voucher ledger, per enterprise (the beneficiary) and calendar year.

One line per award's voucher: its amount is **committed** from the award until 验收 (a voided
voucher counts nowhere), **payable** once 验收 (or the 复验) passes, and **paid** as the organiser
records payments (date and reference number of the transfer; the reference is unique among
the payments not reversed, so the same payment recorded twice is recorded once). What is paid
never exceeds what is payable.

冲销: a payment recorded by mistake is reversed, never deleted or edited (`reverse_payment`,
with a reason). A reversed payment stays on the ledger and in the export, marked 已冲销 with
the reason, who and when, and counts nowhere: not in paid or unpaid, not in the dashboard's
figures, not against what may still be paid; its reference may then be recorded again as the
correct payment. (The yearly cap counts committed vouchers, not payments: a reversal leaves it
as it was.)

Per enterprise and year: committed (every live voucher, payable included: what the cap counts),
payable, paid, and what remains under the yearly cap — the cap of the latest round that granted
the enterprise a voucher that year (`vouchers.committed_vouchers` counts the same vouchers).

Who sees what: organisers every line; a factory's members the lines of their own enterprise;
anyone else nothing (NotAllowed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import clock
from ..errors import InvalidTransition, NotAllowed, ValidationFailed
from ..extensions import db
from ..notifications.services import notify
from . import audit
from . import statuses as st
from .access import require_organiser
from .invalid import invalid
from .models import Award, Listing, Round, VoucherPayment
from .transitions import claim

CENT = Decimal("0.01")
LIVE = (st.COMMITTED, st.PAYABLE)
MAX_REFERENCE = 64
MAX_REVERSAL_REASON = 500


@dataclass
class Summary:
    enterprise: str
    organisation_id: int
    year: int
    cap: Decimal = Decimal(0)
    committed: Decimal = Decimal(0)
    payable: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    lines: list[Award] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return max(Decimal(0), self.cap - self.committed)

    @property
    def unpaid(self) -> Decimal:
        return self.payable - self.paid


def can_view(viewer) -> bool:
    return bool(
        getattr(viewer, "is_organiser", False)
        or (getattr(viewer, "is_factory_member", False) and viewer.organisation_id)
    )


def awards_query(viewer, year: int | None = None):
    """The vouchers `viewer` may see (organisers all, a factory's members their own)."""
    if not can_view(viewer):
        raise NotAllowed()
    query = (
        select(Award)
        .options(
            selectinload(Award.payments).selectinload(VoucherPayment.reversed_by),
            selectinload(Award.beneficiary),
        )
        .order_by(Award.voucher_year.desc(), Award.beneficiary_id, Award.id)
    )
    if not viewer.is_organiser:
        query = query.where(Award.beneficiary_id == viewer.organisation_id)
    if year is not None:
        query = query.where(Award.voucher_year == year)
    return query


def years(viewer) -> list[int]:
    query = awards_query(viewer).with_only_columns(Award.voucher_year).distinct()
    return sorted({y for y in db.session.scalars(query.order_by(None))}, reverse=True)


def _cap(beneficiary_id: int, year: int) -> Decimal:
    """The cap of the latest round that granted this enterprise a voucher in `year`."""
    cap = db.session.scalar(
        select(Round.voucher_cap)
        .join(Listing, Listing.round_id == Round.id)
        .join(Award, Award.listing_id == Listing.id)
        .where(Award.beneficiary_id == beneficiary_id, Award.voucher_year == year)
        .order_by(Round.opens_at.desc(), Round.id.desc())
        .limit(1)
    )
    return Decimal(cap or 0)


def summaries(viewer, year: int | None = None) -> list[Summary]:
    """One summary per enterprise and year, newest year first, with its lines."""
    groups: dict[tuple[int, int], Summary] = {}
    for award in db.session.scalars(awards_query(viewer, year)):
        key = (award.voucher_year, award.beneficiary_id)
        if key not in groups:
            groups[key] = Summary(award.beneficiary.name, award.beneficiary_id, award.voucher_year)
        summary = groups[key]
        summary.lines.append(award)
        if award.voucher_status in LIVE:
            summary.committed += award.voucher_amount
        if award.voucher_status == st.PAYABLE:
            summary.payable += award.voucher_amount
        summary.paid += award.paid_amount
    for (year_, org_id), summary in groups.items():
        summary.cap = _cap(org_id, year_)
    return list(groups.values())


def totals() -> dict[str, Decimal]:
    """The programme's voucher figures for the dashboard, from the same ledger."""

    def total(column, *where) -> Decimal:
        value = db.session.scalar(select(func.coalesce(func.sum(column), 0)).where(*where))
        return Decimal(value).quantize(CENT)

    return {
        "committed": total(Award.voucher_amount, Award.voucher_status.in_(LIVE)),
        "payable": total(Award.voucher_amount, Award.voucher_status == st.PAYABLE),
        "paid": total(VoucherPayment.amount, VoucherPayment.reversed_at.is_(None)),
    }


# -- payments ------------------------------------------------------------------------------


def parse_amount(text) -> Decimal | None:
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def _payment_errors(award: Award, amount, paid_on, reference: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not reference:
        errors["reference"] = [_("请填写兑付凭证号。")]
    elif len(reference) > MAX_REFERENCE:
        errors["reference"] = [_("凭证号不能超过 %(n)s 个字符。", n=MAX_REFERENCE)]
    if not isinstance(paid_on, date):
        errors["paid_on"] = [_("请填写兑付日期（如 2026-12-05）。")]
    elif paid_on > clock.local_now().date():
        errors["paid_on"] = [_("兑付日期不能晚于今天。")]
    left = award.voucher_amount - award.paid_amount
    if amount is None or amount <= 0 or amount != amount.quantize(CENT):
        errors["amount"] = [_("兑付金额应为大于 0 的数，最多两位小数（万元）。")]
    elif amount > left:
        errors["amount"] = [
            _("兑付金额不能超过尚未兑付的 %(left)s 万元。", left=f"{left.quantize(CENT):f}")
        ]
    return errors


def _check_payment(award: Award, amount, paid_on, reference: str) -> None:
    if award.voucher_status != st.PAYABLE:
        raise InvalidTransition(_("场景券尚未通过验收（或已作废），不能登记兑付。"))
    errors = _payment_errors(award, amount, paid_on, reference)
    if errors:
        raise ValidationFailed(_("兑付信息有误，请修改后再提交。"), fields=errors)


def _existing(reference: str) -> VoucherPayment | None:
    """The payment not reversed with this reference (a reversed one frees its reference)."""
    return db.session.scalar(
        select(VoucherPayment).where(
            VoucherPayment.reference == reference, VoucherPayment.reversed_at.is_(None)
        )
    )


def _same_or_refuse(existing: VoucherPayment, award: Award, amount, paid_on) -> VoucherPayment:
    if existing.award_id == award.id and existing.amount == amount and existing.paid_on == paid_on:
        return existing
    raise invalid("reference", _("凭证号 %(ref)s 已登记为另一笔兑付。", ref=existing.reference))


def record_payment(
    actor, award: Award, amount, paid_on, reference: str, note: str = ""
) -> tuple[VoucherPayment, bool]:
    """The organiser records one payment of a payable voucher; (payment, True) when new.

    Idempotent on the reference: the same payment again returns the first, unchanged; the
    same reference with another award, amount or date is refused."""
    require_organiser(actor)
    reference = (reference or "").strip()
    existing = _existing(reference) if reference else None
    if existing is not None:
        return _same_or_refuse(existing, award, amount, paid_on), False
    _check_payment(award, amount, paid_on, reference)
    payment = VoucherPayment(
        award_id=award.id,
        amount=amount,
        paid_on=paid_on,
        reference=reference,
        note=(note or "").strip()[:1000],
        recorded_by_id=actor.id,
    )
    db.session.add(payment)
    try:
        db.session.flush()
    except IntegrityError:  # a concurrent request recorded this reference first
        db.session.rollback()
        return _same_or_refuse(_existing(reference), award, amount, paid_on), False
    after = {"amount": f"{amount:f}", "paid_on": paid_on.isoformat(), "reference": reference}
    audit.record(actor, "voucher_payment", award, after=after)
    notify(
        award.beneficiary.members,
        "voucher_paid",
        _l("场景券已兑付 %(amount)s 万元", amount=f"{amount:f}"),
        award.listing.title,
        "/vouchers/",
        about=award,
    )
    db.session.commit()
    return payment, True


def _reversal_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise invalid("reason", _("请填写冲销原因（如“金额录入错误”）。"))
    if len(reason) > MAX_REVERSAL_REASON:
        raise invalid("reason", _("冲销原因不能超过 %(n)d 字。", n=MAX_REVERSAL_REASON))
    return reason


def reverse_payment(actor, payment: VoucherPayment, reason: str) -> bool:
    """The organiser reverses (冲销) a payment recorded by mistake, with a reason; True when
    this call reversed it.

    Nothing is deleted or edited: the payment is marked reversed (when, by whom, why) and no
    longer counts. Idempotent: the mark is a compare-and-set `UPDATE … WHERE reversed_at IS
    NULL`, so a second click or another tab finds it reversed and returns False, changing
    nothing and telling nobody twice. A payment already reversed cannot be reversed again."""
    require_organiser(actor)
    if payment.reversed_at is not None:
        return False
    reason = _reversal_reason(reason)
    now = clock.now()
    active = VoucherPayment.reversed_at.is_(None)
    if not claim(payment, active, reversed_at=now, reversed_by_id=actor.id, reversal_reason=reason):
        db.session.rollback()
        return False
    award = payment.award
    after = {
        "reference": payment.reference,
        "amount": f"{payment.amount:f}",
        "paid_on": payment.paid_on.isoformat(),
        "reason": reason,
    }
    audit.record(actor, "voucher_reversal", award, after=after)
    notify(
        award.beneficiary.members,
        "voucher_reversed",
        _l("场景券兑付已冲销 %(amount)s 万元", amount=f"{payment.amount:f}"),
        f"{award.listing.title}：{reason}",
        "/vouchers/",
        about=award,
    )
    db.session.commit()
    return True


# -- export --------------------------------------------------------------------------------


def _money(value: Decimal) -> str:
    return f"{Decimal(value).quantize(CENT):f}"


def _payment_text(payment: VoucherPayment) -> str:
    return f"{payment.paid_on.isoformat()} {payment.reference} {_money(payment.amount)}"


def reversal_text(payment: VoucherPayment) -> str:
    """ "已冲销：金额录入错误（王主任，2026-12-05 14:30）" """
    who = payment.reversed_by.name if payment.reversed_by is not None else "—"
    return _(
        "已冲销：%(reason)s（%(who)s，%(when)s）",
        reason=payment.reversal_reason,
        who=who,
        when=clock.local_minute(payment.reversed_at),
    )


def export_rows(viewer, year: int | None = None) -> tuple[tuple[str, ...], list[tuple]]:
    """One row per voucher line (plain text and numbers; the writers neutralise formulas).

    兑付记录 lists the payments that count, so they add up to 已兑付; a reversed payment is
    kept, as a finance officer expects, in 冲销记录 with its amount, 已冲销, the reason, who
    and when, and is summed nowhere."""
    header = tuple(
        str(label)
        for label in (
            _l("年度"),
            _l("发榜企业"),
            _l("榜单"),
            _l("挂帅单位"),
            _l("场景券（万元）"),
            _l("状态"),
            _l("已兑付（万元）"),
            _l("兑付记录"),
            _l("企业年度上限（万元）"),
            _l("年度剩余额度（万元）"),
            _l("冲销记录（不计入已兑付）"),
        )
    )
    rows = []
    for summary in summaries(viewer, year):
        for award in summary.lines:
            paid = [p for p in award.payments if p.reversed_at is None]
            reversed_ = [p for p in award.payments if p.reversed_at is not None]
            rows.append(
                (
                    summary.year,
                    summary.enterprise,
                    award.listing.title,
                    award.application.organisation.name,
                    _money(award.voucher_amount),
                    str(st.VOUCHER_LABELS[award.voucher_status]),
                    _money(award.paid_amount),
                    _("；").join(_payment_text(p) for p in paid),
                    _money(summary.cap),
                    _money(summary.remaining),
                    _("；").join(f"{_payment_text(p)} {reversal_text(p)}" for p in reversed_),
                )
            )
    return header, rows
