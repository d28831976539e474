"""The template picker at /needs/new: the active scenario templates grouped by industry (the
factory's own industry first), each group by scenario category, filtered by a keyword (`?q=`)
and optionally by `?industry=` / `?category=`. Plain GET, no script needed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from ..extensions import db
from ..i18n import current_locale
from ..numbers import int_arg
from ..scenarios.models import Industry, ScenarioCategory, ScenarioTemplate
from ..scenarios.services import active_entries, active_templates
from .models import Need

MAX_KEYWORD = 50


@dataclass
class CategoryGroup:
    category: ScenarioCategory
    templates: list[ScenarioTemplate] = field(default_factory=list)


@dataclass
class IndustryGroup:
    industry: Industry
    categories: list[CategoryGroup] = field(default_factory=list)
    own: bool = False  # the factory's own industry

    @property
    def count(self) -> int:
        return sum(len(group.templates) for group in self.categories)


def home_industry_id(organisation_id: int | None) -> int | None:
    """The factory's own industry: the one most of its needs (any status) are filed under;
    None for a factory without needs (organisations carry no industry of their own)."""
    if not organisation_id:
        return None
    query = (
        select(Need.industry_id)
        .where(Need.owner_id == organisation_id)
        .group_by(Need.industry_id)
        .order_by(func.count().desc(), func.max(Need.updated_at).desc(), Need.industry_id)
        .limit(1)
    )
    return db.session.scalar(query)


def mentions(template: ScenarioTemplate, keyword: str) -> bool:
    """Whether every word of `keyword` (split on spaces, any case) occurs in the template's
    title, pain point, data prompt, example, KPI names, industry or category; every template
    when there is no keyword. Chinese needs no word splitting: "疵点" is a substring."""
    words = keyword.casefold().split()
    if not words:
        return True
    texts = [
        template.title_zh,
        template.title_en,
        template.pain_point_zh,
        template.data_zh,
        template.example_zh,
        template.industry.name_zh,
        template.category.name_zh,
        *(kpi.get("name_zh", "") for kpi in template.kpis or []),
    ]
    haystack = " ".join(text or "" for text in texts).casefold()
    return all(word in haystack for word in words)


def group_templates(
    templates: list[ScenarioTemplate],
    industries: list[Industry],
    categories: list[ScenarioCategory],
    own_industry_id: int | None = None,
) -> list[IndustryGroup]:
    """Industry groups in curated order (own industry first), each holding its non-empty
    category groups in curated order; industries without a template are left out."""
    category_rank = {category.id: rank for rank, category in enumerate(categories)}
    groups: list[IndustryGroup] = []
    for industry in industries:
        mine = [t for t in templates if t.industry_id == industry.id]
        if not mine:
            continue
        by_category: dict[int, CategoryGroup] = {}
        for template in mine:
            by_category.setdefault(
                template.category_id, CategoryGroup(template.category)
            ).templates.append(template)
        ordered = sorted(by_category.values(), key=lambda g: category_rank.get(g.category.id, 99))
        groups.append(IndustryGroup(industry, ordered, own=industry.id == own_industry_id))
    groups.sort(key=lambda group: not group.own)  # stable: the rest keep the curated order
    return groups


def picker_context(args, organisation_id: int | None = None) -> dict[str, Any]:
    industry_id, category_id = int_arg(args, "industry"), int_arg(args, "category")
    keyword = " ".join((args.get("q") or "").split())[:MAX_KEYWORD]
    industries = active_entries(Industry)
    categories = active_entries(ScenarioCategory)
    templates = [
        t
        for t in active_templates(category_id=category_id, industry_id=industry_id)
        if mentions(t, keyword)
    ]
    own_id = home_industry_id(organisation_id)
    groups = group_templates(templates, industries, categories, own_id)
    return {
        "groups": groups,
        "total": len(templates),
        "filtered": bool(keyword or industry_id or category_id),
        "q": keyword,
        "industry_id": industry_id,
        "category_id": category_id,
        "locale": current_locale(),
    }
