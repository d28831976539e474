"""GET /api/v1/vouchers: the 场景券台账 as the page shows it, to the same people."""

from __future__ import annotations

from decimal import Decimal

from matchmaker import clock
from matchmaker.competitions import ledger
from tests.competitions.builders import awarded
from tests.competitions.test_ledger import accept
from tests.factories import make_org, make_user


def test_the_ledger_over_the_api(as_user):
    scene = awarded()
    award = accept(scene)
    day = clock.local_now().date()
    ledger.record_payment(scene["organiser"], award, Decimal("7.5"), day, "API-1")
    body = as_user(scene["owner"]).get("/api/v1/vouchers").get_json()
    [summary] = body["items"]
    assert (summary["year"], summary["cap"], summary["committed"]) == (2025, 50.0, 30.0)
    assert summary["payable"] == 30.0 and summary["paid"] == 7.5 and summary["remaining"] == 20.0
    [line] = summary["lines"]
    assert line["status"] == "payable" and line["payments"][0]["reference"] == "API-1"
    assert line["payments"][0]["reversed"] is False and line["payments"][0]["reversed_at"] is None
    assert as_user(scene["organiser"]).get("/api/v1/vouchers?year=2024").get_json() == {"items": []}
    other = as_user(make_user(make_org("factory"))).get("/api/v1/vouchers").get_json()
    assert other == {"items": []}
    assert as_user(scene["leads"][0]).get("/api/v1/vouchers").status_code == 403
    assert as_user(None).get("/api/v1/vouchers").status_code == 401
    assert as_user(scene["organiser"]).get("/api/v1/vouchers?year=x").status_code == 422


def test_a_reversed_payment_is_listed_marked_and_not_counted(as_user):
    scene = awarded()
    award, organiser = accept(scene), scene["organiser"]
    day = clock.local_now().date()
    payment, _ = ledger.record_payment(organiser, award, Decimal("12.5"), day, "API-2")
    ledger.reverse_payment(organiser, payment, "金额录入错误")
    [summary] = as_user(scene["owner"]).get("/api/v1/vouchers").get_json()["items"]
    [line] = summary["lines"]
    [listed] = line["payments"]
    assert summary["paid"] == 0 and line["paid"] == 0
    assert listed["reference"] == "API-2" and listed["amount"] == 12.5
    assert listed["reversed"] is True and listed["reversal_reason"] == "金额录入错误"
    assert listed["reversed_by"] == organiser.name and listed["reversed_at"]
