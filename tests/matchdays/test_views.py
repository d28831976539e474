"""The pages of a matchmaking day through the test client: the home page lists an open day,
a factory registers (bad input is re-shown with a Chinese message), chooses partners, and
after scheduling sees its agenda and records an outcome; the organiser's grid and cards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from matchmaker import clock
from matchmaker.extensions import db
from matchmaker.matchdays import operations
from matchmaker.matchdays.models import MatchDayMeeting, MatchDayRegistration
from tests.factories import login, make_org, make_user

from .builders import make_day, party


def test_register_choose_schedule_agenda_outcome(app_ctx, client):
    day = make_day(title="萧山供需对接会")
    f_org, f_user, need = party("factory")
    v_org, _v_user, _o = party("vendor", day)
    assert "萧山供需对接会" in client.get("/").get_data(as_text=True)
    login(client, f_user.email)
    page = client.get(f"/matchdays/{day.id}/register").get_data(as_text=True)
    assert need.title in page and "09:00–09:20" in page
    bad = client.post(f"/matchdays/{day.id}/register", data={"items": str(need.id)})
    assert bad.status_code == 422 and "请至少选择一个可参加的时段" in bad.get_data(as_text=True)
    ok = client.post(
        f"/matchdays/{day.id}/register", data={"items": str(need.id), "slots": ["0", "1"]}
    )
    assert ok.status_code == 302
    page = client.get(f"/matchdays/{day.id}/partners").get_data(as_text=True)
    assert v_org.name in page
    client.post(f"/matchdays/{day.id}/partners", data={f"choice-{v_org.id}": "wish"})
    reg = db.session.scalar(select(MatchDayRegistration).filter_by(organisation_id=f_org.id))
    assert [(c.partner_id, c.choice) for c in reg.choices] == [(v_org.id, "wish")]
    organiser = make_user(make_org("organiser"), role="organiser")
    day.registration_closes_at = clock.now() - timedelta(minutes=1)
    db.session.commit()
    operations.run_schedule(organiser, day, time_limit=5)
    day.day = clock.local_now().date()  # the day has come: outcomes may be recorded
    db.session.commit()
    agenda = client.get(f"/matchdays/{day.id}/agenda").get_data(as_text=True)
    assert v_org.name in agenda and "第 1 桌" in agenda and need.title in agenda
    meeting = db.session.scalar(select(MatchDayMeeting))
    client.post(f"/matchdays/meetings/{meeting.id}/outcome", data={"outcome": "interest"})
    db.session.refresh(meeting)
    assert meeting.factory_outcome == "interest"


@pytest.fixture
def closed_day(app_ctx):
    """A day with one factory and one vendor registered, its registration just closed, and an
    organiser to schedule it: (day, organiser)."""
    day = make_day()
    party("factory", day)
    party("vendor", day)
    organiser = make_user(make_org("organiser"), role="organiser")
    day.registration_closes_at = clock.now() - timedelta(minutes=1)
    db.session.commit()
    return day, organiser


def test_console_grid_and_cards(closed_day, client):
    day, organiser = closed_day
    login(client, organiser.email)
    assert client.post(f"/matchdays/console/{day.id}/schedule").status_code == 302
    grid = client.get(f"/matchdays/console/{day.id}").get_data(as_text=True)
    assert "洽谈总表" in grid and "转化率 0%" in grid  # one meeting, no 意向 yet
    cards = client.get(f"/matchdays/console/{day.id}/cards").get_data(as_text=True)
    assert "第 2 桌" in cards and f'href="/matchdays/console/{day.id}"' in cards  # a way back
    bad = client.post("/matchdays/console/new", data={"title": "对接会", "venue": ""})
    assert bad.status_code == 422 and "对接会" in bad.get_data(as_text=True)


def test_someone_elses_need_is_refused_in_chinese(app_ctx, client):
    day = make_day()
    _org, user, _need = party("factory")
    _other, _u, other_need = party("factory")
    login(client, user.email)
    bad = client.post(
        f"/matchdays/{day.id}/register", data={"items": str(other_need.id), "slots": "0"}
    )
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "not a valid" not in page.lower()
    assert "请至少选择一项本机构已发布的需求" in page
    bad = client.post(f"/matchdays/{day.id}/register", data={"items": "x", "slots": "0"})
    assert bad.status_code == 422 and "选择无效" in bad.get_data(as_text=True)


def test_bad_day_form_keeps_the_input_and_speaks_chinese(app_ctx, client):
    organiser = make_user(make_org("organiser"), role="organiser")
    login(client, organiser.email)
    data = {"title": "第三期对接会", "venue": "会议室", "day": "2030-13-45", "starts_at": "09:00",
            "slot_minutes": "500", "slot_count": "12", "tables": "10",
            "registration_closes_at": "2030-04-28T17:00"}  # fmt: skip
    bad = client.post("/matchdays/console/new", data=data)
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'value="第三期对接会"' in page
    assert "Not a valid" not in page and "must be" not in page


def test_the_badge_says_where_the_day_stands(app_ctx, client):
    """报名中 only while registration is open; after the deadline 报名已截止, a past day 已举办."""
    open_day = make_day(title="报名中的对接会")
    closed = make_day(title="截止后的对接会", closes=clock.now() - timedelta(hours=1))
    held = make_day(
        status="scheduled",
        title="上月的对接会",
        day=clock.local_now().date() - timedelta(days=20),
        closes=clock.now() - timedelta(days=25),
    )
    assert [d.phase() for d in (open_day, closed, held)] == ["open", "closed", "held"]
    assert "报名中" in client.get(f"/matchdays/{open_day.id}").get_data(as_text=True)
    page = client.get(f"/matchdays/{closed.id}").get_data(as_text=True)
    assert "报名已截止" in page and "报名中" not in page
    page = client.get(f"/matchdays/{held.id}").get_data(as_text=True)
    assert "已举办" in page and "日程已排定" not in page
    organiser = make_user(make_org("organiser"), role="organiser")
    login(client, organiser.email)
    console = client.get("/matchdays/console").get_data(as_text=True)
    assert console.count(">报名中</span>") == 1
    assert ">报名已截止</span>" in console and ">已举办</span>" in console


def test_the_console_lists_who_registered_with_what(app_ctx, client):
    day = make_day()
    f_org, _f_user, need = party("factory", day, slots=(0, 1))
    v_org, _v_user, offering = party("vendor", day)
    login(client, make_user(make_org("organiser"), role="organiser").email)
    page = client.get(f"/matchdays/console/{day.id}").get_data(as_text=True)
    table = page[page.index('id="registrations"') :]
    assert f_org.name in table and need.title in table and "2 / 3 场" in table
    assert v_org.name in table and offering.title in table and "揭榜方" in table


def test_an_organisation_with_nothing_published_is_shown_the_way(app_ctx, client):
    day = make_day()
    user = make_user(make_org("factory"))
    login(client, user.email)
    page = client.get(f"/matchdays/{day.id}/register").get_data(as_text=True)
    notice = page[page.index('id="no-items"') :]
    assert "本机构还没有已发布的需求" in notice and 'href="/needs/mine"' in notice


def test_after_the_day_the_meetings_can_no_longer_be_moved(closed_day, client):
    day, organiser = closed_day
    operations.run_schedule(organiser, day, time_limit=5)
    day.day = clock.local_now().date() - timedelta(days=1)
    db.session.commit()
    login(client, organiser.email)
    grid = client.get(f"/matchdays/console/{day.id}").get_data(as_text=True)
    assert "洽谈总表" in grid and ">固定<" not in grid and ">移除<" not in grid
    meeting = db.session.scalar(select(MatchDayMeeting))
    page = client.post(f"/matchdays/console/meetings/{meeting.id}/remove", follow_redirects=True)
    assert "洽谈安排不能再调整" in page.get_data(as_text=True)
    db.session.refresh(meeting)
    assert meeting.state == "proposed"


def test_domain_close_is_said_only_of_the_taxonomy_stand_in():
    """领域相近 labels a pair scored by shared taxonomy; an engine match below the bands
    gets no badge (it is not 'close', only ranked)."""
    from matchmaker.matchdays.pairs import PairScore

    assert PairScore(0.15, None, 1, 2).overlap_only
    assert not PairScore(0.0, None, 1, 2).overlap_only
    assert not PairScore(0.04, None, 1, 2, match=object()).overlap_only
    assert MatchDayMeeting(score=0.3, band=None, reasons=[]).overlap_only
    assert not MatchDayMeeting(score=0.04, band=None, reasons=[{"kind": "kpi"}]).overlap_only
