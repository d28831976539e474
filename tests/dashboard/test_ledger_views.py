"""The 场景券台账 pages and export, and the award page's 整改/复验 forms, through the client."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from matchmaker import clock
from matchmaker.competitions import rectification
from matchmaker.competitions.models import Rectification, VoucherPayment
from matchmaker.extensions import db
from tests.competitions.builders import awarded
from tests.competitions.test_ledger import accept
from tests.factories import login, make_org, make_user

FORMULA = '=HYPERLINK("http://evil.example","点我")'


@pytest.fixture
def scene(app_ctx):
    scene = awarded()
    scene["listing"].title = FORMULA
    db.session.commit()
    return scene


def test_the_enterprise_sees_its_lines_another_sees_none_a_vendor_is_refused(client, scene):
    login(client, scene["owner"].email)
    page = client.get("/vouchers/").get_data(as_text=True)
    assert scene["listing"].owners[0].name in page and "30.00" in page and "剩余额度" in page
    assert "确认登记" not in page  # organisers only
    client.post("/logout")
    login(client, make_user(make_org("factory")).email)
    assert "暂无场景券记录" in client.get("/vouchers/").get_data(as_text=True)
    client.post("/logout")
    login(client, scene["leads"][0].email)
    assert client.get("/vouchers/").status_code == 403
    assert client.get("/vouchers/ledger.csv").status_code == 403


def test_the_export_neutralises_formulas_in_csv_and_xlsx(client, scene):
    login(client, scene["organiser"].email)
    response = client.get("/vouchers/ledger.csv?year=2025")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][:3] == ["年度", "发榜企业", "榜单"]
    assert (
        rows[1][2] == "'" + FORMULA and rows[1][4] == "30.00" and rows[1][5] == "已核定（待验收）"
    )
    sheet = load_workbook(io.BytesIO(client.get("/vouchers/ledger.xlsx").get_data())).active
    cell = sheet.cell(row=2, column=3)
    assert cell.value == FORMULA and cell.data_type == "s"
    assert (
        len(
            list(
                csv.reader(
                    io.StringIO(
                        client.get("/vouchers/ledger.csv?year=2024").get_data().decode("utf-8-sig")
                    )
                )
            )
        )
        == 1
    )


def test_a_payment_form_with_bad_input_answers_4xx_and_keeps_it(client, scene):
    award = accept(scene)
    login(client, scene["organiser"].email)
    url = f"/vouchers/awards/{award.id}/payments"
    bad = {"amount": "三十", "paid_on": "2025-13-40", "reference": "PAY-坏", "note": "备注"}
    response = client.post(url, data=bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "兑付金额应为大于 0 的数" in page
    assert 'value="三十"' in page and 'value="PAY-坏"' in page
    assert "兑付日期" in page  # every wrong field is named at once
    # the form posts to its own anchor: the refused page opens at the form and its messages
    assert f'action="{url}#payment-{award.id}"' in page
    day = clock.local_now().date().isoformat()
    good = {"amount": "10", "paid_on": day, "reference": "PAY-001"}
    assert client.post(url, data=good).status_code == 302
    again = client.post(url, data=good, follow_redirects=True).get_data(as_text=True)
    assert "本次未重复登记" in again and VoucherPayment.query.count() == 1
    today = clock.local_now().date()
    assert f"{today.year}年{today.month}月{today.day}日 · 凭证号 PAY-001" in again  # not 2026-12-05
    assert award.paid_amount == Decimal(10)


def test_the_rectification_forms(client, scene):
    award = accept(scene, measured=1.9)
    login(client, scene["organiser"].email)
    url = f"/rounds/awards/{award.id}/rectification"
    page = client.get(f"/rounds/awards/{award.id}").get_data(as_text=True)
    assert "给予整改期" in page
    response = client.post(url, data={"days": "四十", "findings": "夜班漏检率超标"})
    assert response.status_code == 422 and "整改期限应为 1 至 365 天" in response.get_data(
        as_text=True
    )
    assert "夜班漏检率超标" in response.get_data(as_text=True)
    assert client.post(url, data={"days": "30", "findings": "夜班漏检率超标"}).status_code == 302
    assert client.post(url, data={"days": "30", "findings": "再来"}).status_code == 409
    listing_page = client.get(f"/rounds/listings/{scene['listing'].id}").get_data(as_text=True)
    assert "整改复验" in listing_page
    client.post("/logout")
    login(client, scene["leads"][0].email)
    fix = db.session.get(Rectification, award.rectification.id)
    report = f"/rounds/rectifications/{fix.id}/report"
    assert client.post(report, data={"note": " "}).status_code == 422
    png = (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), "复测.png")
    response = client.post(report, data={"note": "已重新训练", "files": png})
    assert response.status_code == 302
    page = client.get(f"/rounds/awards/{award.id}").get_data(as_text=True)
    assert "已提交整改，待复验" in page and "复测.png" in page
    assert rectification.reacceptance_due(db.session.get(Rectification, fix.id).award)
