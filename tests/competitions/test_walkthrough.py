"""One listing through every stage: two competing consortia, six experts (one recuses, so five
score and the panel uses the trimmed mean), an objection in publicity, an award with its voucher,
two milestones and an acceptance pass."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from matchmaker.competitions import (
    applications,
    audit,
    delivery,
    panel,
    publicity,
    stageflow,
    stages,
)
from matchmaker.competitions import statuses as st
from matchmaker.competitions.access import assignment_of
from matchmaker.errors import InvalidTransition, ValidationFailed
from tests.factories import make_need, make_org, make_user

from .builders import CLOSES, OPENS, apply, at, make_listing, make_round, make_vendor

CRITERIA = ("technical", "team", "kpi", "price", "cases")


def _sheet(value):
    return {code: value for code in CRITERIA}


@pytest.fixture
def scene(app_ctx):
    organiser = make_user(role="organiser")
    factory = make_org("factory")
    owner = make_user(factory)
    need = make_need(factory, status="published")
    at(OPENS - timedelta(days=1))
    round_ = make_round(organiser)
    listing = make_listing(organiser, round_, [need], consortium_allowed=True)
    return organiser, owner, listing


def _consortium():
    lead_org, lead, offering = make_vendor()
    member_org = make_org("vendor")
    make_user(member_org)
    return lead, offering, member_org


def _score(listing, experts, apps):
    """Expert i gives application A 9 - i/2 … and B a flat 6; the recused one does not score."""
    for i, expert in enumerate(experts):
        panel.save_sheet(expert, apps[0], _sheet(9 - i / 2), {"technical": f"意见{i}"}, submit=True)
        panel.save_sheet(expert, apps[1], _sheet(6), {}, submit=True)


def _applications(listing):
    """揭榜: the window opens by tick; two consortia apply, their members confirm."""
    assert stageflow.tick() == {"opened": 0, "closed": 0}
    at(OPENS + timedelta(hours=1))
    assert stageflow.tick() == {"opened": 1, "closed": 0}
    lead_a, offering_a, member_a = _consortium()
    lead_b, offering_b, member_b = _consortium()
    app_a = apply(lead_a, offering_a, listing, committed=1.5, codes=[member_a.credit_code])
    app_b = apply(lead_b, offering_b, listing, committed=2.0, codes=[member_b.credit_code])
    assert [m.status for m in app_a.members] == [st.CONFIRMED]
    return (lead_a, app_a, member_a), (lead_b, app_b)


def _panel(organiser, listing, member_a):
    """Six experts assigned (a conflicted one refused); one recuses."""
    conflicted = make_user(member_a, role="expert")
    with pytest.raises(ValidationFailed, match="利益冲突"):
        panel.assign_expert(organiser, listing, conflicted)
    experts = [make_user(role="expert") for _ in range(6)]
    for expert in experts:
        panel.assign_expert(organiser, listing, expert)
    panel.declare_conflict(experts[5], assignment_of(experts[5], listing), "曾任揭榜单位顾问")
    return experts[:5]


def _review(organiser, listing, experts, apps):
    """评审: the window closes by tick; eligibility; five sheets each; trimmed-mean ranking."""
    at(CLOSES + timedelta(minutes=1))
    assert stageflow.tick() == {"opened": 0, "closed": 1}
    assert listing.stage == stages.UNDER_REVIEW
    for app in apps:
        applications.decide_eligibility(organiser, app, True)
    _score(listing, experts, apps)
    assert panel.panel_complete(listing)
    results = panel.ranking(listing)
    assert [r.application_id for r in results] == [app.id for app in apps]
    assert results[0].trimmed and results[0].score == pytest.approx(80.0)  # (85+80+75)/3


def _publicity_and_award(organiser, listing, app_a, lead_b):
    """公示 with an objection (award refused while open), then 挂帅 with the voucher."""
    winners = publicity.start_publicity(organiser, listing)
    assert winners == [app_a] and listing.stage == stages.PUBLICITY
    objection = publicity.file_objection(lead_b, listing, "评分过程不透明")
    terms = [publicity.AwardTerms(app_a.id, Decimal("100"), date(2025, 4, 1))]
    at(listing.publicity_ends_at + timedelta(minutes=1))
    with pytest.raises(InvalidTransition, match="异议"):
        publicity.award(organiser, listing, terms)
    publicity.resolve_objection(organiser, objection, upheld=False, note="评分记录完整，异议不成立")
    [award] = publicity.award(organiser, listing, terms)
    assert award.voucher_amount == Decimal("30.00") and listing.stage == stages.AWARDED
    return award


def _delivery(organiser, owner, listing, award, lead_a):
    """攻关: two milestones delivered and confirmed, a mid-term review; 验收 passes."""
    stageflow.act(organiser, listing, "start_delivery")
    assert len(award.application.milestones) == 2
    for milestone in award.application.milestones:
        delivery.deliver_milestone(lead_a, milestone, "已完成，报告见附件")
        delivery.confirm_milestone(owner, milestone)
    delivery.record_midterm(organiser, award, 50, "on_track", "进展顺利")
    kpi = listing.kpis[0]
    delivery.record_acceptance(
        organiser, award, [delivery.MeasuredValue(kpi.id, 1.2, "第三方检测报告")]
    )
    assert listing.stage == stages.ACCEPTED
    assert award.acceptance.result == st.PASSED and award.voucher_status == st.PAYABLE


def test_listing_walks_through_every_stage(scene):
    organiser, owner, listing = scene
    (lead_a, app_a, member_a), (lead_b, app_b) = _applications(listing)
    experts = _panel(organiser, listing, member_a)
    _review(organiser, listing, experts, [app_a, app_b])
    award = _publicity_and_award(organiser, listing, app_a, lead_b)
    _delivery(organiser, owner, listing, award, lead_a)
    actions = [e.action for e in audit.entries()]
    for expected in ("open_applications", "assign_expert", "recuse", "submit_scores", "award"):
        assert expected in actions
    assert actions.count("submit_scores") == 10 and "acceptance" in actions
    assert all(e.actor_id is None for e in audit.entries() if e.action == "close_applications")
