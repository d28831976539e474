"""The console's chart data, computed here (never in templates): each chart is a `Chart` with
the table rows the page shows beside it and the ECharts-ready data the page embeds as JSON.

Charts: needs by industry × scenario category (heatmap), needs and offerings created per
month (the last twelve months at least, empty months as 0), the listing funnel 发榜 → 揭榜 → 评审 → 挂帅 → 验收, the most demanded templates and the
supply–demand gap per category (from `gaps.gap_report`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import clock
from ..competitions import stages
from ..competitions.models import Listing
from ..extensions import db
from ..needs.models import Need
from ..scenarios.models import Industry, ScenarioCategory
from ..solvers.models import Offering
from .figures import top_templates
from .gaps import GapReport

MONTHS_SHOWN = 12  # the monthly chart shows at least the last year

# Funnel step → the listing stages that have reached it (a cancelled listing counts as 发榜 only).
FUNNEL = (
    (stages.PUBLISHED, _l("发榜"), frozenset(stages.STAGES)),
    (stages.ACCEPTING, _l("揭榜"), frozenset(stages.STAGES[1:-1])),
    (stages.UNDER_REVIEW, _l("评审"), frozenset(stages.STAGES[2:-1])),
    (stages.AWARDED, _l("挂帅"), frozenset(stages.STAGES[4:-1])),
    (stages.ACCEPTED, _l("验收"), frozenset({stages.ACCEPTED})),
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
    """Needs (any status) by industry and scenario category. Every active industry and category
    is an axis label, in taxonomy order, so that an industry without needs shows as an empty
    row; the table lists the non-empty cells. Names in the page's language (`locale`)."""
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
    found = [(ind, cat, n) for ind, cat, n in db.session.execute(query)]
    industries = _axis(Industry, {ind for ind, _cat, _n in found})
    categories = _axis(ScenarioCategory, {cat for _ind, cat, _n in found})
    cells = sorted(found, key=lambda c: (industries.index(c[0]), categories.index(c[1])))
    return Chart(
        "heatmap",
        _l("各行业 × 场景类别的需求数"),
        [_l("行业"), _l("场景类别"), _l("需求数")],
        [[ind.label("name", locale), cat.label("name", locale), n] for ind, cat, n in cells],
        {
            "type": "heatmap",
            "x": [cat.label("name", locale) for cat in categories],
            "y": [ind.label("name", locale) for ind in industries],
            "values": [[categories.index(c), industries.index(i), n] for i, c, n in cells],
        },
    )


def _axis(model, used: set) -> list:
    """The active rows of a taxonomy table and any inactive one in `used`, in taxonomy order;
    none at all when nothing is counted (an empty chart)."""
    if not used:
        return []
    rows = db.session.scalars(select(model).order_by(model.position, model.id))
    return [row for row in rows if row.active or row in used]


def _local_month(at: datetime) -> str:
    """The month of a stored moment in Beijing time (SQLite hands back naive UTC)."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(clock.LOCAL_TZ).strftime("%Y-%m")


def _months(model) -> Counter:
    return Counter(_local_month(at) for at in db.session.scalars(select(model.created_at)))


def over_time(months_shown: int = MONTHS_SHOWN) -> Chart:
    """Needs and offerings created per month (Beijing time): the last `months_shown` months up
    to this one, and every month back to the first record, a month without records as 0."""
    needs, offerings = _months(Need), _months(Offering)
    months = month_range(needs | offerings, clock.local_now(), months_shown)
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
        {"type": "lines", "x": months, "series": series, "names": list(series)},
    )


def month_range(counted, today: datetime, months_shown: int = MONTHS_SHOWN) -> list[str]:
    """Months as YYYY-MM, from the earlier of the first counted month and `months_shown` - 1
    months before `today`'s month, to the later of `today`'s month and the last counted month;
    none when nothing is counted (an empty chart)."""
    if not counted:
        return []
    index = today.year * 12 + today.month - 1
    known = [int(m[:4]) * 12 + int(m[5:7]) - 1 for m in counted]
    first = min([index - months_shown + 1, *known])
    last = max([index, *known])
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(first, last + 1)]


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
        {"type": "hbars", "x": [t.title for t in top], "values": [t.needs for t in top]},
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
        {
            "type": "hgrouped",
            "x": [r.label for r in report.categories],
            "series": series,
            "names": list(series),  # the page's JSON sorts keys: this is the legend's order
        },
    )


def overview(locale: str = "zh") -> list[Chart]:
    return [heatmap(locale), over_time(), funnel(), templates_chart(locale)]
