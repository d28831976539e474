"""The demo rounds: a listing in every stage, loaded once, and every page of them answers."""

from __future__ import annotations

from collections import Counter

from matchmaker.accounts.models import User
from matchmaker.competitions import stages
from matchmaker.competitions.models import Award, Listing, Objection
from matchmaker.extensions import db


def test_demo_rounds_show_every_stage(runner, client, app_ctx):
    runner.invoke(args=["taxonomy", "load"])
    result = runner.invoke(args=["demo", "load", "--password", "demo-secret-1"])
    assert result.exit_code == 0, result.output
    listings = db.session.query(Listing).all()
    wanted = set(stages.STAGES) - {stages.FAILED, stages.CANCELLED}
    assert set(Counter(item.stage for item in listings)) == wanted
    assert db.session.query(Objection).filter_by(status="open").count() == 1
    overdue = [m for a in db.session.query(Award) for m in a.application.milestones if m.is_overdue]
    assert overdue
    again = runner.invoke(args=["demo", "load", "--password", "demo-secret-1"])
    assert again.exit_code == 0 and db.session.query(Listing).count() == len(listings)
    organiser = db.session.query(User).filter_by(email="organiser@demo.matchmaker.local").one()
    with client.session_transaction() as session:  # the form refuses the .local demo domain
        session["_user_id"] = organiser.get_id()
    for item in listings:
        assert client.get(f"/rounds/console/listings/{item.id}").status_code == 200
        assert client.get(f"/rounds/listings/{item.id}").status_code == 200
    for award in db.session.query(Award):
        assert client.get(f"/rounds/awards/{award.id}").status_code == 200
