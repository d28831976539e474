"""The need form after a failed submit: the shared error summary (_macros.form_errors) at the
top, each message a link to its field, the same message beside the field, the typed values kept;
the KPI rows as a table of labelled inputs that stacks on phones (table-inputs)."""

import re

import pytest

from matchmaker.extensions import db
from matchmaker.needs.models import Need
from tests.factories import ensure_taxonomy, login, make_org, make_user
from tests.needs.test_views import form_data


@pytest.fixture
def owner(app_ctx):
    return make_user(make_org("factory", name="越新纺织化纤有限公司"))


@pytest.fixture
def templates(app_ctx):
    return ensure_taxonomy()


def summary(page: str) -> str:
    found = re.findall(
        r'<div class="alert alert-danger error-summary" role="alert">(.*?)</div>', page, re.S
    )
    assert len(found) == 1, "one error summary at the top of the form"
    return found[0]


def test_failed_need_form_has_a_summary_linking_to_each_field(client, owner, templates):
    login(client, owner.email)
    data = form_data(
        templates[0],
        title="",
        budget_min="90",
        budget_max="10",
        **{"kpis-0-baseline": "6", "kpis-0-target": "7"},
    )
    response = client.post("/needs/new?template=T001", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and db.session.query(Need).count() == 0
    box = summary(page)
    assert "提交未成功，请修改以下 3 处问题" in box
    assert '<a href="#title">请填写需求名称。</a>' in box
    assert '<a href="#budget_max">预算上限（万元）：预算上限不能低于下限。</a>' in box
    assert re.search(r'<a href="#kpis-0-indicator">第 1 个指标：[^<]*目标值应低于现状值', box)
    assert page.index("error-summary") < page.index('name="title"')  # at the top
    # …and beside each field, which is marked invalid; what was typed stays
    assert re.search(
        r'id="budget_max"[^>]*>\s*<p class="invalid-feedback d-block error" role="alert">预算上限不能低于下限',
        page,
    )
    assert re.search(r'<p class="error" role="alert">第 1 个指标：[^<]*目标值应低于现状值', page)
    assert 'value="90"' in page and "人工验布漏检多</textarea>" in page


def test_need_form_kpi_rows_are_labelled_inputs(client, owner, templates):
    login(client, owner.email)
    page = client.get("/needs/new?template=T001").get_data(as_text=True)
    assert '<table class="kpi-table table-inputs">' in page
    for label in ("指标", "现状值", "目标值", "单位", "方向"):
        assert f'<td data-label="{label}">' in page
    assert re.search(r'<select aria-label="方向" class="form-select" id="kpis-0-direction"', page)


def test_a_good_need_form_has_no_summary(client, owner, templates):
    login(client, owner.email)
    assert "error-summary" not in client.get("/needs/new?template=T001").get_data(as_text=True)


def test_a_bad_kpi_cell_is_marked_on_its_row_and_in_the_summary(client, owner, templates):
    login(client, owner.email)
    response = client.post(
        "/needs/new?template=T001", data=form_data(templates[0], **{"kpis-0-unit": "u" * 31})
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'<a href="#kpis-0-unit">第 1 行「单位」：[^<]+</a>', summary(page))
    assert re.search(r'class="form-control is-invalid" id="kpis-0-unit"', page)
    assert 'value="' + "u" * 31 + '"' in page


def test_closing_and_withdrawing_a_need_go_through_a_confirmation(client, owner, templates):
    from tests.factories import make_need

    need = make_need(owner.organisation, status="published")
    db.session.commit()
    login(client, owner.email)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    for dialog in ("close-confirm", "withdraw-confirm"):
        assert f'data-bs-target="#{dialog}"' in page and f'id="{dialog}"' in page
    assert re.search(r'<label class="form-label" for="comment">关闭原因（选填）</label>', page)
    assert f"需求「{need.title}」将关闭" in page and "此操作完成后不能撤销" in page
