"""The survey import through the console: upload, preview, commit (all or nothing), re-import."""

import io
import re

import pytest
from sqlalchemy import func, select

from matchmaker.accounts.models import Organisation
from matchmaker.dashboard.models import ImportedNeed
from matchmaker.extensions import db
from matchmaker.needs.models import Need
from tests.factories import ensure_taxonomy, login, make_org, make_user

from .survey_files import survey_row, workbook


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def organiser(client, app_ctx):
    ensure_taxonomy()
    user = make_user(role="organiser")
    login(client, user.email)
    return user


def upload(client, content: bytes, name: str = "survey.xlsx"):
    data = {"survey": (io.BytesIO(content), name)}
    return client.post("/console/import", data=data, content_type="multipart/form-data")


def preview_url(client, content: bytes) -> str:
    response = upload(client, content)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def test_template_file_has_the_columns_and_the_rules(client, organiser):
    from openpyxl import load_workbook

    from matchmaker.dashboard.survey import COLUMNS

    response = client.get("/console/import/template.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["需求调查", "填写说明"]
    assert [c.value for c in book["需求调查"][1]] == list(COLUMNS)
    rules = {row[0]: row[1] for row in book["填写说明"].iter_rows(values_only=True)}
    assert "出次率:6→5.1%:down" in rules["指标"] and "30-60" in rules["预算（万元）"]


def test_import_creates_approved_factories_and_draft_needs(client, organiser):
    existing = make_org("factory", name="已在平台的工厂")
    rows = [survey_row(), survey_row(统一社会信用代码=existing.credit_code, 场景="T003")]
    url = preview_url(client, workbook(*rows))
    page = client.get(url).get_data(as_text=True)
    assert "将导入" in page and "完全匹配" in page and "确认导入 2 条" in page
    assert count(Need) == 0  # the preview writes nothing
    response = client.post(url, data={"confirm": "1"})
    assert response.status_code == 302 and response.headers["Location"] == "/console"
    factory = db.session.scalar(select(Organisation).where(Organisation.name == "示范纺织有限公司"))
    assert factory.kind == "factory" and factory.status == "approved"
    assert factory.reviewed_by_id == organiser.id and factory.contact_name == "张三"
    needs = list(db.session.scalars(select(Need).order_by(Need.id)))
    assert [(n.owner_id, n.status, n.template.code) for n in needs] == [
        (factory.id, "draft", "T001"),
        (existing.id, "draft", "T003"),
    ]
    assert (needs[0].budget_min, needs[0].budget_max, needs[0].town) == (30, 60, "衙前镇")
    assert [(k.indicator, k.baseline, k.target) for k in needs[0].kpis] == [
        ("出次率", 6.0, 5.1),
        ("良率", 95.0, 98.0),
    ]
    assert existing.name == "已在平台的工厂" and count(Organisation) == 3  # + organiser's


def test_one_invalid_row_writes_nothing(client, organiser):
    content = workbook(survey_row(), survey_row(指标="良率 95 → 98"))
    url = preview_url(client, content)
    page = client.get(url).get_data(as_text=True)
    assert re.search(r"<td>3</td><td>指标</td><td>第 1 个指标", page)
    assert 'name="confirm"' not in page
    response = client.post(url, data={"confirm": "1"})  # forced: the service refuses
    assert response.status_code == 422
    assert "未写入任何数据" in response.get_data(as_text=True)
    assert count(Need) == count(ImportedNeed) == 0
    assert count(Organisation) == 1  # only the organiser's


def test_reimporting_the_same_file_creates_nothing(client, organiser):
    row = survey_row()  # two needs of one factory: created once, then reused
    content = workbook(row, {**row, "场景": "T003"})
    client.post(preview_url(client, content), data={"confirm": "1"})
    assert count(Need) == 2 and count(Organisation) == 2
    url = preview_url(client, content)
    page = client.get(url).get_data(as_text=True)
    assert page.count("已导入，将跳过") == 2 and "确认导入 0 条" in page
    client.post(url, data={"confirm": "1"})
    assert count(Need) == count(ImportedNeed) == 2 and count(Organisation) == 2
    # A changed pain point is a new need of the same factory.
    client.post(preview_url(client, workbook({**row, "痛点": "换了痛点"})), data={"confirm": "1"})
    assert count(Need) == 3 and count(Organisation) == 2


def test_template_choice_is_kept_and_checked(client, organiser):
    t001, _t002, _t003 = ensure_taxonomy()
    url = preview_url(client, workbook(survey_row(场景="染料配方的智能配比与优化")))
    page = client.get(url).get_data(as_text=True)
    assert re.search(r'<select name="template_2"', page) and "%</td>" in page
    client.post(url, data={"template_2": str(t001.id), "confirm": "1"})
    assert db.session.scalar(select(Need.template_id)) == t001.id


def test_uploads_are_checked(client, organiser):
    response = upload(client, b"a,b\n", name="survey.csv")
    assert response.status_code == 422 and "不支持的文件类型" in response.get_data(as_text=True)
    response = upload(client, b"not a zip", name="survey.xlsx")
    assert response.status_code == 422 and "内容与扩展名不符" in response.get_data(as_text=True)
    response = upload(client, b"PK\x03\x04" + b"0" * (5 * 1024 * 1024), name="big.xlsx")
    assert response.status_code == 422 and "超过 5 MB" in response.get_data(as_text=True)


def test_a_preview_belongs_to_the_session_that_uploaded_it(client, app, organiser):
    url = preview_url(client, workbook(survey_row()))
    other = app.test_client()
    login(other, make_user(role="organiser").email)
    assert other.get(url).status_code == 404
    assert other.post(url, data={"confirm": "1"}).status_code == 404
    assert client.get("/console/import/" + "0" * 32).status_code == 404
    assert client.get("/console/import/../secret").status_code == 404
    assert count(Need) == 0
