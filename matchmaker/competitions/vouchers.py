"""The 场景券 an application plans to use (拟使用场景券), bounded as the award will bound it.

An application's voucher may not exceed its price, nor the round's share of the price
(`voucher_share` × price), nor what is left of the beneficiary's yearly cap (`voucher_cap`,
per firm and calendar year across rounds; the beneficiary is the listing's first owner, as at
the award). Checked when the draft is saved and again at submit, in 万元.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import clock
from ..extensions import db
from . import statuses as st
from .models import Award, Listing

CENT = Decimal("0.01")


def committed_vouchers(beneficiary_id: int, year: int) -> Decimal:
    """Vouchers already granted to a firm in a calendar year, across every round."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(Award.voucher_amount), 0)).where(
            Award.beneficiary_id == beneficiary_id,
            Award.voucher_year == year,
            Award.voucher_status != st.CANCELLED,
        )
    )
    return Decimal(str(total))


def _amount(value: Decimal) -> str:
    return f"{value.quantize(CENT):f}"


def remaining_cap(listing: Listing) -> Decimal:
    """What is left this year of the beneficiary's cap (the whole cap without an owner)."""
    cap = listing.round.voucher_cap
    if not listing.owners:
        return cap
    used = committed_vouchers(listing.owners[0].id, clock.local_now().year)
    return max(Decimal(0), cap - used)


def voucher_errors(listing: Listing, price: Decimal | None, voucher: Decimal | None) -> list[str]:
    """Why the planned voucher is not allowed (empty when it is, or when none is planned)."""
    if voucher is None or voucher == 0:
        return []
    if price is None:
        return [_("填写拟使用场景券前，请先填写报价。")]
    if voucher > price:
        return [
            _(
                "拟使用场景券 %(voucher)s 万元不能超过报价 %(price)s 万元。",
                voucher=_amount(voucher),
                price=_amount(price),
            )
        ]
    share = listing.round.voucher_share
    by_share = (price * share).quantize(CENT, rounding=ROUND_DOWN)
    if voucher > by_share:
        return [
            _(
                "拟使用场景券不能超过报价的 %(percent)s%%，即 %(limit)s 万元（本批次规则）。",
                percent=f"{(share * 100).normalize():f}",
                limit=_amount(by_share),
            )
        ]
    room = remaining_cap(listing)
    if voucher > room:
        return [
            _(
                "发榜企业本年度场景券剩余额度为 %(room)s 万元（每家企业每年上限 %(cap)s 万元），"
                "拟使用场景券不能超过该额度。",
                room=_amount(room),
                cap=_amount(listing.round.voucher_cap),
            )
        ]
    return []
