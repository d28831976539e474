from matchmaker.accounts.models import Organisation, User
from matchmaker.accounts.services import authenticate
from matchmaker.demo.district import FACTORIES, VENDORS
from matchmaker.extensions import db


def test_demo_load_creates_the_district_once(runner, app_ctx):
    runner.invoke(args=["taxonomy", "load"])
    result = runner.invoke(args=["demo", "load", "--password", "demo-secret-1"])
    assert result.exit_code == 0, result.output
    assert "demo-secret-1" in result.output
    factories = db.session.query(Organisation).filter_by(kind="factory", status="approved").count()
    vendors = db.session.query(Organisation).filter_by(kind="vendor", status="approved").count()
    assert (factories, vendors) == (len(FACTORIES), len(VENDORS))
    assert factories >= 30 and vendors >= 25
    assert db.session.query(User).filter_by(role="expert").count() == 5  # 3 more for the rounds
    organiser = authenticate("organiser@demo.matchmaker.local", "demo-secret-1")
    assert organiser is not None and organiser.is_organiser
    assert authenticate("factory01@demo.matchmaker.local", "demo-secret-1").can_publish

    again = runner.invoke(args=["demo", "load", "--password", "other-password"])
    assert again.exit_code == 0
    assert "already loaded" in again.output and "other-password" not in again.output
    assert db.session.query(User).count() == 5 + 1 + len(FACTORIES) + len(VENDORS)
