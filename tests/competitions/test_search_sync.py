"""Status changes made by the rounds reach the search index without `flask search rebuild`."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from matchmaker.competitions import publicity
from matchmaker.search.app import service
from tests.competitions.builders import at, reviewed
from tests.search_wiring import index_now, search_index  # noqa: F401  (fixture)


def test_award_closes_the_listing_needs_and_removes_them_from_the_index(
    app_ctx,
    search_index,  # noqa: F811
):
    scene = reviewed()
    listing, organiser = scene["listing"], scene["organiser"]
    needs = list(listing.needs)
    for need in needs:
        index_now("need", need)
        assert service.stored_document("need", need.id) is not None
    publicity.start_publicity(organiser, listing)
    assert all(service.stored_document("need", n.id) for n in needs)  # still open
    at(listing.publicity_ends_at + timedelta(minutes=1))
    terms = [publicity.AwardTerms(scene["apps"][0].id, Decimal("100"), date(2025, 4, 1))]
    publicity.award(organiser, listing, terms)
    for need in needs:
        assert need.status == "closed"
        assert need.reviews[-1].action == "close"
        assert service.stored_document("need", need.id) is None
