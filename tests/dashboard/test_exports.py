"""Exports: CSV (UTF-8 with BOM) and XLSX hold the same rows; organisers only."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.competitions.builders import reviewed
from tests.factories import login, make_need, make_offering, make_user

TABLES = ("needs", "offerings", "applications", "audit")


def xlsx_rows(content: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def organiser_client(client, app_ctx):
    scene = reviewed(n_apps=2, n_experts=2)
    make_need(status="draft", title="染料配方需求，含“引号”, 逗号")
    make_offering(status="published", price_min=12.5, price_max=30)
    login(client, scene["organiser"].email)
    return client, scene


@pytest.mark.parametrize("name", TABLES)
def test_csv_and_xlsx_hold_the_same_rows(organiser_client, name):
    client, _scene = organiser_client
    csv_response = client.get(f"/console/exports/{name}.csv")
    xlsx_response = client.get(f"/console/exports/{name}.xlsx")
    assert csv_response.status_code == xlsx_response.status_code == 200
    assert csv_response.mimetype == "text/csv"
    assert f"filename={name}.xlsx" in xlsx_response.headers["Content-Disposition"]
    rows = csv_rows(csv_response.data)
    assert len(rows) > 1
    assert rows == xlsx_rows(xlsx_response.data)


def test_applications_carry_the_scores(organiser_client):
    client, scene = organiser_client
    rows = csv_rows(client.get("/console/exports/applications.csv").data)
    header, first = rows[0], rows[1]
    assert first[header.index("id")] == str(scene["apps"][0].id)
    assert first[header.index("sheets")] == "2"
    assert first[header.index("sheet_totals")] == "35; 35"  # 8 + 7 + 9 + 6 + 5 by each expert
    assert first[header.index("status")] == "eligible"


def test_needs_keep_chinese_text_and_kpis(organiser_client):
    client, _scene = organiser_client
    rows = csv_rows(client.get("/console/exports/needs.csv").data)
    titles = [row[1] for row in rows[1:]]
    assert "染料配方需求，含“引号”, 逗号" in titles
    assert rows[1][rows[0].index("kpis")] == "漏检率:10→2%:down"


def test_exports_page_lists_every_download(organiser_client):
    client, _scene = organiser_client
    page = client.get("/console/exports").get_data(as_text=True)
    for name in TABLES:
        assert f"/console/exports/{name}.csv" in page and f"/console/exports/{name}.xlsx" in page


def test_unknown_table_or_format_is_404(organiser_client):
    client, _scene = organiser_client
    assert client.get("/console/exports/users.csv").status_code == 404
    assert client.get("/console/exports/needs.json").status_code == 404


def test_non_organisers_cannot_export(client, app_ctx):
    response = client.get("/console/exports/audit.xlsx")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(client, make_user(role="expert").email)
    assert client.get("/console/exports/audit.xlsx").status_code == 403
