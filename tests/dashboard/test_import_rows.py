"""The survey import's dry run: every problem reported by row and column, nothing written."""

import pytest
from sqlalchemy import func, select

from matchmaker.accounts.models import Organisation
from matchmaker.dashboard import imports, survey
from matchmaker.extensions import db
from matchmaker.needs.models import Need
from tests.factories import ensure_taxonomy, make_user

from .survey_files import survey_row, workbook


@pytest.fixture
def organiser(app_ctx):
    ensure_taxonomy()
    return make_user(role="organiser")


def errors_of(result) -> list[tuple[int, str]]:
    return [(row.number, column) for row in result.rows for column, _message in row.errors]


def test_valid_file_previews_without_writing(organiser):
    result = imports.preview(organiser, workbook(survey_row(), survey_row(场景="T003")))
    assert result.valid and errors_of(result) == []
    assert [row.template.code for row in result.rows] == ["T001", "T003"]
    assert [row.confidence for row in result.rows] == [None, None]  # exact matches
    assert result.rows[0].budget == (30, 60)
    assert [
        (k.indicator, k.baseline, k.target, k.unit, k.direction) for k in result.rows[0].kpis
    ] == [
        ("出次率", 6.0, 5.1, "%", "down"),
        ("良率", 95.0, 98.0, "%", "up"),
    ]
    assert db.session.scalar(select(func.count()).select_from(Need)) == 0


def test_each_problem_is_reported_with_its_row_and_column(organiser):
    content = workbook(
        survey_row(),
        survey_row(统一社会信用代码="91440606000000001X"),
        survey_row(行业="造船"),
        survey_row(痛点=""),
        survey_row(指标="出次率 6 到 5.1"),
        survey_row(**{"预算（万元）": "五十万"}),
        survey_row(指标="良率:95→90%:up"),
    )
    result = imports.preview(organiser, content)
    assert not result.valid
    assert errors_of(result) == [
        (3, "统一社会信用代码"),
        (4, "行业"),
        (5, "痛点"),
        (6, "指标"),
        (7, "预算（万元）"),
        (8, "指标"),
    ]
    messages = {row.number: row.errors[0][1] for row in result.rows if row.errors}
    assert "校验位" in messages[3]
    assert messages[4] == "未知行业“造船”。"
    assert messages[5] == "此项为必填项。"
    assert "格式不正确" in messages[6] and "出次率:6→5.1%:down" in messages[6]
    assert "整数" in messages[7]
    assert "越高越好" in messages[8]


def test_missing_columns_and_unreadable_files(organiser):
    result = imports.preview(organiser, workbook(survey_row(), header=survey.COLUMNS[:-1]))
    assert result.errors == ["表头缺少以下列：联系电话。请使用下载的模板。"]
    assert imports.preview(organiser, b"PK\x03\x04 not a workbook").errors
    assert imports.preview(organiser, workbook()).errors == ["文件中没有数据行。"]


def test_blank_rows_are_ignored_and_numbering_follows_the_sheet(organiser):
    result = imports.preview(organiser, workbook(survey_row(), {}, survey_row(行业="")))
    assert errors_of(result) == [(4, "行业")]


def test_same_row_twice_in_one_file(organiser):
    row = survey_row()
    assert errors_of(imports.preview(organiser, workbook(row, row))) == [(3, "痛点")]


def test_credit_code_of_a_vendor_is_refused(organiser):
    from tests.factories import make_org

    vendor = make_org("vendor")
    result = imports.preview(organiser, workbook(survey_row(统一社会信用代码=vendor.credit_code)))
    assert errors_of(result) == [(2, "统一社会信用代码")]


def test_free_text_scenario_goes_through_the_classifier(organiser):
    result = imports.preview(organiser, workbook(survey_row(场景="染料配方的智能配比与优化")))
    row = result.rows[0]
    assert row.template.code == "T003"
    assert row.confidence is not None and 0 < row.confidence <= 1
    assert row.suggested[0][0].code == "T003"


def test_the_organiser_may_choose_another_template_of_the_industry(organiser):
    t001, t002, _t003 = ensure_taxonomy()
    content = workbook(survey_row(场景="染料配方的智能配比与优化"))
    row = imports.preview(organiser, content, {2: t001.id}).rows[0]
    assert row.template.code == "T001" and row.errors == [] and row.chosen
    refused = [("场景", "所选场景模板不属于该行业，或不存在、已停用。")]
    assert imports.preview(organiser, content, {2: 999_999}).rows[0].errors == refused
    assert imports.preview(organiser, content, {2: t002.id}).rows[0].errors == refused  # auto


def test_kpi_and_budget_cells():
    kpis, problem = survey.parse_kpis("出次率：→5.1%：越低越好；良率:95->98%:UP")
    assert problem is None
    assert [(k.baseline, k.target, k.unit, k.direction) for k in kpis] == [
        (None, 5.1, "%", "down"),
        (95.0, 98.0, "%", "up"),
    ]
    assert survey.parse_kpis("良率:95→98%:sideways")[1]
    assert survey.parse_budget("50") == ((50, 50), None)
    assert survey.parse_budget("30~60") == ((30, 60), None)
    assert survey.parse_budget("60-30")[1] == "预算区间的下限不能高于上限。"
    assert survey.parse_budget("12.5")[1]
    assert survey.parse_budget("") == ((None, None), None)


def test_only_organisers_preview(app_ctx):
    ensure_taxonomy()
    from matchmaker.errors import NotAllowed

    with pytest.raises(NotAllowed):
        imports.preview(make_user(role="factory_member"), workbook(survey_row()))
    assert db.session.scalar(select(func.count()).select_from(Organisation)) >= 1
