"""A need's place in a round, for the hall cards and the need page's stepper.

The needs package sits below competitions and cannot import it, so these functions are
template globals (registered in blueprint.py): `need_listings(needs)` and `listing_steps(listing)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import clock
from ..extensions import db
from . import stages
from .models import Award, Listing, Rectification
from .models.rounds import listing_needs

# The six steps a listing shows, and the step each stage marks as current.
STEPS = (_l("发榜"), _l("揭榜"), _l("评审"), _l("公示"), _l("挂帅"), _l("验收"))
RECTIFICATION_STEP = _l("整改复验")  # a seventh step, only for a listing given a rectification
CURRENT_STEP = {
    stages.PUBLISHED: 0,
    stages.ACCEPTING: 1,
    stages.UNDER_REVIEW: 2,
    stages.PUBLICITY: 3,
    stages.AWARDED: 4,
    stages.IN_DELIVERY: 5,
    stages.RECTIFYING: 6,
    stages.ACCEPTED: 5,
    stages.FAILED: 5,
}


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # "done" | "current" | "upcoming"
    start: datetime | None = None
    end: datetime | None = None


def need_listings(needs) -> dict[int, Listing]:
    """The latest listing (not cancelled) of each need (or need id), by need id: one query."""
    ids = [n if isinstance(n, int) else int(getattr(n, "id", n)) for n in needs]
    if not ids:
        return {}
    rows = db.session.execute(
        select(listing_needs.c.need_id, Listing)
        .join(Listing, Listing.id == listing_needs.c.listing_id)
        .where(listing_needs.c.need_id.in_(ids), Listing.stage != stages.CANCELLED)
        .order_by(Listing.id)
    ).all()
    return {need_id: listing for need_id, listing in rows}


def days_left(moment: datetime | None) -> int | None:
    """Beijing calendar days until `moment` (0 on its last day, as `clock.days_until` counts
    them for the home page), None when it has passed or is unset."""
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return clock.days_until(moment) if moment > clock.now() else None


def _rectification(listing: Listing) -> Rectification | None:
    """The listing's latest rectification (one query, only once 验收 has begun)."""
    if listing.stage not in (stages.RECTIFYING, stages.ACCEPTED, stages.FAILED):
        return None
    return db.session.scalar(
        select(Rectification)
        .join(Award, Award.id == Rectification.award_id)
        .where(Award.listing_id == listing.id)
        .order_by(Rectification.id.desc())
        .limit(1)
    )


def listing_steps(listing: Listing) -> list[Step]:
    round_ = listing.round
    dates = (
        (listing.created_at, None),
        (round_.opens_at, round_.closes_at),
        (round_.review_opens_at, round_.review_closes_at),
        (listing.publicity_starts_at, listing.publicity_ends_at),
        (None, None),
        (None, None),
    )
    labels = list(STEPS)
    rectification = _rectification(listing)
    if rectification is not None:
        labels.append(RECTIFICATION_STEP)
        granted = rectification.granted_at
        dates = (*dates, (granted, clock.local_midnight(rectification.due_on)))
    current = CURRENT_STEP.get(listing.stage, -1)
    finished = listing.stage in (stages.ACCEPTED, stages.FAILED)
    if finished and rectification is not None:
        current = len(labels) - 1
    steps = []
    for index, (label, (start, end)) in enumerate(zip(labels, dates, strict=True)):
        if index < current or (finished and index == current):
            state = "done"
        elif index == current:
            state = "current"
        else:
            state = "upcoming"
        steps.append(Step(str(label), state, start, end))
    return steps
