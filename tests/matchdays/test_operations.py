"""The matchmaking-day use cases through the services (SQLite, no search index: the taxonomy
overlap scores pairs)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from matchmaker import clock
from matchmaker.errors import InvalidTransition, NotAllowed, ValidationFailed
from matchmaker.extensions import db
from matchmaker.matchdays import operations
from matchmaker.matchdays.models import MatchDay, MatchDayMeeting
from matchmaker.notifications.models import OutboxMail
from matchmaker.search.store.models import MatchJudgment
from tests.factories import make_org, make_user

from .builders import make_day, party


@pytest.fixture
def organiser(app_ctx):
    return make_user(make_org("organiser"), role="organiser")


def test_create_day_checks_the_deadline_and_the_day_length(organiser):
    data = operations.DayData(
        "对接会", "会议室", "", date(2026, 6, 1), time(9, 0), 20, 12, 10,
        datetime(2026, 6, 1, 2, 0, tzinfo=clock.UTC),  # 10:00 Beijing, after the start
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as err:
        operations.create_day(organiser, data)
    assert "registration_closes_at" in err.value.fields
    data.registration_closes_at = datetime(2026, 5, 30, tzinfo=clock.UTC)
    data.starts_at, data.slot_count = time(20, 0), 40
    with pytest.raises(ValidationFailed) as err:
        operations.create_day(organiser, data)
    assert "slot_count" in err.value.fields
    data.starts_at = time(9, 0)
    day = operations.create_day(organiser, data)
    assert day.status == "draft"
    assert operations.change_status(organiser, day, "publish") is True
    assert operations.change_status(organiser, day, "publish") is False  # a double submit


def test_only_organisers_create_and_publish(app_ctx):
    _org, factory_user, _need = party("factory")
    day = make_day(status="draft")
    with pytest.raises(NotAllowed):
        operations.change_status(factory_user, day, "publish")


def test_register_keeps_only_own_published_items_and_open_window(app_ctx):
    day = make_day()
    _org, user, need = party("factory")
    _other, _u, other_need = party("factory")
    with pytest.raises(ValidationFailed) as err:
        operations.register(user, day, [other_need.id], [0])
    assert "items" in err.value.fields
    with pytest.raises(ValidationFailed):
        operations.register(user, day, [need.id], [99])
    reg = operations.register(user, day, [need.id], [0, 2])
    again = operations.register(user, day, [need.id], [1])  # an update, not a second row
    assert again.id == reg.id and again.slots == [1]
    day.registration_closes_at = clock.now() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(InvalidTransition):
        operations.register(user, day, [need.id], [0])


def test_choices_name_only_the_other_side(app_ctx):
    day = make_day()
    _f, f_user, _n = party("factory", day)
    v_org, _vu, _o = party("vendor", day)
    f2_org, _u2, _n2 = party("factory", day)
    with pytest.raises(ValidationFailed):
        operations.set_choices(f_user, day, {f2_org.id: "wish"})
    reg = operations.set_choices(f_user, day, {v_org.id: "wish"})
    assert [(c.partner_id, c.choice) for c in reg.choices] == [(v_org.id, "wish")]
    reg = operations.set_choices(f_user, day, {v_org.id: ""})
    assert reg.choices == []


def _closed_day(**kw) -> MatchDay:
    day = make_day(**kw)
    return day


def test_schedule_after_deadline_respects_refusals_and_notifies(organiser):
    day = make_day()
    f_org, f_user, _n = party("factory", day)
    v1, _u1, _o1 = party("vendor", day)
    v2, _u2, _o2 = party("vendor", day)
    operations.set_choices(f_user, day, {v1.id: "refuse"})
    with pytest.raises(InvalidTransition):
        operations.run_schedule(organiser, day)  # registration still open
    day.registration_closes_at = clock.now() - timedelta(minutes=1)
    db.session.commit()
    result = operations.run_schedule(organiser, day, time_limit=5)
    meetings = operations.day_meetings(day)
    assert day.status == "scheduled" and result.status == "optimal"
    assert {(m.factory_id, m.vendor_id) for m in meetings} == {(f_org.id, v2.id)}
    assert meetings[0].need_id is not None and meetings[0].offering_id is not None
    assert db.session.scalar(select(OutboxMail).limit(1)) is not None
    # the mail carries the agenda itself: time, table and partner
    slot, table = day.slot_label(meetings[0].slot), meetings[0].table_no + 1
    to_factory = db.session.scalar(select(OutboxMail).where(OutboxMail.recipient == f_user.email))
    assert f"{slot} · 第 {table} 桌 · {v2.name}" in to_factory.body
    to_vendor = db.session.scalar(select(OutboxMail).where(OutboxMail.recipient == _u2.email))
    assert f"{slot} · 第 {table} 桌 · {f_org.name}" in to_vendor.body


def test_pins_and_removals_survive_a_rerun(organiser):
    day = make_day(slot_count=2, tables=2)
    f1, _a, _n1 = party("factory", day)
    f2, _b, _n2 = party("factory", day)
    v1, _c, _o1 = party("vendor", day)
    v2, _d, _o2 = party("vendor", day)
    day.registration_closes_at = clock.now() - timedelta(minutes=1)
    db.session.commit()
    operations.run_schedule(organiser, day, time_limit=5)
    meetings = operations.day_meetings(day)
    assert len(meetings) == 4  # everyone meets everyone: 2 slots × 2 tables
    pinned, removed = meetings[0], meetings[1]
    assert operations.set_meeting_state(organiser, pinned, "pin") is True
    assert operations.set_meeting_state(organiser, pinned, "pin") is False  # double submit
    operations.set_meeting_state(organiser, removed, "remove")
    where = (pinned.slot, pinned.table_no)
    operations.run_schedule(organiser, day, time_limit=5)
    rows = {(m.factory_id, m.vendor_id): m for m in operations.day_meetings(day)}
    assert (
        rows[pinned.factory_id, pinned.vendor_id].slot,
        rows[pinned.factory_id, pinned.vendor_id].table_no,
    ) == where
    assert rows[removed.factory_id, removed.vendor_id].state == "removed"
    assert sum(m.state != "removed" for m in rows.values()) == 3


def test_outcomes_after_the_event_become_judgments_and_conversion(organiser):
    day = make_day()
    _f, f_user, _n = party("factory", day)
    _v, v_user, _o = party("vendor", day)
    day.registration_closes_at = clock.now() - timedelta(minutes=1)
    db.session.commit()
    operations.run_schedule(organiser, day, time_limit=5)
    meeting = db.session.scalar(select(MatchDayMeeting))
    with pytest.raises(InvalidTransition):
        operations.record_outcome(f_user, meeting, "interest")  # the day has not begun
    day.day = clock.local_now().date()
    db.session.commit()
    with pytest.raises(NotAllowed):
        operations.record_outcome(organiser, meeting, "interest")
    with pytest.raises(ValidationFailed):
        operations.record_outcome(f_user, meeting, "maybe")
    assert operations.record_outcome(f_user, meeting, "interest") is True
    assert operations.record_outcome(f_user, meeting, "interest") is False
    operations.record_outcome(v_user, meeting, "no_interest")
    verdicts = {(j.side, j.verdict) for j in db.session.scalars(select(MatchJudgment))}
    assert verdicts == {("need", "contacted"), ("offering", "irrelevant")}
    with pytest.raises(InvalidTransition):
        operations.run_schedule(organiser, day)  # the day has begun: the schedule stands
    conv = operations.conversion(day)
    assert (conv.meetings, conv.answered, conv.interested, conv.percent) == (1, 1, 1, 100)
