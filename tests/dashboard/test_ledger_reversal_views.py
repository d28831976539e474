"""冲销 on the 场景券台账 page and its export, through the client."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from matchmaker.competitions import ledger
from matchmaker.competitions.models import VoucherPayment
from matchmaker.extensions import db
from tests.competitions.builders import awarded
from tests.competitions.test_ledger import accept, today
from tests.factories import login, logout, make_org, make_user

REASON = "金额录入错误"


@pytest.fixture
def scene(app_ctx):
    scene = awarded()
    accept(scene)
    scene["payment"], _ = ledger.record_payment(
        scene["organiser"], scene["award"], Decimal("12.5"), today(), "PAY-9"
    )
    return scene


def url(payment) -> str:
    return f"/vouchers/payments/{payment.id}/reverse"


def test_reverse_from_the_page_then_again(client, scene):
    payment = scene["payment"]
    login(client, scene["organiser"].email)
    page = client.get("/vouchers/").get_data(as_text=True)
    assert f'action="{url(payment)}#reverse-{payment.id}"' in page and "确认冲销" in page
    response = client.post(url(payment), data={"reason": REASON})
    assert response.status_code == 302 and response.location.endswith(f"#award-{payment.award_id}")
    page = client.get(response.location).get_data(as_text=True)
    assert "兑付已冲销" in page and "已冲销" in page and REASON in page
    assert scene["organiser"].name in page and f'action="{url(payment)}' not in page
    assert "登记兑付" in page  # the whole voucher may be paid again
    again = client.post(url(payment), data={"reason": "再点一次"}, follow_redirects=True)
    assert again.status_code == 200 and "该笔兑付已冲销；本次操作未作更改。" in again.get_data(
        as_text=True
    )
    stored = db.session.get(VoucherPayment, payment.id)
    assert stored.reversal_reason == REASON and stored.award.paid_amount == 0


@pytest.mark.parametrize(("reason", "kept"), [("  ", None), ("错" * 501, "错" * 501)])
def test_a_missing_or_long_reason_is_shown_beside_the_field(client, scene, reason, kept):
    payment = scene["payment"]
    login(client, scene["organiser"].email)
    response = client.post(url(payment), data={"reason": reason})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    message = "请填写冲销原因" if kept is None else "冲销原因不能超过 500 字"
    field = page[page.index(f'id="reason-{payment.id}"') :]
    assert message in field[: field.index("</form>")]  # beside the field, in its open form
    assert '<details class="ledger-action" open>' in page
    if kept:
        assert f'value="{kept}"' in page
    assert db.session.get(VoucherPayment, payment.id).reversed_at is None


def test_only_organisers_reverse(client, scene):
    payment = scene["payment"]
    for user in (scene["owner"], scene["leads"][0], make_user(make_org("factory"))):
        login(client, user.email)
        assert "确认冲销" not in client.get("/vouchers/").get_data(as_text=True)
        assert client.post(url(payment), data={"reason": REASON}).status_code == 403
        logout(client)
    assert client.post(url(payment), data={"reason": REASON}).status_code == 302  # to login
    login(client, scene["organiser"].email)
    assert client.post("/vouchers/payments/999999/reverse", data={"reason": "x"}).status_code == 404
    assert db.session.get(VoucherPayment, payment.id).reversed_at is None


def test_the_enterprise_sees_the_reversal(client, scene):
    ledger.reverse_payment(scene["organiser"], scene["payment"], REASON)
    login(client, scene["owner"].email)
    page = client.get("/vouchers/").get_data(as_text=True)
    assert "已冲销" in page and REASON in page and "不计入已兑付" in page


def test_the_exports_show_it_as_reversed_and_do_not_sum_it(client, scene):
    organiser = scene["organiser"]
    ledger.record_payment(organiser, scene["award"], Decimal(5), today(), "PAY-10")
    ledger.reverse_payment(organiser, scene["payment"], REASON)
    login(client, organiser.email)
    raw = client.get("/vouchers/ledger.csv").get_data().decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(raw)))
    line = dict(zip(header, row, strict=True))
    assert line["已兑付（万元）"] == "5.00" and "PAY-9" not in line["兑付记录"]
    assert "PAY-9 12.50 已冲销：金额录入错误" in line["冲销记录（不计入已兑付）"]
    sheet = load_workbook(io.BytesIO(client.get("/vouchers/ledger.xlsx").get_data())).active
    values = [cell.value for cell in sheet[2]]
    assert "5.00" in values and any("PAY-9 12.50 已冲销" in str(v) for v in values)
