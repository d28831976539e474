"""场景券台账: committed → payable → paid per enterprise and year, payments and who sees what."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from matchmaker import clock
from matchmaker.competitions import audit, delivery, ledger, stageflow
from matchmaker.competitions import statuses as st
from matchmaker.competitions.models import VoucherPayment
from matchmaker.dashboard import figures
from matchmaker.errors import InvalidTransition, NotAllowed, ValidationFailed
from matchmaker.notifications.models import Notification
from tests.factories import make_org, make_user

from .builders import awarded


def accept(scene, measured=1.0):
    organiser, listing, award = scene["organiser"], scene["listing"], scene["award"]
    stageflow.act(organiser, listing, "start_delivery")
    for milestone in award.application.milestones:
        delivery.deliver_milestone(scene["leads"][0], milestone, "完成")
        delivery.confirm_milestone(scene["owner"], milestone)
    values = [delivery.MeasuredValue(k.id, measured) for k in listing.kpis]
    delivery.record_acceptance(organiser, award, values)
    return award


@pytest.fixture
def scene(app_ctx):
    return awarded()  # voucher 30 万元 (0.3 × 100) of a 50 万元 cap, year 2025


def today() -> date:
    return clock.local_now().date()


def test_committed_then_payable_then_paid(scene):
    organiser, award = scene["organiser"], scene["award"]
    [summary] = ledger.summaries(organiser)
    assert (summary.year, summary.cap, summary.committed) == (2025, Decimal(50), Decimal(30))
    assert summary.payable == 0 and summary.paid == 0 and summary.remaining == Decimal(20)
    accept(scene)
    [summary] = ledger.summaries(organiser)
    assert summary.payable == Decimal(30) and summary.committed == Decimal(30)
    payment, created = ledger.record_payment(organiser, award, Decimal("12.5"), today(), "XS-1")
    assert created and payment.amount == Decimal("12.5")
    [summary] = ledger.summaries(organiser)
    assert summary.paid == Decimal("12.5") and summary.unpaid == Decimal("17.5")
    assert audit.entries("awards", award.id)[-1].action == "voucher_payment"
    owner = scene["owner"]
    assert Notification.query.filter_by(user_id=owner.id, kind="voucher_paid").count() == 1


def test_a_void_voucher_frees_the_cap(scene):
    accept(scene, measured=1.9)  # 验收不通过
    [summary] = ledger.summaries(scene["organiser"])
    assert summary.committed == 0 and summary.remaining == Decimal(50)
    assert scene["award"].voucher_status == st.CANCELLED


def test_the_same_reference_is_recorded_once(scene):
    organiser, award = scene["organiser"], accept(scene)
    first, created = ledger.record_payment(organiser, award, Decimal(10), today(), "XS-2")
    again, created_again = ledger.record_payment(organiser, award, Decimal(10), today(), "XS-2")
    assert created and not created_again and again.id == first.id
    assert VoucherPayment.query.count() == 1
    with pytest.raises(ValidationFailed, match="已登记为另一笔兑付"):
        ledger.record_payment(organiser, award, Decimal(11), today(), "XS-2")


def test_only_organisers_record_payments(scene):
    award = accept(scene)
    for outsider in (scene["owner"], scene["leads"][0], make_user(role="expert")):
        with pytest.raises(NotAllowed):
            ledger.record_payment(outsider, award, Decimal(1), today(), "XS-3")


def test_no_payment_before_acceptance(scene):
    with pytest.raises(InvalidTransition, match="尚未通过验收"):
        ledger.record_payment(scene["organiser"], scene["award"], Decimal(1), today(), "XS-4")


@pytest.mark.parametrize(
    ("amount", "day", "reference", "field", "message"),
    [
        (Decimal(0), 0, "R1", "amount", "大于 0"),
        (Decimal(-5), 0, "R1", "amount", "大于 0"),
        (Decimal("1.001"), 0, "R1", "amount", "两位小数"),
        (None, 0, "R1", "amount", "大于 0"),
        (Decimal("30.01"), 0, "R1", "amount", "不能超过尚未兑付的 30.00"),
        (Decimal(1), 1, "R1", "paid_on", "不能晚于今天"),
        (Decimal(1), None, "R1", "paid_on", "兑付日期"),
        (Decimal(1), 0, "  ", "reference", "凭证号"),
        (Decimal(1), 0, "R" * 65, "reference", "64"),
    ],
)
def test_bad_payments_are_refused(scene, amount, day, reference, field, message):
    award = accept(scene)
    paid_on = None if day is None else today() + timedelta(days=day)
    with pytest.raises(ValidationFailed) as caught:
        ledger.record_payment(scene["organiser"], award, amount, paid_on, reference)
    assert message in " ".join(caught.value.fields[field])
    assert VoucherPayment.query.count() == 0


def test_paid_never_exceeds_the_voucher(scene):
    organiser, award = scene["organiser"], accept(scene)
    ledger.record_payment(organiser, award, Decimal(20), today(), "XS-5")
    with pytest.raises(ValidationFailed) as caught:
        ledger.record_payment(organiser, award, Decimal(11), today(), "XS-6")
    assert "10.00" in caught.value.summary
    ledger.record_payment(organiser, award, Decimal(10), today(), "XS-6")
    assert award.paid_amount == Decimal(30)


def test_each_enterprise_sees_its_own_lines_organisers_all(scene):
    owner, organiser = scene["owner"], scene["organiser"]
    other = make_user(make_org("factory"))
    assert [s.enterprise for s in ledger.summaries(owner)] == [scene["listing"].owners[0].name]
    assert ledger.summaries(other) == [] and ledger.years(other) == []
    assert len(ledger.summaries(organiser)) == 1 and ledger.years(organiser) == [2025]
    assert ledger.summaries(organiser, 2024) == []
    for outsider in (scene["leads"][0], make_user(role="expert"), None):
        with pytest.raises(NotAllowed):
            ledger.summaries(outsider)


def test_the_dashboard_figures_come_from_the_ledger(scene):
    organiser, award = scene["organiser"], accept(scene)
    ledger.record_payment(organiser, award, Decimal(8), today(), "XS-7")
    values = {f.key: f.value for f in figures.headline()}
    totals = ledger.totals()
    assert values["vouchers_committed"] == totals["committed"] == Decimal("30.00")
    assert values["vouchers_paid"] == totals["payable"] == Decimal("30.00")
    assert values["vouchers_disbursed"] == totals["paid"] == Decimal("8.00")


def test_a_concurrent_double_submit_is_recorded_once(scene, monkeypatch):
    """Two requests with one reference: the second passes the look-up before the first commits,
    the unique constraint stops its insert, and it answers with the first payment."""
    organiser, award = scene["organiser"], accept(scene)
    first, _ = ledger.record_payment(organiser, award, Decimal(5), today(), "XS-RACE")
    monkeypatch.setattr(ledger, "_existing", _not_yet(ledger._existing))
    again, created = ledger.record_payment(organiser, award, Decimal(5), today(), "XS-RACE")
    assert not created and again.id == first.id
    assert VoucherPayment.query.count() == 1


def _not_yet(lookup):
    """The look-up misses once (as in the other request's view), then sees the row."""
    calls = []

    def missing_first(reference):
        calls.append(reference)
        return None if len(calls) == 1 else lookup(reference)

    return missing_first
