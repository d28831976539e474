from decimal import Decimal

import pytest

from matchmaker.competitions.rules import (
    commitment_meets_target,
    measured_meets_commitment,
    voucher_amount,
)


@pytest.mark.parametrize(
    "direction,target,committed,ok",
    [
        ("down", 5.1, 5.1, True),
        ("down", 5.1, 4.0, True),
        ("down", 5.1, 5.2, False),
        ("up", 98.0, 99.5, True),
        ("up", 98.0, 97.9, False),
    ],
)
def test_commitment_may_not_lower_the_target(direction, target, committed, ok):
    assert commitment_meets_target(direction, target, committed) is ok


def test_unknown_direction_is_an_error():
    with pytest.raises(ValueError):
        commitment_meets_target("sideways", 1, 1)


def test_measured_value_against_commitment():
    assert measured_meets_commitment("down", 2.0, 1.8)
    assert not measured_meets_commitment("up", 95, 94.9)


def test_voucher_share_and_yearly_cap():
    assert voucher_amount(Decimal("200"), Decimal("0.3"), Decimal("100"), Decimal("0")) == Decimal(
        "60.00"
    )
    assert voucher_amount(Decimal("200"), Decimal("0.3"), Decimal("100"), Decimal("60")) == Decimal(
        "40.00"
    )
    assert voucher_amount(
        Decimal("200"), Decimal("0.3"), Decimal("100"), Decimal("120")
    ) == Decimal("0.00")
