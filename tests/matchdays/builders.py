"""A small matchmaking day for the tests: factories with published needs, vendors with
published offerings (the MINI taxonomy), written directly."""

from __future__ import annotations

from datetime import time, timedelta

from matchmaker import clock
from matchmaker.extensions import db
from matchmaker.matchdays.models import MatchDay, MatchDayRegistration
from tests.factories import ensure_taxonomy, make_need, make_offering, make_org, make_user


def make_day(status: str = "published", days_ahead: int = 10, **fields) -> MatchDay:
    today = clock.local_now().date()
    day = MatchDay(
        title=fields.pop("title", "萧山区智能制造供需对接会"),
        venue="萧山区经信局三楼会议室",
        day=fields.pop("day", today + timedelta(days=days_ahead)),
        starts_at=time(9, 0),
        slot_minutes=20,
        slot_count=fields.pop("slot_count", 3),
        tables=fields.pop("tables", 2),
        registration_closes_at=fields.pop("closes", clock.now() + timedelta(days=days_ahead - 2)),
        status=status,
        **fields,
    )
    db.session.add(day)
    db.session.commit()
    return day


def party(kind: str, day: MatchDay | None = None, slots=(0, 1, 2)):
    """(organisation, user, item) of a new approved factory or vendor, registered when `day`."""
    templates = ensure_taxonomy()
    org = make_org(kind)
    user = make_user(org)
    if kind == "factory":
        item = make_need(org, status="published", template=templates[0])
    else:
        item = make_offering(org, status="published", templates=[templates[0]])
    if day is not None:
        db.session.add(
            MatchDayRegistration(
                match_day_id=day.id,
                organisation_id=org.id,
                kind=kind,
                item_ids=[item.id],
                slots=list(slots),
            )
        )
        db.session.commit()
    return org, user, item
