"""`flask demo load` writes one held matchmaking day with outcomes and one open for
registration, through the services (valid schedules, judgments from the outcomes)."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from matchmaker import clock
from matchmaker.extensions import db
from matchmaker.matchdays import operations, scheduling
from matchmaker.matchdays.models import MatchDay
from matchmaker.search.store.models import MatchJudgment

LOADED_ON = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)


def test_demo_has_a_held_day_with_outcomes_and_an_open_one(runner, app_ctx):
    runner.invoke(args=["taxonomy", "load"])
    clock.set(LOADED_ON)
    result = runner.invoke(args=["demo", "load", "--password", "demo-secret-1"])
    assert result.exit_code == 0, result.output
    days = list(db.session.scalars(select(MatchDay).order_by(MatchDay.day)))
    assert [d.status for d in days] == ["scheduled", "published"]
    held, upcoming = days
    assert held.day < clock.local_now().date() < upcoming.day and upcoming.registration_open()
    meetings = [m for m in operations.day_meetings(held) if m.state != "removed"]
    placed = [
        scheduling.Meeting(str(m.factory_id), str(m.vendor_id), m.slot, m.table_no)
        for m in meetings
    ]
    busy = {(p.factory, p.slot) for p in placed} | {(p.vendor, p.slot) for p in placed}
    assert len(busy) == 2 * len(placed)  # nobody double-booked
    conversion = operations.conversion(held)
    assert conversion.meetings >= 12 and 0 < conversion.interested < conversion.meetings
    assert db.session.scalar(select(func.count()).select_from(MatchJudgment)) > 0
    assert len(upcoming.registrations) >= 8
    again = runner.invoke(args=["demo", "load", "--password", "demo-secret-1"])
    assert (
        again.exit_code == 0 and db.session.scalar(select(func.count()).select_from(MatchDay)) == 2
    )
