"""Supply–demand gaps from the matching engine (tiny deterministic encoder), and the page."""

from __future__ import annotations

import pytest

from matchmaker.dashboard import gaps
from tests.factories import ensure_taxonomy, login, make_need, make_offering, make_user
from tests.search_wiring import count_index_calls, index_now, search_index  # noqa: F401

FABRIC = "坯布疵点视觉检测：验布机加装线阵相机，自动识别坯布疵点，降低漏检率。"


@pytest.fixture
def world(app, app_ctx, search_index):  # noqa: F811
    app.config["CONSOLE_GAP_MIN_SIMILARITY"] = 0.6
    t001, _t002, t003 = ensure_taxonomy()
    covered = make_need(
        status="published", template=t001, title="坯布疵点视觉检测", goal=FABRIC, pain_point=FABRIC
    )
    lonely = make_need(
        status="published",
        template=t003,
        title="污水处理厂加药量控制",
        goal="根据进水水质自动调节絮凝剂投加量，降低药耗。",
        pain_point="加药凭经验，药耗高，出水氨氮波动。",
        current_process="人工巡检化验。",
        data_volume="",
    )
    draft = make_need(status="draft", template=t003, title="草稿不参与分析")
    offering = make_offering(
        status="published", title="坯布疵点视觉检测系统", summary=FABRIC, templates=[t001]
    )
    for need in (covered, lonely, draft):
        index_now("need", need)
    index_now("offering", offering)
    return covered, lonely, offering


def test_a_need_without_capable_offering_is_listed_and_a_covered_one_is_not(world):
    covered, lonely, offering = world
    report = gaps.gap_report()
    assert [item.need.id for item in report.uncovered] == [lonely.id]
    assert report.uncovered[0].best is not None and report.uncovered[0].best < 0.6
    rows = {row.key: (row.needs, row.offerings, row.uncovered) for row in report.templates}
    assert rows == {"T001": (1, 1, 0), "T003": (1, 0, 1)}
    by_category = {
        row.label: (row.needs, row.offerings, row.uncovered) for row in report.categories
    }
    assert by_category == {"机器视觉质量检测": (1, 1, 0), "工艺参数优化": (1, 0, 1)}


def test_the_threshold_comes_from_config(app, world):
    app.config["CONSOLE_GAP_MIN_SIMILARITY"] = 0.9999
    assert len(gaps.gap_report().uncovered) == 2


def test_sorting():
    rows = [
        gaps.GapRow("a", "乙", needs=3, uncovered=1),
        gaps.GapRow("b", "甲", needs=1, uncovered=1),
    ]
    assert [r.key for r in gaps.sort_rows(rows, "needs", False)] == ["b", "a"]
    assert [r.key for r in gaps.sort_rows(rows, "uncovered", True)] == ["a", "b"]  # ties: label
    assert gaps.sort_order("drop table", "asc") == ("uncovered", True)
    assert gaps.sort_order("needs", "asc") == ("needs", False)


def test_gaps_page_lists_uncovered_needs_with_chart_and_tables(client, world):
    covered, lonely, _ = world
    login(client, make_user(role="organiser").email)
    response = client.get("/console/gaps?sort=needs&order=asc")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'href="/needs/{lonely.id}"' in page and f'href="/needs/{covered.id}"' not in page
    assert 'data-chart="gaps" data-chart-data=' in page
    assert 'id="gap-category-table"' in page and 'id="gap-template-table"' in page
    assert "vendor/echarts/echarts.min.js" in page and "js/console-charts.js" in page
    assert client.get("/console/gaps?sort=bogus&order=x").status_code == 200


def test_batched_report_equals_the_per_need_computation(world):
    """`compute` (one batched ranking) finds for each need what `capable_offerings` finds
    need by need: the same capable offerings and the same best similarity."""
    from matchmaker.needs.hall import published_needs

    covered, lonely, offering = world
    extra = make_need(status="published", title="坯布疵点检测", goal=FABRIC, pain_point="漏检")
    index_now("need", extra)
    data = gaps.compute()
    expected_uncovered = []
    for need in published_needs():
        capable, examined, _ = gaps.capable_offerings(need)
        if not capable:
            best = max(gaps._similarity(m) for m in examined)
            expected_uncovered.append([need.id, best])
    assert sorted(data["uncovered"]) == sorted(expected_uncovered)
    per_need = {n.id: {m.id for m in gaps.capable_offerings(n)[0]} for n in published_needs()}
    assert per_need[covered.id] == {str(offering.id)}
    template_rows = {k: v["offerings"] for k, v in data["templates"].items()}
    assert template_rows["T001"] == sorted(per_need[covered.id] | per_need[extra.id])


def test_stored_report_is_read_not_recomputed_and_refreshed_by_the_job(app, world, monkeypatch):
    from matchmaker import clock
    from matchmaker.dashboard.models import GapSnapshot
    from matchmaker.extensions import db

    covered, lonely, offering = world
    first = gaps.stored_report()  # nothing stored yet: computed once and stored
    before = db.session.get(GapSnapshot, 1).payload["index_version"]
    assert [u.need.id for u in first.report.uncovered] == [lonely.id] and not first.outdated
    calls = []
    real = gaps.compute
    monkeypatch.setattr(gaps, "compute", lambda: calls.append(1) or real())
    again = gaps.stored_report()
    assert calls == [] and again.computed_at == first.computed_at  # read, not recomputed
    assert gaps.refresh_gap_report.call() is False  # nothing moved: the job does nothing
    assert calls == []

    rescued = make_offering(
        status="published", title="污水处理厂加药量控制", summary=lonely.goal + lonely.pain_point
    )
    app.config["CONSOLE_GAP_MIN_SIMILARITY"] = 0.6
    index_now("offering", rescued)  # the index moved: the page says so until the job ran
    assert gaps.stored_report().outdated
    assert gaps.refresh_gap_report.call() is True and calls == [1]
    fresh = gaps.stored_report()
    assert not fresh.outdated and fresh.computed_at >= first.computed_at
    assert db.session.get(GapSnapshot, 1).payload["index_version"] > before
    assert fresh.age.total_seconds() >= 0 and clock.now() >= fresh.computed_at


def test_compute_is_batched_whatever_the_number_of_needs(world, monkeypatch):
    """The figures cost the same few SQL statements and one dense search for 3 needs as for
    15, and no per-need lexical scan: the computation must never go back to need by need."""
    from tests.sql_statements import counted

    calls = count_index_calls(monkeypatch, "search", "search_many", "scores")

    def measured() -> tuple[int, dict, dict]:
        gaps.compute()  # the index is loaded before counting
        calls.update(dict.fromkeys(calls, 0))
        with counted() as seen:
            data = gaps.compute()
        return len(seen), dict(calls), data

    few, few_calls, before = measured()
    for i in range(12):
        need = make_need(
            status="published", title=f"坯布疵点检测{i}", goal=FABRIC, pain_point=FABRIC
        )
        index_now("need", need)
    many, many_calls, after = measured()
    assert sum(row["needs"] for row in after["categories"].values()) == (
        sum(row["needs"] for row in before["categories"].values()) + 12
    )
    assert few == many <= 3, (few, many)
    assert few_calls == many_calls == {"search": 0, "search_many": 1, "scores": 0}
