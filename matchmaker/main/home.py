"""What the home page shows: programme figures and the newest things each visitor may see."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..accounts.models import Organisation
from ..competitions import stages
from ..competitions.models import Listing
from ..extensions import db
from ..needs import hall
from ..scenarios.services import taxonomy_stats
from ..solvers import queries as offerings


@dataclass(frozen=True)
class HomePage:
    figures: dict[str, int]
    needs: list
    offerings: list
    accepting_listings: list


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def home_page(user, newest: int = 6) -> HomePage:
    needs = hall.listing(user, hall.parse_filters({}), page=1, per_page=newest)
    latest_offerings = offerings.directory_page(offerings.parse_filters({}), page=1, per_page=4)
    accepting = select(Listing).where(Listing.stage == stages.ACCEPTING)
    approved = select(Organisation).where(Organisation.status == "approved")
    figures = {
        **taxonomy_stats(),
        "needs": needs.total,
        "offerings": latest_offerings.total,
        "factories": _count(approved.where(Organisation.kind == "factory")),
        "vendors": _count(approved.where(Organisation.kind == "vendor")),
        "accepting": _count(accepting),
    }
    listings = list(db.session.scalars(accepting.order_by(Listing.id.desc()).limit(5)))
    return HomePage(figures, needs.items, latest_offerings.items, listings)
