"""Chart data against a known data set, and the console page's charts: a container, a JSON
data block and a table with the same numbers for each."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime

from matchmaker import clock
from matchmaker.dashboard import charts
from tests.dashboard.test_figures import known_data
from tests.factories import login, make_need, make_offering, make_user


def test_heatmap_counts_needs_by_industry_and_category(app_ctx):
    known_data()
    chart = charts.heatmap()
    assert chart.rows == [["纺织化纤", "工艺参数优化", 1], ["纺织化纤", "机器视觉质量检测", 3]]
    assert chart.data["y"] == ["纺织化纤"]
    assert chart.data["x"] == ["工艺参数优化", "机器视觉质量检测"]
    assert sorted(chart.data["values"]) == [[0, 0, 1], [1, 0, 3]]


def test_heatmap_and_templates_speak_the_page_language(app_ctx):
    known_data()
    chart = charts.heatmap("en")
    assert chart.rows == [
        ["Textiles", "Process optimisation", 1],
        ["Textiles", "Vision inspection", 3],
    ]
    top = charts.templates_chart("en")
    assert "Grey-fabric defect detection" in top.data["x"]
    assert "Grey-fabric defect detection" not in charts.templates_chart().data["x"]


def test_funnel_counts_listings_that_reached_each_step(app_ctx):
    known_data()  # one awarded listing
    assert [row[1] for row in charts.funnel().rows] == [1, 1, 1, 1, 0]
    assert [str(row[0]) for row in charts.funnel().rows] == ["发榜", "揭榜", "评审", "挂帅", "验收"]


def test_over_time_fills_empty_months(app_ctx):
    for month in (1, 3):
        clock.set(datetime(2025, month, 5, 9, 0, tzinfo=UTC))
        make_need()
    clock.set(datetime(2025, 3, 20, 9, 0, tzinfo=UTC))
    make_offering()
    chart = charts.over_time()
    assert chart.rows == [["2025-01", 1, 0], ["2025-02", 0, 0], ["2025-03", 1, 1]]
    assert chart.data["x"] == ["2025-01", "2025-02", "2025-03"]
    assert list(chart.data["series"].values()) == [[1, 0, 1], [0, 0, 1]]


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
    assert 'src="/static/vendor/echarts/echarts.min.js"' in page
