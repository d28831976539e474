"""The console's chart data, computed here (never in templates): each chart is a `Chart` with
the table rows the page shows beside it and the ECharts-ready data the page embeds as JSON.

Charts: needs by industry × scenario category (heatmap), needs and offerings created per
month, the listing funnel 发榜 → 揭榜 → 评审 → 挂帅 → 验收, the most demanded templates and the
supply–demand gap per category (from `gaps.gap_report`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..competitions import stages
from ..competitions.models import Listing
from ..extensions import db
from ..needs.models import Need
from ..scenarios.models import Industry, ScenarioCategory
from ..solvers.models import Offering
from .figures import top_templates
from .gaps import GapReport

# Funnel step → the listing stages that have reached it (a cancelled listing counts as 发榜 only).
FUNNEL = (
    ("published", _l("发榜"), frozenset(stages.STAGES)),
    ("accepting", _l("揭榜"), frozenset(stages.STAGES[1:-1])),
    ("under_review", _l("评审"), frozenset(stages.STAGES[2:-1])),
    ("awarded", _l("挂帅"), frozenset(stages.STAGES[4:-1])),
    ("accepted", _l("验收"), frozenset({stages.ACCEPTED})),
)


@dataclass
class Chart:
    key: str
    title: Any  # a lazy string
    header: list[Any]
    rows: list[list[Any]]
    data: dict[str, Any] = field(default_factory=dict)  # what console-charts.js draws

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "title": str(self.title), **self.data}


def heatmap(locale: str = "zh") -> Chart:
    """Needs (any status) by industry and scenario category; empty rows and columns left out.
    Names in the page's language (`locale`)."""
    counted = (
        select(Need.industry_id, Need.category_id, func.count(Need.id).label("needs"))
        .group_by(Need.industry_id, Need.category_id)
        .subquery()
    )
    query = (
        select(Industry, ScenarioCategory, counted.c.needs)
        .join(counted, counted.c.industry_id == Industry.id)
        .join(ScenarioCategory, counted.c.category_id == ScenarioCategory.id)
    )
    cells = sorted(
        (ind.label("name", locale), cat.label("name", locale), n)
        for ind, cat, n in db.session.execute(query)
    )
    industries = sorted({c[0] for c in cells})
    categories = sorted({c[1] for c in cells})
    data = [[categories.index(cat), industries.index(ind), n] for ind, cat, n in cells]
    return Chart(
        "heatmap",
        _l("各行业 × 场景类别的需求数"),
        [_l("行业"), _l("场景类别"), _l("需求数")],
        [list(c) for c in cells],
        {"type": "heatmap", "x": categories, "y": industries, "values": data},
    )


def _months(model) -> Counter:
    return Counter(at.strftime("%Y-%m") for at in db.session.scalars(select(model.created_at)))


def over_time() -> Chart:
    """Needs and offerings created per month (every month between the first and the last)."""
    needs, offerings = _months(Need), _months(Offering)
    months = _month_range(sorted(needs | offerings))
    rows = [[m, needs[m], offerings[m]] for m in months]
    series = {
        str(_l("需求")): [needs[m] for m in months],
        str(_l("解决方案")): [offerings[m] for m in months],
    }
    return Chart(
        "over_time",
        _l("每月新增需求与解决方案"),
        [_l("月份"), _l("需求"), _l("解决方案")],
        rows,
        {"type": "lines", "x": months, "series": series},
    )


def _month_range(months: list[str]) -> list[str]:
    if not months:
        return []
    year, month = map(int, months[0].split("-"))
    out = []
    while (last := f"{year:04d}-{month:02d}") <= months[-1]:
        out.append(last)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def funnel() -> Chart:
    """Listings that reached each step of 发榜 → 揭榜 → 评审 → 挂帅 → 验收."""
    query = select(Listing.stage, func.count()).group_by(Listing.stage)
    by_stage = dict(db.session.execute(query).all())
    rows = [[label, sum(by_stage.get(s, 0) for s in reached)] for _, label, reached in FUNNEL]
    return Chart(
        "funnel",
        _l("榜单漏斗"),
        [_l("阶段"), _l("榜单数")],
        rows,
        {"type": "funnel", "x": [str(r[0]) for r in rows], "values": [r[1] for r in rows]},
    )


def templates_chart(locale: str = "zh") -> Chart:
    top = top_templates(locale=locale)
    return Chart(
        "templates",
        _l("需求最多的场景模板"),
        [_l("编号"), _l("场景模板"), _l("需求数")],
        [[t.code, t.title, t.needs] for t in top],
        {"type": "bars", "x": [t.title for t in top], "values": [t.needs for t in top]},
    )


def gap_chart(report: GapReport) -> Chart:
    rows = [[r.label, r.needs, r.offerings, r.uncovered] for r in report.categories]
    series = {
        str(_l("开放需求")): [r.needs for r in report.categories],
        str(_l("有能力的解决方案")): [r.offerings for r in report.categories],
        str(_l("无人能接的需求")): [r.uncovered for r in report.categories],
    }
    return Chart(
        "gaps",
        _l("各场景类别的供需缺口"),
        [_l("场景类别"), _l("开放需求"), _l("有能力的解决方案"), _l("无人能接的需求")],
        rows,
        {"type": "grouped", "x": [r.label for r in report.categories], "series": series},
    )


def overview(locale: str = "zh") -> list[Chart]:
    return [heatmap(locale), over_time(), funnel(), templates_chart(locale)]
