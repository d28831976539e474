"""Small rules of the programme, as pure functions.

- 不得降低考核指标: a committed KPI value must be at least as good as the listing's target.
- The 场景券 voucher: share × contract value, capped per firm per calendar year across rounds.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def commitment_meets_target(direction: str, target: float, committed: float) -> bool:
    """`up` indicators must be committed ≥ target, `down` indicators ≤ target."""
    if direction == "up":
        return committed >= target
    if direction == "down":
        return committed <= target
    raise ValueError(f"unknown KPI direction {direction!r}")


def measured_meets_commitment(direction: str, committed: float, measured: float) -> bool:
    """At acceptance (验收) the measured value must reach what was committed."""
    return commitment_meets_target(direction, committed, measured)


def voucher_amount(
    contract_value: Decimal,
    share: Decimal,
    cap_per_year: Decimal,
    already_committed_this_year: Decimal,
) -> Decimal:
    """The voucher for one award, in 万元, rounded to 0.01; never negative."""
    raw = contract_value * share
    room = max(Decimal(0), cap_per_year - already_committed_this_year)
    return min(raw, room).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
