"""`flask demo load`: the accounts once, and a district that reads as 萧山 on whatever day it
is loaded (its towns, credit codes, dates against the rounds, the monthly chart's shape)."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from matchmaker import clock
from matchmaker.accounts.models import Organisation, User
from matchmaker.accounts.services import authenticate
from matchmaker.competitions.models import Listing, Round
from matchmaker.dashboard import charts
from matchmaker.demo.district import DISTRICT, FACTORIES, VENDORS
from matchmaker.demo.rounds import round_names
from matchmaker.extensions import db
from matchmaker.needs.choices import TOWNS
from matchmaker.needs.models import Need
from matchmaker.solvers.models import Offering

# A day that is not today, so that the test shows the dates follow the clock.
LOADED_ON = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


def test_demo_load_creates_the_district_once(runner, app_ctx):
    runner.invoke(args=["taxonomy", "load"])
    clock.set(LOADED_ON)
    result = runner.invoke(args=["demo", "load", "--password", "demo-secret-1"])
    assert result.exit_code == 0, result.output
    assert "demo-secret-1" in result.output
    factories = db.session.query(Organisation).filter_by(kind="factory", status="approved").count()
    vendors = db.session.query(Organisation).filter_by(kind="vendor", status="approved").count()
    assert (factories, vendors) == (len(FACTORIES), len(VENDORS))
    assert factories >= 30 and vendors >= 25
    # 2 experts, 3 more for the rounds, and one invited to the 专家库 who has not accepted yet
    assert db.session.query(User).filter_by(role="expert").count() == 6
    from matchmaker.competitions.models import ExpertProfile

    profiles = db.session.query(ExpertProfile).all()
    assert len(profiles) == 6 and sum(p.pending_invitation for p in profiles) == 1
    assert all(p.categories for p in profiles)
    organiser = authenticate("organiser@demo.matchmaker.local", "demo-secret-1")
    assert organiser is not None and organiser.is_organiser
    assert authenticate("factory01@demo.matchmaker.local", "demo-secret-1").can_publish
    check_towns_and_codes()
    check_dates_against_the_rounds()
    check_the_monthly_chart()

    again = runner.invoke(args=["demo", "load", "--password", "other-password"])
    assert again.exit_code == 0
    assert "already loaded" in again.output and "other-password" not in again.output
    assert db.session.query(User).count() == 6 + 1 + len(FACTORIES) + len(VENDORS)
    assert db.session.query(Round).count() == 4
    check_the_message_thread()


def check_the_message_thread() -> None:
    """One thread (issue 19 item 8) between factory01 and vendor01, written once."""
    from matchmaker.files.models import Attachment
    from matchmaker.messages.models import NeedMessage, NeedThread

    (thread,) = db.session.scalars(select(NeedThread)).all()
    factory = db.session.scalar(select(User).where(User.email.like("factory01@%")))
    vendor = db.session.scalar(select(User).where(User.email.like("vendor01@%")))
    assert thread.need.owner_id == factory.organisation_id
    assert thread.vendor_id == vendor.organisation_id
    assert [m.side for m in thread.messages] == ["vendor", "factory", "vendor"]
    assert db.session.query(NeedMessage).count() == 3
    assert db.session.query(Attachment).filter_by(owner_type="need_message").count() == 1
    days = [_aware(m.created_at) for m in thread.messages]
    assert LOADED_ON - timedelta(days=6) < days[0] < days[1] < days[2] < LOADED_ON


def check_towns_and_codes() -> None:
    members = db.session.scalars(select(Organisation).where(Organisation.kind != "organiser"))
    for org in members:
        assert org.district == DISTRICT == "萧山区" and org.town in TOWNS, org.name
        assert org.credit_code.startswith("91330109")  # 萧山区
    assert {n.town for n in db.session.scalars(select(Need))} <= set(TOWNS)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_dates_against_the_rounds() -> None:
    now = clock.now()
    for need in db.session.scalars(select(Need)):  # nothing "today", nothing ahead
        assert _aware(need.created_at) < now - timedelta(days=1), need.title
        assert now - _aware(need.created_at) < timedelta(days=366)
    for offering in db.session.scalars(select(Offering)):
        assert now - timedelta(days=380) < _aware(offering.created_at) < now - timedelta(days=1)
    for listing in db.session.scalars(select(Listing)):
        opens = _aware(listing.round.opens_at)
        assert _aware(listing.created_at) < min(opens, now)
        for need in listing.needs:  # each need was published before its round opened
            assert _aware(need.published_at) < _aware(listing.created_at), need.title
    rounds = db.session.scalars(select(Round).order_by(Round.opens_at)).all()
    assert (
        [r.name for r in rounds]
        == round_names()
        == [
            "2026年人工智能赋能制造业场景揭榜挂帅（第一批）",
            "2026年人工智能赋能制造业场景揭榜挂帅（第二批）",
            "2027年人工智能赋能制造业场景揭榜挂帅（第一批）",
            "2027年人工智能赋能制造业场景揭榜挂帅（第二批，预告）",
        ]
    )
    assert all(_aware(r.created_at) < now for r in rounds)
    assert _aware(rounds[2].opens_at) < now < _aware(rounds[2].closes_at)  # accepting now


def check_the_monthly_chart() -> None:
    """Needs in every one of the last twelve months, more of them lately."""
    chart = charts.over_time()
    months, needs = chart.data["x"], chart.data["series"]["需求"]
    assert months[-1] == "2027-01" and len(months) >= 12
    last_year = needs[-13:-1]  # the twelve full months before this one
    assert all(n > 0 for n in last_year)
    assert sum(last_year[6:]) > sum(last_year[:6])
