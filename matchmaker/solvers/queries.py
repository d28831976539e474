"""Read side: the public directory, a vendor's own list, the review queue, the matching feed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from ..accounts.models import Organisation
from ..extensions import db
from ..paging import Page, paginate
from ..scenarios.models import Industry, ScenarioCategory
from . import states
from .models import Offering, OfferingTag, VendorProfile, offering_categories, offering_industries
from .vocab import DEPLOYMENT_MODES, TECH_TAGS

PER_PAGE = 12
MAX_PAGE_PARAM = 10_000


@dataclass(frozen=True)
class Filters:
    """Directory filters by code; unknown codes are dropped, never an error."""

    industry: str = ""
    category: str = ""
    tech: str = ""
    deployment: str = ""

    def as_args(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


def _known(model, code: str) -> str:
    if not code or len(code) > 40:
        return ""
    return code if db.session.scalar(select(model.id).where(model.code == code)) else ""


def parse_filters(args: Mapping[str, str]) -> Filters:
    tech = args.get("tech", "")
    deployment = args.get("deployment", "")
    return Filters(
        industry=_known(Industry, args.get("industry", "")),
        category=_known(ScenarioCategory, args.get("category", "")),
        tech=tech if tech in TECH_TAGS else "",
        deployment=deployment if deployment in DEPLOYMENT_MODES else "",
    )


def parse_page(value) -> int:
    """A page number from the query string: anything not a positive integer means page 1."""
    try:
        page = int(str(value or "1").strip())
    except ValueError:
        return 1
    return min(max(page, 1), MAX_PAGE_PARAM)


def _eager(query: Select) -> Select:
    return query.options(
        selectinload(Offering.categories),
        selectinload(Offering.templates),
        selectinload(Offering.industries),
        selectinload(Offering.kpis),
        selectinload(Offering.tags),
        selectinload(Offering.organisation),
    )


def _published() -> Select:
    return (
        select(Offering)
        .join(Organisation, Organisation.id == Offering.organisation_id)
        .where(Offering.status == states.PUBLISHED, Organisation.status == "approved")
    )


def published_offerings(ids: list[int] | None = None) -> list[Offering]:
    """Every offering the public may see, or those of `ids` (for the matching engine to index)."""
    query = _eager(_published()).order_by(Offering.id)
    if ids is not None:
        query = query.where(Offering.id.in_(ids))
    return list(db.session.scalars(query))


def _filtered(query: Select, filters: Filters) -> Select:
    if filters.industry:
        query = query.where(
            Offering.id.in_(
                select(offering_industries.c.offering_id)
                .join(Industry, Industry.id == offering_industries.c.industry_id)
                .where(Industry.code == filters.industry)
            )
        )
    if filters.category:
        query = query.where(
            Offering.id.in_(
                select(offering_categories.c.offering_id)
                .join(ScenarioCategory, ScenarioCategory.id == offering_categories.c.category_id)
                .where(ScenarioCategory.code == filters.category)
            )
        )
    for kind, code in (("tech", filters.tech), ("deployment", filters.deployment)):
        if code:
            query = query.where(
                Offering.id.in_(
                    select(OfferingTag.offering_id).where(
                        OfferingTag.kind == kind, OfferingTag.code == code
                    )
                )
            )
    return query


def directory_page(filters: Filters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    query = _filtered(_eager(_published()), filters)
    return paginate(
        query.order_by(Offering.published_at.desc(), Offering.id.desc()), page, per_page
    )


def vendor_directory_page(filters: Filters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Approved vendors with at least one published offering matching the filters."""
    matching = _filtered(_published(), filters).with_only_columns(Offering.organisation_id)
    query = (
        select(Organisation)
        .where(Organisation.kind == "vendor", Organisation.id.in_(matching))
        .order_by(Organisation.name, Organisation.id)
    )
    return paginate(query, page, per_page)


def vendor_published_offerings(org: Organisation) -> list[Offering]:
    query = _eager(_published()).where(Offering.organisation_id == org.id)
    return list(db.session.scalars(query.order_by(Offering.id)))


def published_counts(org_ids: list[int]) -> dict[int, int]:
    if not org_ids:
        return {}
    query = (
        _published()
        .where(Offering.organisation_id.in_(org_ids))
        .with_only_columns(Offering.organisation_id, func.count())
        .group_by(Offering.organisation_id)
    )
    return dict(db.session.execute(query).tuples().all())


def profiles_by_org(org_ids: list[int]) -> dict[int, VendorProfile]:
    if not org_ids:
        return {}
    query = select(VendorProfile).where(VendorProfile.organisation_id.in_(org_ids))
    return {p.organisation_id: p for p in db.session.scalars(query)}


def organisation_offerings(org_id: int) -> list[Offering]:
    query = select(Offering).where(Offering.organisation_id == org_id)
    return list(db.session.scalars(query.order_by(Offering.updated_at.desc(), Offering.id.desc())))


def review_queue() -> list[Offering]:
    query = _eager(select(Offering).where(Offering.status == states.SUBMITTED))
    return list(db.session.scalars(query.order_by(Offering.submitted_at, Offering.id)))
