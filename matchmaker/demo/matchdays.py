"""Two demo matchmaking days (供需对接会), written through the real services with the clock
frozen: one held three weeks ago (12 factories × 10 vendors, scheduled, outcomes recorded, so
the console shows its conversion) and one open for registration now (next month; 6 factories
and 5 vendors registered so far, with wishes)."""

from __future__ import annotations

from datetime import time

import click
from sqlalchemy import select

from .. import clock
from ..accounts.models import Organisation
from ..extensions import db
from ..matchdays import operations
from ..matchdays.models import MatchDay
from ..needs import states as need_states
from ..needs.models import Need
from ..solvers import states as offering_states
from ..solvers.models import Offering
from .timeline import days_ago

MORNING, AFTERNOON = list(range(6)), list(range(6, 12))


def _parties(kind: str, before, count: int) -> list[tuple]:
    """(member, [item ids]) of the first approved organisations of `kind` with published items
    (published before `before`)."""
    model, owner, published = (
        (Need, Need.owner_id, need_states.PUBLISHED)
        if kind == "factory"
        else (Offering, Offering.organisation_id, offering_states.PUBLISHED)
    )
    query = (
        select(model)
        .join(Organisation, Organisation.id == owner)
        .where(
            model.status == published,
            model.published_at <= before,
            Organisation.status == "approved",
        )
        .order_by(model.id)
    )
    items: dict[int, list[int]] = {}
    members = {}
    for item in db.session.scalars(query):
        org = db.session.get(
            Organisation, item.owner_id if kind == "factory" else item.organisation_id
        )
        member = next((u for u in org.members if u.active), None)
        if member is None or (org.id not in items and len(items) >= count):
            continue
        items.setdefault(org.id, [])
        if len(items[org.id]) < 2:
            items[org.id].append(item.id)
        members[org.id] = member
    return [(members[o], ids) for o, ids in items.items()]


def _slots(k: int) -> list[int]:
    return MORNING if k % 5 == 3 else AFTERNOON if k % 5 == 4 else list(range(12))


def _day(organiser, title: str, held, created, closes) -> MatchDay:
    data = operations.DayData(
        title=title,
        venue="萧山区科技城会展中心二楼多功能厅",
        description="面向纺织化纤、印染、汽车零部件等重点行业，需求方与人工智能揭榜方一对一洽谈，每场 20 分钟。",
        day=held.astimezone(clock.LOCAL_TZ).date(),
        starts_at=time(9, 0),
        slot_minutes=20,
        slot_count=12,
        tables=8,
        registration_closes_at=closes,
    )
    with clock.frozen(created):
        day = operations.create_day(organiser, data)
        operations.change_status(organiser, day, "publish")
    return day


def _register(day: MatchDay, when, factories, vendors) -> None:
    with clock.frozen(when):
        for k, (member, ids) in enumerate(factories + vendors):
            operations.register(member, day, ids, _slots(k))
        for k, (member, _ids) in enumerate(factories):
            wished = vendors[k % len(vendors)][0].organisation_id
            choices = {wished: "wish"}
            if k % 4 == 1:
                choices[vendors[(k + 3) % len(vendors)][0].organisation_id] = "refuse"
            operations.set_choices(member, day, choices)
        for k, (member, _ids) in enumerate(vendors):
            operations.set_choices(
                member, day, {factories[k % len(factories)][0].organisation_id: "wish"}
            )


def _outcomes(day: MatchDay, when) -> None:
    with clock.frozen(when):
        for k, meeting in enumerate(operations.day_meetings(day)):
            for side, org_id in (("factory", meeting.factory_id), ("vendor", meeting.vendor_id)):
                if k % 7 == 6:
                    continue  # some parties never said
                org = db.session.get(Organisation, org_id)
                member = next(u for u in org.members if u.active)
                # Vendors said 有意向 to every meeting: a vendor's 无意向 hides that need from its
                # 适合我的榜单, and which meetings the solver picks may vary with its time limit,
                # so the demo vendors' lists would vary from one `demo load` to the next.
                good = side == "vendor" or (meeting.score or 0) >= 0.5 or k % 3 == 0
                operations.record_outcome(member, meeting, "interest" if good else "no_interest")


def load_matchdays(organiser) -> int:
    """Create the two demo days unless a day exists; returns the number created."""
    if db.session.scalar(select(MatchDay.id).limit(1)) is not None:
        return 0
    held = days_ago(21, hour=9)
    factories, vendors = _parties("factory", days_ago(30), 12), _parties("vendor", days_ago(30), 10)
    if len(factories) < 4 or len(vendors) < 4:
        return 0
    past = _day(
        organiser, "萧山区人工智能赋能制造业供需对接会（第一期）", held, days_ago(45), days_ago(24)
    )
    _register(past, days_ago(30), factories, vendors)
    with clock.frozen(days_ago(23)):
        operations.run_schedule(organiser, past, time_limit=10)
    _outcomes(past, days_ago(21, hour=17))
    upcoming = _day(
        organiser,
        "萧山区人工智能赋能制造业供需对接会（第二期）",
        days_ago(-24, hour=9),
        days_ago(5),
        days_ago(-17, hour=17),
    )
    now_factories, now_vendors = (
        _parties("factory", days_ago(2), 6),
        _parties("vendor", days_ago(2), 5),
    )
    _register(upcoming, days_ago(2), now_factories, now_vendors)
    click.echo(
        "demo: created 2 matchmaking days (one held with outcomes, one open for registration)"
    )
    return 2
