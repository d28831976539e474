"""Chart data against a known data set, and the console page's charts: a container, a JSON
data block and a table with the same numbers for each."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime

from matchmaker import clock
from matchmaker.dashboard import charts
from matchmaker.scenarios.models import ScenarioTemplate
from tests.dashboard.test_figures import known_data
from tests.factories import login, make_need, make_offering, make_user


def test_heatmap_counts_needs_by_industry_and_category(app_ctx):
    known_data()
    chart = charts.heatmap()
    assert chart.rows == [["纺织化纤", "机器视觉质量检测", 3], ["纺织化纤", "工艺参数优化", 1]]
    # every industry and category is a label, in taxonomy order, with or without needs
    assert chart.data["y"] == ["纺织化纤", "汽车零部件"]
    assert chart.data["x"] == ["机器视觉质量检测", "工艺参数优化"]
    assert sorted(chart.data["values"]) == [[0, 0, 3], [1, 0, 1]]


def test_heatmap_labels_every_industry_of_the_shipped_taxonomy(runner, app_ctx):
    assert runner.invoke(args=["taxonomy", "load"]).exit_code == 0
    from matchmaker.extensions import db
    from matchmaker.scenarios.models import Industry, ScenarioCategory

    make_need(template=db.session.query(ScenarioTemplate).order_by(ScenarioTemplate.code).first())
    chart = charts.heatmap()
    industries = db.session.query(Industry).order_by(Industry.position).all()
    assert chart.data["y"] == [i.name_zh for i in industries] and len(industries) == 15
    assert len(chart.data["x"]) == db.session.query(ScenarioCategory).count() == 10
    assert len(chart.rows) == 1 and chart.data["values"][0][2] == 1


def test_heatmap_and_templates_speak_the_page_language(app_ctx):
    known_data()
    chart = charts.heatmap("en")
    assert chart.rows == [
        ["Textiles", "Vision inspection", 3],
        ["Textiles", "Process optimisation", 1],
    ]
    top = charts.templates_chart("en")
    assert top.data["type"] == "hbars"  # a horizontal bar chart: long titles get the width
    assert "Grey-fabric defect detection" in top.data["x"]
    assert "Grey-fabric defect detection" not in charts.templates_chart().data["x"]


def test_funnel_counts_listings_that_reached_each_step(app_ctx):
    known_data()  # one awarded listing
    assert [row[1] for row in charts.funnel().rows] == [1, 1, 1, 1, 0]
    assert [str(row[0]) for row in charts.funnel().rows] == ["发榜", "揭榜", "评审", "挂帅", "验收"]


def test_over_time_shows_the_last_twelve_months_with_empty_ones_as_zero(app_ctx):
    for month in (1, 3):
        clock.set(datetime(2025, month, 5, 9, 0, tzinfo=UTC))
        make_need()
    clock.set(datetime(2025, 3, 20, 9, 0, tzinfo=UTC))
    make_offering()
    chart = charts.over_time()
    months = [f"2024-{m:02d}" for m in range(4, 13)] + ["2025-01", "2025-02", "2025-03"]
    assert chart.data["x"] == months and [row[0] for row in chart.rows] == months
    assert chart.rows[-3:] == [["2025-01", 1, 0], ["2025-02", 0, 0], ["2025-03", 1, 1]]
    assert list(chart.data["series"].values()) == [[0] * 9 + [1, 0, 1], [0] * 11 + [1]]


def test_over_time_reaches_back_to_the_first_record_and_up_to_this_month(app_ctx):
    clock.set(datetime(2023, 11, 30, 17, 0, tzinfo=UTC))  # 1 December in Beijing
    make_need()
    clock.set(datetime(2025, 2, 10, 9, 0, tzinfo=UTC))
    chart = charts.over_time()
    assert chart.data["x"][0] == "2023-12" and chart.data["x"][-1] == "2025-02"
    assert len(chart.data["x"]) == 15 and sum(chart.data["series"]["需求"]) == 1
    assert chart.rows[0] == ["2023-12", 1, 0]


def test_month_range_around_a_year_end():
    today = datetime(2026, 1, 15, tzinfo=UTC)
    assert charts.month_range({"2026-01"}, today) == [
        *(f"2025-{m:02d}" for m in range(2, 13)),
        "2026-01",
    ]
    assert charts.month_range({"2026-03"}, today, 2) == ["2025-12", "2026-01", "2026-02", "2026-03"]
    assert charts.month_range(set(), today) == []


def test_empty_data_gives_empty_charts(app_ctx):
    assert charts.over_time().rows == [] and charts.heatmap().rows == []
    assert [row[1] for row in charts.funnel().rows] == [0, 0, 0, 0, 0]


def test_console_page_embeds_each_chart_with_its_table(client, app_ctx):
    known_data()
    login(client, make_user(role="organiser").email)
    page = client.get("/console").get_data(as_text=True)
    for key in ("heatmap", "over_time", "funnel", "templates"):
        block = re.search(
            rf"<div class=\"chart\" data-chart=\"{key}\" data-chart-data='(.*?)'", page
        )
        assert json.loads(html.unescape(block.group(1)))["key"] == key
    assert '<td>纺织化纤</td><td>机器视觉质量检测</td><td class="num">3</td>' in page
    assert 'src="/static/js/console-charts.js"' in page
    assert 'src="/static/vendor/echarts/echarts.min.js"' in page
