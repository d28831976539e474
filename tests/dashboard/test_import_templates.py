"""Issue 15, item 14: the survey import picks templates of the row's industry only, and a
row whose best confidence is low is 需人工确认: not imported until the organiser chooses."""

import re

import pytest
from sqlalchemy import func, select

from matchmaker.dashboard import classifier, imports
from matchmaker.dashboard.models import ImportedNeed
from matchmaker.extensions import db
from matchmaker.needs.models import Need
from matchmaker.scenarios.models import Industry
from tests.factories import ensure_taxonomy, login, make_user

from .survey_files import survey_row, workbook
from .test_import_flow import preview_url

UNCLEAR = "冻干机故障预警"  # nothing of the textile industry's templates


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def organiser(app_ctx):
    ensure_taxonomy()
    return make_user(role="organiser")


def industry(code: str) -> Industry:
    return db.session.scalar(select(Industry).where(Industry.code == code))


def test_the_classifier_only_suggests_templates_of_the_industry(organiser):
    auto = industry("auto")
    suggestions = classifier.suggest("染料配方的智能配比与优化", auto.id)  # a textile text
    assert [t.code for t, _c in suggestions] == ["T002"]
    assert classifier.is_low(suggestions[0][1])  # "none of these" beats the lone template
    textile = classifier.suggest("染料配方的智能配比与优化", industry("textile").id)
    assert [t.code for t, _c in textile][0] == "T003" and textile[0][1] > 0.9


def test_a_row_never_gets_a_template_of_another_industry(organiser):
    rows = [
        survey_row(行业="汽车零部件", 场景="染料配方的智能配比与优化"),
        survey_row(行业="汽车零部件", 场景="坯布疵点视觉检测"),  # T001's exact title
    ]
    result = imports.preview(organiser, workbook(*rows))
    for row in result.rows:
        assert row.template.industry.code == "auto"
        assert {t.industry.code for t, _c in row.suggested} == {"auto"}
        assert {t.code for t in row.options} == {"T002"}


def test_a_low_confidence_row_needs_a_choice(organiser):
    result = imports.preview(organiser, workbook(survey_row(), survey_row(场景=UNCLEAR)))
    sure, unclear = result.rows
    assert not sure.needs_choice and sure.confidence is None  # exact title
    assert unclear.needs_choice and unclear.confidence < classifier.LOW_CONFIDENCE
    assert unclear.errors == [] and result.valid and not result.ready
    assert result.unresolved == [unclear]


@pytest.fixture
def web_organiser(client, app_ctx):
    ensure_taxonomy()
    login(client, make_user(role="organiser").email)


def test_preview_marks_the_row_and_offers_the_industry_templates(client, web_organiser):
    url = preview_url(client, workbook(survey_row(), survey_row(场景=UNCLEAR)))
    page = client.get(url).get_data(as_text=True)
    row = re.search(r'<tr class="needs-choice">.*?</tr>', page, re.S).group(0)
    assert "需人工确认" in row and UNCLEAR in row
    select_ = re.search(r'<select name="template_3".*?</select>', row, re.S).group(0)
    assert '<option value="" selected>' in select_
    codes = re.findall(r'<option value="\d+" >(T\d+)', select_)
    assert sorted(codes) == ["T001", "T003"]  # textile's, not T002 (auto)
    assert 'name="confirm"' not in page and "有 1 行需人工确认" in page


def test_commit_refuses_unresolved_rows_and_takes_the_choice(client, web_organiser):
    t001, t002, t003 = ensure_taxonomy()
    url = preview_url(client, workbook(survey_row(), survey_row(场景=UNCLEAR)))
    response = client.post(url, data={"confirm": "1", "template_3": ""})
    assert response.status_code == 422
    assert "第 3 行需人工确认场景模板" in response.get_data(as_text=True)
    assert count(Need) == count(ImportedNeed) == 0
    response = client.post(url, data={"confirm": "1", "template_3": str(t002.id)})  # auto
    assert response.status_code == 422 and count(Need) == 0
    assert "所选场景模板不属于该行业" in response.get_data(as_text=True)
    response = client.post(url, data={"confirm": "1", "template_3": str(t003.id)})
    assert response.status_code == 302
    assert sorted(db.session.scalars(select(Need.template_id))) == sorted([t001.id, t003.id])


def test_a_chosen_row_is_shown_as_chosen_and_can_be_committed(client, web_organiser):
    _t001, _t002, t003 = ensure_taxonomy()
    url = preview_url(client, workbook(survey_row(场景=UNCLEAR)))
    page = client.post(url, data={"template_2": str(t003.id)}).get_data(as_text=True)
    assert "已选择" in page and "需人工确认" not in page and 'name="confirm"' in page
    assert re.search(rf'<option value="{t003.id}" selected>', page)
