"""What the home page shows: the programme at a glance — open rounds with their countdowns,
figures, the scenario categories with their need counts, and the newest things each visitor
may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from .. import clock
from ..accounts.models import Organisation
from ..competitions import stages
from ..competitions.models import Listing, Round
from ..extensions import db
from ..needs import hall
from ..needs import states as need_states
from ..needs.models import Need
from ..scenarios.models import ScenarioCategory
from ..scenarios.services import active_entries, taxonomy_stats
from ..solvers import queries as offerings


@dataclass(frozen=True)
class OpenRound:
    round: Round
    days_left: int  # whole calendar days until the closing day, Beijing time (0 = closes today)
    listings: int  # its listings now accepting applications


@dataclass(frozen=True)
class CategoryCount:
    category: ScenarioCategory
    needs: int


@dataclass(frozen=True)
class HomePage:
    figures: dict[str, int]
    needs: list
    offerings: list
    accepting_listings: list
    open_rounds: list[OpenRound]
    categories: list[CategoryCount]


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def days_left(closes_at: datetime, now: datetime | None = None) -> int:
    """Calendar days from today to the closing day, both in Beijing time."""
    return clock.days_until(closes_at, now)


def open_rounds(limit: int = 6) -> list[OpenRound]:
    now = clock.now()
    query = (
        select(Round)
        .where(Round.opens_at <= now, Round.closes_at > now)
        .order_by(Round.closes_at)
        .limit(limit)
    )
    rounds = list(db.session.scalars(query))
    counts = dict(
        db.session.execute(
            select(Listing.round_id, func.count())
            .where(Listing.round_id.in_([r.id for r in rounds]), Listing.stage == stages.ACCEPTING)
            .group_by(Listing.round_id)
        ).all()
    )
    return [OpenRound(r, days_left(r.closes_at, now), counts.get(r.id, 0)) for r in rounds]


def category_counts() -> list[CategoryCount]:
    counts = dict(
        db.session.execute(
            select(Need.category_id, func.count())
            .where(Need.status == need_states.PUBLISHED)
            .group_by(Need.category_id)
        ).all()
    )
    return [CategoryCount(c, counts.get(c.id, 0)) for c in active_entries(ScenarioCategory)]


def home_page(user, newest: int = 6) -> HomePage:
    needs = hall.listing(user, hall.parse_filters({}), page=1, per_page=newest)
    latest_offerings = offerings.directory_page(offerings.parse_filters({}), page=1, per_page=4)
    accepting = select(Listing).where(Listing.stage == stages.ACCEPTING)
    approved = select(Organisation).where(Organisation.status == "approved")
    rounds = open_rounds()
    figures = {
        **taxonomy_stats(),
        "needs": needs.total,
        "offerings": latest_offerings.total,
        "factories": _count(approved.where(Organisation.kind == "factory")),
        "vendors": _count(approved.where(Organisation.kind == "vendor")),
        "accepting": _count(accepting),
        "open_rounds": len(rounds),
    }
    listings = list(db.session.scalars(accepting.order_by(Listing.id.desc()).limit(5)))
    return HomePage(
        figures, needs.items, latest_offerings.items, listings, rounds, category_counts()
    )
