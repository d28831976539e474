"""The demo rounds: a listing in every stage, loaded once, and every page of them answers."""

from __future__ import annotations

from collections import Counter

from matchmaker.accounts.models import User
from matchmaker.competitions import stages
from matchmaker.competitions.models import (
    Award,
    Listing,
    Objection,
    Rectification,
    VoucherPayment,
)
from matchmaker.extensions import db


def test_demo_rounds_show_every_stage(runner, client, app_ctx):
    runner.invoke(args=["taxonomy", "load"])
    result = runner.invoke(args=["demo", "load", "--password", "demo-secret-1"])
    assert result.exit_code == 0, result.output
    listings = db.session.query(Listing).all()
    # 整改中 is passed through: the accepted listing failed its 验收 first and was rectified.
    wanted = set(stages.STAGES) - {stages.FAILED, stages.CANCELLED, stages.RECTIFYING}
    assert set(Counter(item.stage for item in listings)) == wanted
    # named as organisers name listings: the need's subject, never "揭榜：一期：…"
    assert all(item.title.endswith("揭榜项目") and "：" not in item.title for item in listings)
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
    [fix] = db.session.query(Rectification).all()
    assert fix.status == "passed" and fix.reported_at is not None
    assert [a.result for a in fix.award.acceptances] == ["failed", "passed"]
    [payment] = db.session.query(VoucherPayment).all()
    assert payment.award_id == fix.award_id and fix.award.voucher_status == "payable"
    assert 0 < payment.amount < fix.award.voucher_amount
    ledger_page = client.get("/vouchers/").get_data(as_text=True)
    assert payment.reference in ledger_page and "整改复验" in client.get(
        f"/rounds/listings/{fix.award.listing_id}"
    ).get_data(as_text=True)
