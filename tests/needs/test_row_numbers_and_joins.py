"""Issue 15, item 16: errors name the row the user sees, and joined messages read cleanly."""

from __future__ import annotations

import pytest

from matchmaker.errors import ValidationFailed, join_sentences
from matchmaker.formtools import numbered_rows
from matchmaker.needs.validation import kpi_errors
from tests.factories import ensure_taxonomy, login, make_org, make_user

from .test_views import form_data


def test_join_sentences_never_reads_full_stop_then_semicolon():
    assert join_sentences(["目标值应低于现状值。", "预算上限不能低于下限。"]) == (
        "目标值应低于现状值；预算上限不能低于下限。"
    )
    assert join_sentences(["一", "一。", "", None, "二；"]) == "一；二。"
    assert join_sentences(["（例如 6 → 5.1）。"]) == "（例如 6 → 5.1）。"
    assert join_sentences([]) == ""
    err = ValidationFailed("总的说明。", fields={"a": ["甲。"], "b": ["乙。"]})
    assert err.summary == "甲；乙。"
    assert ValidationFailed("总的说明。").summary == "总的说明。"


def test_numbered_rows_keep_the_place_of_blank_rows():
    assert numbered_rows(["", "b", "", "d"], bool) == [(2, "b"), (4, "d")]


def test_kpi_errors_use_the_form_row_when_given():
    bad = {"indicator": "", "direction": "down", "target": 1.0}
    assert kpi_errors([dict(bad, form_row=2)]) == {"kpis": ["第 2 个指标：请填写指标名称。"]}
    assert kpi_errors([bad]) == {"kpis": ["第 1 个指标：请填写指标名称。"]}  # API: list order


@pytest.fixture
def owner(app_ctx):
    return make_user(make_org("factory"))


def test_a_blank_first_kpi_row_does_not_renumber_the_second(client, owner):
    """Regression: row 1 left blank made row 2's error say 第 1 个指标."""
    templates = ensure_taxonomy()
    login(client, owner.email)
    data = form_data(templates[0])
    data |= {"kpis-0-indicator": "", "kpis-0-baseline": "", "kpis-0-target": ""}
    data |= {
        "kpis-1-indicator": "漏检率",
        "kpis-1-baseline": "6",
        "kpis-1-target": "7",
        "kpis-1-unit": "%",
        "kpis-1-direction": "down",
    }
    response = client.post("/needs/new?template=T001", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "第 2 个指标：" in page and "第 1 个指标" not in page
