"""Survey import: KPI values and budgets beyond a sane range are refused with a message (a
400-digit value is not stored as inf, a 30-digit budget never reaches the database)."""

from __future__ import annotations

from matchmaker.dashboard import survey


def test_kpi_values_beyond_range_are_refused(app_ctx):
    kpis, problem = survey.parse_kpis("良率:" + "9" * 400 + "→98%:up")
    assert kpis == [] and "应在 -1000000000000 到 1000000000000 之间。" in problem
    kpis, problem = survey.parse_kpis("良率:95→" + "9" * 20 + "%:up")
    assert kpis == [] and "第 1 个指标" in problem


def test_budgets_beyond_range_are_refused(app_ctx):
    (low, high), problem = survey.parse_budget("99999999999999999999")
    assert (low, high) == (None, None) and problem
    (low, high), problem = survey.parse_budget("50-" + "9" * 15)
    assert (low, high) == (None, None) and "应在 0 到 10000000 之间。" in problem
    assert survey.parse_budget("9" * 5000)[1]
