"""Demo needs: about 60 published needs over the 15 industries and 10 categories, each from a
shipped scenario template and posted by a demo factory of that industry, plus a few drafts,
submitted and returned needs for the organiser's review queue, and one near-duplicate pair
(NEAR_DUPLICATES) for the console's duplicate clusters. Their KPIs come from kpi_values.py,
their dates from timeline.py (published over the past year, the queue within two weeks).

They go through the real services (validation, review trail, versions, notifications), and
a factory that already has a need with the same title is skipped, so loading twice is a no-op.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..needs import approval, services
from ..needs.choices import DATA_SOURCES
from ..needs.models import Need
from ..needs.states import DRAFT, PUBLISHED, RETURNED
from ..scenarios.models import Industry, ScenarioTemplate
from .accounts import demo_organisations
from .district import FACTORIES
from .kpi_values import kpi_values
from .timeline import NEEDS_POWER, NEEDS_SPAN, days_ago, spread

PUBLISHED_PER_INDUSTRY = 4
VOUCHER_SETS = (
    ["scenario"],
    ["scenario", "compute"],
    ["model", "data"],
    ["enablement"],
    ["scenario", "model"],
    [],
)
SOURCES_BY_CATEGORY = {
    "vision_inspection": ["camera", "mes"],
    "process_optimization": ["plc", "mes", "manual"],
    "predictive_maintenance": ["sensor", "plc", "scada"],
    "scheduling": ["erp", "mes"],
    "embodied_flexible_line": ["plc", "camera"],
    "energy_optimization": ["scada", "sensor"],
    "demand_forecasting": ["erp", "manual"],
    "rd_design": ["manual", "other"],
    "safety_monitoring": ["camera", "sensor"],
    "knowledge_assistant": ["manual", "erp"],
}
# Who handles the scenario today, by category (the need's 现状)
WHO_DECIDES = {
    "vision_inspection": "质检员",
    "process_optimization": "工艺员",
    "predictive_maintenance": "设备员",
    "scheduling": "计划员",
    "embodied_flexible_line": "班组长",
    "energy_optimization": "能源管理员",
    "demand_forecasting": "计划员",
    "rd_design": "研发工程师",
    "safety_monitoring": "安全员",
    "knowledge_assistant": "技术骨干",
}
CONSTRAINT_SETS = (["on_premise", "data_stays"], ["edge"], [], ["no_cloud"], ["offline", "edge"])
PREFIXES = ("", "试点：", "一期：", "升级改造：")
# Near-duplicates, so that the console's duplicate clusters have a pair to merge: a second factory
# of the industry posts the industry's scenario of that rank again, in its own words and figures.
NEAR_DUPLICATES = (("metal_products", 0),)
# Extra needs per status for the review queue: (industry index, template offset, status)
QUEUE = ((0, 4, "submitted"), (3, 4, "submitted"), (8, 4, "submitted"), (5, 4, "draft"),
         (10, 4, "draft"), (12, 4, "returned"))  # fmt: skip
QUEUE_DAYS_AGO = {"submitted": 4, "draft": 6, "returned": 12}  # the last of each, roughly


def _templates_by_industry() -> dict[str, list[ScenarioTemplate]]:
    """Each industry's active templates, rotating categories so that all ten appear early."""
    result: dict[str, list[ScenarioTemplate]] = {}
    query = select(ScenarioTemplate).where(ScenarioTemplate.status == "active")
    for template in db.session.scalars(query.order_by(ScenarioTemplate.code)):
        result.setdefault(template.industry.code, []).append(template)
    for code, templates in result.items():
        seen: set[int] = set()
        first = [t for t in templates if not (t.category_id in seen or seen.add(t.category_id))]
        result[code] = first + [t for t in templates if t not in first]
    return result


def _kpi_rows(template: ScenarioTemplate) -> list[dict]:
    kpis = template.kpis or []
    return [
        {
            "indicator": kpi["name_zh"],
            "baseline": float(baseline),
            "target": float(target),
            "unit": kpi["unit"],
            "direction": kpi["direction"],
        }
        for kpi, (baseline, target) in zip(kpis, kpi_values(template.code, kpis), strict=True)
    ]


def _sources(template: ScenarioTemplate) -> list[str]:
    return SOURCES_BY_CATEGORY.get(template.category.code, ["manual"])


def _fields(template: ScenarioTemplate, factory, n: int) -> dict:
    low = 10 + (n * 13) % 90
    months = 3 + n % 10
    volume = f"近 {2 + n % 4} 年的历史数据（来源与规模见数据说明）"
    sources = "、".join(str(DATA_SOURCES[s]) for s in _sources(template))
    return {
        "title": f"{PREFIXES[n % len(PREFIXES)]}{template.title_zh}",
        "industry_id": template.industry_id,
        "category_id": template.category_id,
        "template_id": template.id,
        "other_description": "",
        "goal": f"{template.example_zh}\n预算 {low}–{low + 20 + n % 5 * 10} 万元，"
        f"希望 {months} 个月内完成试点并验收。",
        "pain_point": template.pain_point_zh,
        "current_process": f"目前主要由{WHO_DECIDES.get(template.category.code, '班组长')}凭经验判断，"
        f"{sources}的数据分散在各自系统里，问题多在事后抽检和月度报表中才发现。",
        "data_sources": _sources(template),
        "data_volume": volume,
        "data_labelled": ("partly", "no", "yes")[n % 3],
        "data_description": template.data_zh,
        "budget_min": low,
        "budget_max": low + 20 + n % 5 * 10,
        "vouchers": VOUCHER_SETS[n % len(VOUCHER_SETS)],
        "delivery_months": months,
        "delivery_date": None,
        "town": factory.town,
        "constraints": CONSTRAINT_SETS[n % len(CONSTRAINT_SETS)],
        "constraints_note": "",
        "confidentiality": "summary_only" if n % 6 == 5 else "public",
    }


def _factories_by_industry() -> dict[str, list]:
    result: dict[str, list] = {}
    for org, (_name, industry, _town) in zip(
        demo_organisations("factory"), FACTORIES, strict=False
    ):
        result.setdefault(industry, []).append(org)
    return result


class Post(NamedTuple):
    factory: Any
    template: ScenarioTemplate
    n: int  # numbers the wording and figures of the need
    status: str


def _post(organiser, post: Post, when: datetime) -> bool:
    """Create the need at `when` and review it a day later (the queue's as they stand)."""
    fields = _fields(post.template, post.factory, post.n)
    exists = select(Need.id).where(Need.owner_id == post.factory.id, Need.title == fields["title"])
    if db.session.scalar(exists) is not None or not post.factory.members:
        return False
    author = post.factory.members[0]
    with clock.frozen(when):
        need = services.create_need(
            author, fields, _kpi_rows(post.template), submit=post.status != DRAFT
        )
    with clock.frozen(when + timedelta(days=1, hours=2)):
        if post.status == PUBLISHED:
            approval.approve_need(organiser, need, "")
        elif post.status == RETURNED:
            approval.return_need(organiser, need, "请补充现有数据的采集频率和标注情况。")
    return True


def _plan() -> list[Post]:
    """The needs to post, in the order of their numbering: each industry's published needs
    and its queue entries, then the near-duplicates."""
    templates = _templates_by_industry()
    factories = _factories_by_industry()
    industries = db.session.scalars(select(Industry).order_by(Industry.position)).all()
    plan: list[Post] = []
    for index, industry in enumerate(industries):
        owners, pool = factories.get(industry.code, []), templates.get(industry.code, [])
        if not owners:
            continue
        for offset, template in enumerate(pool[:PUBLISHED_PER_INDUSTRY]):
            plan.append(Post(owners[offset % len(owners)], template, len(plan) + 1, PUBLISHED))
        for queue_index, queue_offset, status in QUEUE:
            if queue_index == index and len(pool) > queue_offset:
                plan.append(Post(owners[-1], pool[queue_offset], len(plan) + 1, status))
    for industry_code, rank in NEAR_DUPLICATES:  # after the rest: their numbering is unchanged
        owners, pool = factories.get(industry_code, []), templates.get(industry_code, [])
        if len(owners) > 1 and len(pool) > rank:
            owner = owners[(rank + 1) % len(owners)]
            plan.append(Post(owner, pool[rank], len(plan) + 1, PUBLISHED))
    return plan


def _dates(plan: list[Post]) -> list[datetime]:
    """Published needs over the past year in plan order (so that the needs the demo rounds
    list, the first ones, are the oldest); the review queue within the last two weeks."""
    published = [p for p in plan if p.status == PUBLISHED]
    queue = iter(range(len(plan)))
    dates, k = [], 0
    for post in plan:
        if post.status == PUBLISHED:
            dates.append(spread(k, len(published), NEEDS_SPAN, NEEDS_POWER))
            k += 1
        else:
            i = next(queue)
            dates.append(days_ago(QUEUE_DAYS_AGO[post.status] - i % 3, hour=9 + i % 8))
    return dates


def load_needs(organiser) -> int:
    """Create the demo needs that are missing; returns how many were created."""
    plan = _plan()
    return sum(_post(organiser, post, when) for post, when in zip(plan, _dates(plan), strict=True))
