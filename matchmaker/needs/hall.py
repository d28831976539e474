"""The listing hall (揭榜大厅): filters, keyword, sort and pagination over published needs,
and `need_document`, the plain text of a need that the search engine indexes.

`parse_filters` never fails: unknown or malformed values are dropped, so a hand-edited
query string shows an unfiltered list rather than an error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import String, cast, distinct, func, or_, select

from .. import clock
from ..extensions import db
from .access import visible_in_hall
from .choices import CONSTRAINTS, DATA_SOURCES, VOUCHERS
from .models import Need

PER_PAGE = 20
SORTS = ("newest", "budget_high", "budget_low")
MAX_KEYWORD = 100


@dataclass
class HallFilters:
    industry_id: int | None = None
    category_id: int | None = None
    town: str = ""
    budget_min: int | None = None
    budget_max: int | None = None
    voucher: str = ""
    within_months: int | None = None
    keyword: str = ""
    sort: str = "newest"
    args: dict[str, str] = field(default_factory=dict)  # the accepted values, for links


def _int(value: str | None, low: int = 0, high: int = 10**9) -> int | None:
    try:
        number = int((value or "").strip())
    except ValueError:
        return None
    return number if low <= number <= high else None


def parse_filters(args) -> HallFilters:
    filters = HallFilters(
        industry_id=_int(args.get("industry"), 1),
        category_id=_int(args.get("category"), 1),
        town=(args.get("town") or "").strip()[:100],
        budget_min=_int(args.get("budget_min")),
        budget_max=_int(args.get("budget_max")),
        voucher=args.get("voucher") if args.get("voucher") in VOUCHERS else "",
        within_months=_int(args.get("within"), 1, 120),
        keyword=(args.get("q") or "").strip()[:MAX_KEYWORD],
        sort=args.get("sort") if args.get("sort") in SORTS else "newest",
    )
    names = {
        "industry": filters.industry_id,
        "category": filters.category_id,
        "town": filters.town,
        "budget_min": filters.budget_min,
        "budget_max": filters.budget_max,
        "voucher": filters.voucher,
        "within": filters.within_months,
        "q": filters.keyword,
        "sort": filters.sort if filters.sort != "newest" else "",
    }
    filters.args = {key: str(value) for key, value in names.items() if value not in (None, "")}
    return filters


def parse_page(value: str | None) -> int:
    """A page number from the query string: anything but a positive integer means page 1."""
    return _int(value, 1) or 1


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(query, filters: HallFilters, today: date):
    if filters.industry_id:
        query = query.where(Need.industry_id == filters.industry_id)
    if filters.category_id:
        query = query.where(Need.category_id == filters.category_id)
    if filters.town:
        query = query.where(Need.town == filters.town)
    if filters.budget_min is not None:
        query = query.where(func.coalesce(Need.budget_max, Need.budget_min) >= filters.budget_min)
    if filters.budget_max is not None:
        query = query.where(func.coalesce(Need.budget_min, Need.budget_max) <= filters.budget_max)
    if filters.voucher:
        query = query.where(_json_contains(Need.vouchers, filters.voucher))
    if filters.within_months:
        until = today + timedelta(days=31 * filters.within_months)
        query = query.where(
            or_(Need.delivery_months <= filters.within_months, Need.delivery_date <= until)
        )
    if filters.keyword:
        pattern = f"%{_escape_like(filters.keyword)}%"
        public_text = (Need.confidentiality == "public") & or_(
            Need.pain_point.like(pattern, escape="\\"),
            Need.goal.like(pattern, escape="\\"),
        )
        query = query.where(or_(Need.title.like(pattern, escape="\\"), public_text))
    return query


def _json_contains(column, code: str):
    """A JSON list of short codes contains `code` (codes never contain quotes)."""
    return cast(column, String).like(f'%"{code}"%')


def _ordered(query, sort: str):
    if sort == "budget_high":
        return query.order_by(Need.budget_max.desc().nulls_last(), Need.id.desc())
    if sort == "budget_low":
        return query.order_by(Need.budget_min.asc().nulls_last(), Need.id.desc())
    return query.order_by(Need.published_at.desc(), Need.id.desc())


@dataclass
class Page:
    items: list[Need]
    number: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


class PageOutOfRange(LookupError):
    pass


def listing(user, filters: HallFilters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """The hall's page `page`; `PageOutOfRange` when it is past the last page (→ 404)."""
    base = _filtered(select(Need).where(visible_in_hall(user)), filters, clock.local_now().date())
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    last = max(1, math.ceil(total / per_page))
    if page > last:
        raise PageOutOfRange(page, last)
    query = _ordered(base, filters.sort).offset((page - 1) * per_page).limit(per_page)
    return Page(list(db.session.scalars(query)), page, total, per_page)


def content_stamp(**_view_args) -> tuple:
    """What anonymous hall and need pages show changes only when this does (pagecache): the
    needs' count and latest change, and the taxonomy's change log (labels, moves)."""
    from ..scenarios.models import TaxonomyChange

    changes = select(func.count(TaxonomyChange.id)).scalar_subquery()
    row = db.session.execute(select(func.count(Need.id), func.max(Need.updated_at), changes)).one()
    return tuple(row)


def hall_towns() -> list[str]:
    query = select(distinct(Need.town)).where(Need.status == "published", Need.town != "")
    return sorted(db.session.scalars(query))


def _labels(codes: list[str], table: dict) -> str:
    return "、".join(str(table[code]) for code in codes or [] if code in table)


def need_document(need: Need, include_confidential: bool = False) -> dict[str, Any]:
    """The plain fields and text the search engine indexes for a need.

    A summary_only or invited_only need gives only its public summary unless
    `include_confidential` (for an index that is itself filtered per viewer).
    """
    public = include_confidential or need.confidentiality == "public"
    parts = [need.title, need.industry.name_zh, need.category.name_zh]
    if need.template is not None:
        parts.append(need.template.title_zh)
    if public:
        parts += [need.other_description, need.goal, need.pain_point, need.current_process]
        parts += [need.data_description, _labels(need.data_sources, DATA_SOURCES)]
        parts += [f"{kpi.indicator}（{kpi.unit}）" for kpi in need.kpis]
        parts += [_labels(need.constraints, CONSTRAINTS), need.constraints_note]
    return {
        "id": need.id,
        "kind": "need",
        "title": need.title,
        "text": "\n".join(part for part in parts if part),
        "industry": need.industry.code,
        "category": need.category.code,
        "template": need.template.code if need.template is not None else None,
        "town": need.town,
        "budget_min": need.budget_min,
        "budget_max": need.budget_max,
        "vouchers": list(need.vouchers or []),
        "confidentiality": need.confidentiality,
        "status": need.status,
        "published_at": need.published_at.isoformat() if need.published_at else None,
        "version": need.version,
    }


def published_needs() -> list[Need]:
    """Every published need, for (re)building a search index."""
    query = select(Need).where(Need.status == "published").order_by(Need.id)
    return list(db.session.scalars(query))
