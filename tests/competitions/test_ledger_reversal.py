"""冲销: a payment recorded by mistake is reversed with a reason, stays on the ledger marked
已冲销, and counts nowhere; its reference may be recorded again; twice is once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from matchmaker import clock
from matchmaker.competitions import audit, ledger
from matchmaker.competitions.audit_log import describe
from matchmaker.competitions.models import VoucherPayment
from matchmaker.dashboard import figures
from matchmaker.errors import NotAllowed, ValidationFailed
from matchmaker.extensions import db
from matchmaker.notifications.models import Notification
from tests.factories import make_user

from .builders import awarded
from .test_ledger import accept, today

REASON = "金额录入错误"


@pytest.fixture
def scene(app_ctx):
    scene = awarded()  # voucher 30 万元 of a 50 万元 cap, year 2025
    accept(scene)
    return scene


def pay(scene, amount, reference) -> VoucherPayment:
    payment, created = ledger.record_payment(
        scene["organiser"], scene["award"], Decimal(amount), today(), reference
    )
    assert created
    return payment


def reversals(award) -> list:
    return [e for e in audit.entries("awards", award.id) if e.action == "voucher_reversal"]


def test_a_reversed_payment_stays_listed_and_counts_nowhere(scene):
    organiser, award = scene["organiser"], scene["award"]
    wrong, right = pay(scene, "12.5", "XS-1"), pay(scene, "5", "XS-2")
    [before] = ledger.summaries(organiser)
    assert (before.paid, before.unpaid) == (Decimal("17.5"), Decimal("12.5"))
    assert ledger.reverse_payment(organiser, wrong, f"  {REASON} ") is True
    [after] = ledger.summaries(organiser)
    assert (after.paid, after.unpaid) == (Decimal(5), Decimal(25))
    assert ledger.totals()["paid"] == Decimal("5.00")
    assert {f.key: f.value for f in figures.headline()}["vouchers_disbursed"] == Decimal("5.00")
    # the cap counts committed vouchers, never payments: a reversal leaves it as it was
    assert (after.cap, after.committed, after.remaining) == (before.cap, before.committed, 20)
    assert ledger._cap(award.beneficiary_id, 2025) == Decimal(50)
    # still on the ledger, with who, when and why; nothing else about it changed
    listed = db.session.get(VoucherPayment, wrong.id)
    assert [p.id for p in after.lines[0].payments] == [wrong.id, right.id]
    assert listed.reversed and listed.reversal_reason == REASON
    assert listed.reversed_by_id == organiser.id and listed.reversed_at is not None
    assert (listed.amount, listed.reference) == (Decimal("12.5"), "XS-1")
    # what was reversed may be paid again: only 5 of the 30 counts as paid
    pay(scene, "25", "XS-3")
    assert award.paid_amount == Decimal(30)


def test_reversing_twice_reverses_once(scene):
    organiser, owner = scene["organiser"], scene["owner"]
    payment = pay(scene, "10", "XS-4")
    assert ledger.reverse_payment(organiser, payment, REASON) is True
    assert ledger.reverse_payment(organiser, payment, "另一个原因") is False
    assert db.session.get(VoucherPayment, payment.id).reversal_reason == REASON
    [entry] = reversals(scene["award"])
    assert entry.actor_id == organiser.id
    assert entry.after == {
        "reference": "XS-4",
        "amount": "10.00",
        "paid_on": today().isoformat(),
        "reason": REASON,
    }
    text = describe(entry)
    assert text.action == "冲销场景券兑付" and REASON in " ".join(c.after for c in text.changes)
    told = Notification.query.filter_by(user_id=owner.id, kind="voucher_reversed").all()
    assert len(told) == 1 and told[0].repeats == 1 and REASON in told[0].body


def test_another_tab_that_reversed_first_wins(scene):
    """The page was read before the other tab's reversal committed: the compare-and-set finds
    the row reversed and this call changes nothing, records nothing, tells nobody."""
    organiser, payment = scene["organiser"], pay(scene, "10", "XS-5")
    other = make_user(role="organiser")
    db.session.execute(
        update(VoucherPayment)
        .where(VoucherPayment.id == payment.id)
        .values(reversed_at=clock.now(), reversed_by_id=other.id, reversal_reason="先到的")
    )
    db.session.commit()
    set_committed_value(payment, "reversed_at", None)  # this request read it before
    assert ledger.reverse_payment(organiser, payment, REASON) is False
    stored = db.session.get(VoucherPayment, payment.id)
    assert (stored.reversal_reason, stored.reversed_by_id) == ("先到的", other.id)
    assert reversals(scene["award"]) == []
    assert Notification.query.filter_by(kind="voucher_reversed").count() == 0


@pytest.mark.parametrize(
    ("reason", "message"), [("", "请填写冲销原因"), ("   ", "请填写冲销原因"), ("因" * 501, "500")]
)
def test_a_reason_is_required(scene, reason, message):
    payment = pay(scene, "10", "XS-6")
    with pytest.raises(ValidationFailed) as caught:
        ledger.reverse_payment(scene["organiser"], payment, reason)
    assert message in " ".join(caught.value.fields["reason"])
    db.session.rollback()
    assert db.session.get(VoucherPayment, payment.id).reversed_at is None
    assert reversals(scene["award"]) == []


def test_only_organisers_reverse(scene):
    payment = pay(scene, "10", "XS-7")
    for outsider in (scene["owner"], scene["leads"][0], make_user(role="expert"), None):
        with pytest.raises(NotAllowed):
            ledger.reverse_payment(outsider, payment, REASON)
    assert db.session.get(VoucherPayment, payment.id).reversed_at is None


def test_the_reference_of_a_reversed_payment_may_be_recorded_again(scene):
    organiser, award = scene["organiser"], scene["award"]
    wrong = pay(scene, "10", "XS-8")
    with pytest.raises(ValidationFailed, match="已登记为另一笔兑付"):
        ledger.record_payment(organiser, award, Decimal(12), today(), "XS-8")
    ledger.reverse_payment(organiser, wrong, REASON)
    right = pay(scene, "12", "XS-8")  # the correction: the same transfer, the right amount
    assert right.id != wrong.id and award.paid_amount == Decimal(12)
    # among the payments that count, recording it twice still records it once
    again, created = ledger.record_payment(organiser, award, Decimal(12), today(), "XS-8")
    assert not created and again.id == right.id
    with pytest.raises(ValidationFailed, match="已登记为另一笔兑付"):
        ledger.record_payment(organiser, award, Decimal(13), today(), "XS-8")
    assert VoucherPayment.query.filter_by(reference="XS-8").count() == 2


def test_the_database_keeps_one_live_payment_per_reference_and_a_reason(scene):
    award = scene["award"]
    pay(scene, "10", "XS-9")
    db.session.add(
        VoucherPayment(award_id=award.id, amount=Decimal(1), paid_on=today(), reference="XS-9")
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    unexplained = VoucherPayment(
        award_id=award.id,
        amount=Decimal(1),
        paid_on=today(),
        reference="XS-10",
        reversed_at=clock.now(),
    )
    db.session.add(unexplained)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_export_keeps_a_reversed_payment_apart_and_unsummed(scene):
    organiser = scene["organiser"]
    wrong = pay(scene, "12.5", "XS-11")
    pay(scene, "5", "XS-12")
    ledger.reverse_payment(organiser, wrong, REASON)
    header, [row] = ledger.export_rows(organiser)
    line = dict(zip(header, row, strict=True))
    assert line["已兑付（万元）"] == "5.00"
    assert line["兑付记录"] == f"{today().isoformat()} XS-12 5.00"
    reversed_text = line["冲销记录（不计入已兑付）"]
    assert reversed_text.startswith(f"{today().isoformat()} XS-11 12.50 已冲销：{REASON}（")
    assert organiser.name in reversed_text
    assert clock.local_minute(db.session.get(VoucherPayment, wrong.id).reversed_at) in reversed_text
