"""The listing hall (揭榜大厅): filters, keyword, sort and pagination over published needs,
and `need_document`, the plain text of a need that the search engine indexes.

`parse_filters` never fails: unknown or malformed values are dropped, so a hand-edited
query string shows an unfiltered list rather than an error. Where dropping would surprise
the user (a budget that is not a number, a lower bound above the upper one), the filters
carry a Chinese `notice` that the page shows (status 200, the typed values stay in the form);
such a budget condition is ignored, not swapped: the list says so rather than guessing.
The API answers the same cases with 422 (its query is validated, not forgiven).

The keyword (up to `MAX_TERMS` words, all must match) is a substring search in SQL, not the
matching engine's index: the hall is an exact filter over the database (the index may lag
and ranks rather than filters). A word matches a need's title, the names of its industry,
category and template (Chinese and English), and its text (goal, pain point, process, data,
constraints, KPI names) only where the viewer may read that text: public needs for
everyone (the same text the search index holds), summary_only / invited_only needs only
for organisers, the owner, and organisations with an NDA / an invitation
(`details_visible`, the SQL twin of `access.can_see_details`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import String, and_, cast, distinct, exists, func, or_, select, true

from .. import clock
from ..extensions import db
from ..numbers import Bounds, as_id
from ..scenarios.models import Industry, ScenarioCategory, ScenarioTemplate
from .access import visible_in_hall
from .choices import CONSTRAINTS, DATA_SOURCES, VOUCHERS
from .models import NdaAcceptance, Need, NeedInvitation, NeedKpi
from .states import PUBLISHED

PER_PAGE = 20
SORTS = ("newest", "budget_high", "budget_low")
MAX_KEYWORD = 100
MAX_TERMS = 5
MAX_BUDGET = 10**9  # 万元


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
    typed: dict[str, str] = field(default_factory=dict)  # the budget as typed, for the form
    notices: list[str] = field(default_factory=list)  # why a condition was ignored

    @property
    def budget_reversed(self) -> bool:
        low, high = self.budget_min, self.budget_max
        return low is not None and high is not None and low > high


def _int(value: str | None, low: int = 0, high: int = 10**9) -> int | None:
    """A bounded integer from the query string, else None (never raises, whatever its size)."""
    return as_id(value, Bounds(low, high, integer=True))


def _budget_notices(filters: HallFilters) -> list[str]:
    notices = []
    for name, label in (("budget_min", _("预算下限")), ("budget_max", _("预算上限"))):
        typed = filters.typed[name]
        if typed and getattr(filters, name) is None:
            notices.append(
                _(
                    "%(label)s“%(typed)s”不是 0 到 %(max)s 之间的整数（万元），已忽略该条件。",
                    label=label,
                    typed=typed,
                    max=MAX_BUDGET,
                )
            )
    if filters.budget_reversed:
        notices.append(
            _(
                "预算下限（%(low)s 万元）高于上限（%(high)s 万元），已忽略预算条件，"
                "请修改后重新筛选。",
                low=filters.budget_min,
                high=filters.budget_max,
            )
        )
    return notices


def parse_filters(args) -> HallFilters:
    filters = HallFilters(
        industry_id=_int(args.get("industry"), 1),
        category_id=_int(args.get("category"), 1),
        town=(args.get("town") or "").strip()[:100],
        budget_min=_int(args.get("budget_min"), 0, MAX_BUDGET),
        budget_max=_int(args.get("budget_max"), 0, MAX_BUDGET),
        voucher=args.get("voucher") if args.get("voucher") in VOUCHERS else "",
        within_months=_int(args.get("within"), 1, 120),
        keyword=(args.get("q") or "").strip()[:MAX_KEYWORD],
        sort=args.get("sort") if args.get("sort") in SORTS else "newest",
        typed={k: (args.get(k) or "").strip()[:20] for k in ("budget_min", "budget_max")},
    )
    filters.notices = _budget_notices(filters)
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


def _filtered(query, filters: HallFilters, today: date, user=None):
    if filters.industry_id:
        query = query.where(Need.industry_id == filters.industry_id)
    if filters.category_id:
        query = query.where(Need.category_id == filters.category_id)
    if filters.town:
        query = query.where(Need.town == filters.town)
    if filters.budget_min is not None and not filters.budget_reversed:
        query = query.where(func.coalesce(Need.budget_max, Need.budget_min) >= filters.budget_min)
    if filters.budget_max is not None and not filters.budget_reversed:
        query = query.where(func.coalesce(Need.budget_min, Need.budget_max) <= filters.budget_max)
    if filters.voucher:
        query = query.where(_json_contains(Need.vouchers, filters.voucher))
    if filters.within_months:
        until = today + timedelta(days=31 * filters.within_months)
        query = query.where(
            or_(Need.delivery_months <= filters.within_months, Need.delivery_date <= until)
        )
    if filters.keyword:
        terms = filters.keyword.split()[:MAX_TERMS]
        query = query.where(and_(*(_term(term, details_visible(user)) for term in terms)))
    return query


def details_visible(user):
    """A WHERE clause: needs whose details (goal, pain point, data, KPIs) `user` may read
    (the SQL twin of `access.can_see_details`, public text counting as readable)."""
    if getattr(user, "is_organiser", False) and getattr(user, "active", False):
        return true()
    public = Need.confidentiality == "public"
    org_id = getattr(user, "organisation_id", None)
    if not getattr(user, "is_authenticated", False) or org_id is None:
        return public
    nda = exists().where(NdaAcceptance.need_id == Need.id, NdaAcceptance.organisation_id == org_id)
    invited = exists().where(
        NeedInvitation.need_id == Need.id, NeedInvitation.organisation_id == org_id
    )
    return or_(
        public,
        Need.owner_id == org_id,
        (Need.confidentiality == "summary_only") & nda,
        (Need.confidentiality == "invited_only") & invited,
    )


def _term(term: str, readable):
    """One keyword: in the title, the taxonomy's names, or text the viewer may read."""
    pattern = f"%{_escape_like(term)}%"

    def like(column):
        return column.ilike(pattern, escape="\\")

    def named(model, *columns):
        return select(model.id).where(or_(*(like(c) for c in columns)))

    taxonomy = or_(
        Need.industry_id.in_(named(Industry, Industry.name_zh, Industry.name_en)),
        Need.category_id.in_(
            named(ScenarioCategory, ScenarioCategory.name_zh, ScenarioCategory.name_en)
        ),
        Need.template_id.in_(
            named(ScenarioTemplate, ScenarioTemplate.title_zh, ScenarioTemplate.title_en)
        ),
    )
    text_columns = (Need.goal, Need.pain_point, Need.current_process, Need.other_description)
    text = or_(
        *(like(c) for c in (*text_columns, Need.data_description, Need.constraints_note)),
        exists().where(NeedKpi.need_id == Need.id, like(NeedKpi.indicator)),
    )
    return or_(like(Need.title), taxonomy, and_(readable, text))


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
    visible = select(Need).where(visible_in_hall(user))
    base = _filtered(visible, filters, clock.local_now().date(), user)
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
    query = select(distinct(Need.town)).where(Need.status == PUBLISHED, Need.town != "")
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
    labels = [need.industry.name_zh, need.category.name_zh]
    labels += [need.template.title_zh] if need.template is not None else []
    if public:
        labels += [_labels(need.data_sources, DATA_SOURCES), _labels(need.constraints, CONSTRAINTS)]
        labels += [f"{kpi.indicator}（{kpi.unit}）" for kpi in need.kpis]
    return {
        "id": need.id,
        "kind": "need",
        "title": need.title,
        "text": "\n".join(part for part in parts if part),
        # the parts that are not the factory's own wording (never "the closest wording")
        "labels": [label for label in labels if label],
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
    query = select(Need).where(Need.status == PUBLISHED).order_by(Need.id)
    return list(db.session.scalars(query))
