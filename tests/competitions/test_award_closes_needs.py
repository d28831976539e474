"""The award closes the listing's needs through the needs' own use case
(`needs.services.close_for_award`): they leave the hall, and their followers are told."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from matchmaker.competitions import publicity
from matchmaker.needs import engagement
from matchmaker.needs.models import NeedReview
from matchmaker.notifications.models import Notification
from tests.factories import make_org, make_user

from .builders import at, reviewed


def test_the_award_closes_the_needs_and_tells_their_followers(app_ctx):
    scene = reviewed()
    listing = scene["listing"]
    [need] = listing.needs
    follower = make_user(make_org("vendor"))
    engagement.follow_need(follower, need)
    publicity.start_publicity(scene["organiser"], listing)
    at(listing.publicity_ends_at + timedelta(minutes=1))
    terms = [publicity.AwardTerms(scene["apps"][0].id, Decimal("100"), date(2025, 4, 1))]
    publicity.award(scene["organiser"], listing, terms)
    assert need.status == "closed" and need.closed_at is not None
    last = NeedReview.query.filter_by(need_id=need.id).order_by(NeedReview.id.desc()).first()
    assert (last.action, last.comment) == ("close", f"榜单“{listing.title}”已确定挂帅单位")
    told = Notification.query.filter_by(user_id=follower.id, kind="need_changed").all()
    assert len(told) == 1 and need.title in told[0].title
