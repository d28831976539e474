"""Every refusal of the flow: stages, windows, KPI commitments, conflicts, voucher caps."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from matchmaker import clock
from matchmaker.competitions import (
    applications,
    delivery,
    panel,
    publicity,
    stageflow,
    stages,
)
from matchmaker.competitions import statuses as st
from matchmaker.errors import InvalidTransition, NotAllowed, ValidationFailed
from tests.factories import make_need, make_org, make_user

from .builders import (
    CLOSES,
    OPENS,
    application_data,
    apply,
    at,
    awarded,
    make_listing,
    make_round,
    make_vendor,
    reviewed,
)


@pytest.fixture
def accepting(app_ctx):
    organiser = make_user(role="organiser")
    at(OPENS - timedelta(days=1))
    listing = make_listing(organiser, make_round(organiser), consortium_allowed=False)
    at(OPENS + timedelta(hours=1))
    stageflow.tick()
    return organiser, listing


def test_refused_stage_actions(accepting):
    organiser, listing = accepting
    for action in ("open_applications", "start_delivery"):
        with pytest.raises(InvalidTransition, match="揭榜中"):
            stageflow.act(organiser, listing, action)
    with pytest.raises(InvalidTransition):
        publicity.start_publicity(organiser, listing)
    with pytest.raises(InvalidTransition):
        publicity.award(organiser, listing, [])
    with pytest.raises(ValidationFailed):
        stageflow.cancel(organiser, listing, "  ")
    stageflow.cancel(organiser, listing, "需求方已自行解决")
    assert listing.stage == stages.CANCELLED and listing.cancel_reason == "需求方已自行解决"
    with pytest.raises(InvalidTransition):
        stageflow.cancel(organiser, listing, "再次取消")


def test_only_organisers_move_stages(accepting):
    _organiser, listing = accepting
    _org, vendor, _offering = make_vendor()
    with pytest.raises(NotAllowed):
        stageflow.act(vendor, listing, "close_applications")


def test_tick_is_idempotent_and_follows_the_window(accepting):
    organiser, listing = accepting
    assert stageflow.tick() == {"opened": 0, "closed": 0}
    at(CLOSES - timedelta(seconds=1))
    assert stageflow.tick() == {"opened": 0, "closed": 0}
    at(CLOSES)
    assert stageflow.tick() == {"opened": 0, "closed": 1}
    assert stageflow.tick() == {"opened": 0, "closed": 0}
    assert listing.stage == stages.UNDER_REVIEW


def test_tick_command(app, accepting):
    at(CLOSES + timedelta(hours=1))
    result = app.test_cli_runner().invoke(args=["rounds", "tick"])
    assert "closed 1" in result.output
    assert "closed 0" in app.test_cli_runner().invoke(args=["rounds", "tick"]).output


def test_late_submission_is_refused(accepting):
    _organiser, listing = accepting
    _org, lead, offering = make_vendor()
    application = apply(lead, offering, listing, submit=False)
    at(CLOSES)  # the window is [opens, closes): at the closing second it is shut
    with pytest.raises(InvalidTransition, match="截止"):
        applications.submit_application(lead, application)
    assert application.status == st.DRAFT
    clock.set(CLOSES - timedelta(seconds=1))
    applications.submit_application(lead, application)
    assert application.status == st.SUBMITTED


def test_withdraw_only_before_the_window_closes(accepting):
    _organiser, listing = accepting
    _org, lead, offering = make_vendor()
    application = apply(lead, offering, listing)
    at(CLOSES + timedelta(minutes=1))
    with pytest.raises(InvalidTransition):
        applications.withdraw_application(lead, application)
    at(CLOSES - timedelta(minutes=1))
    applications.withdraw_application(lead, application)
    assert application.status == st.WITHDRAWN


def test_lowered_kpi_commitment_names_the_indicator(accepting):
    _organiser, listing = accepting
    _org, lead, offering = make_vendor()
    application = applications.start_application(lead, listing, offering)
    with pytest.raises(ValidationFailed) as caught:
        applications.save_application(lead, application, application_data(listing, committed=3.0))
    [message] = caught.value.fields["commitments"]
    assert "漏检率" in message and "不得降低考核指标" in message
    assert application.commitments == []


def test_one_application_per_vendor_and_lead_limit(app_ctx):
    organiser = make_user(role="organiser")
    at(OPENS - timedelta(days=1))
    round_ = make_round(organiser, max_leads=1)
    first, second = make_listing(organiser, round_), make_listing(organiser, round_)
    _org, lead, offering = make_vendor()
    applications.start_application(lead, first, offering)
    with pytest.raises(ValidationFailed, match="只能提交一份"):
        applications.start_application(lead, first, offering)
    with pytest.raises(ValidationFailed, match="最多牵头"):
        applications.start_application(lead, second, offering)


def test_consortium_rules(accepting):
    _organiser, listing = accepting
    _org, lead, offering = make_vendor()
    application = applications.start_application(lead, listing, offering)
    member = make_org("vendor")
    with pytest.raises(ValidationFailed, match="不允许联合体"):
        applications.save_application(
            lead, application, application_data(listing, codes=[member.credit_code])
        )
    listing.consortium_allowed = True
    pending = make_org("vendor", approved=False)
    with pytest.raises(ValidationFailed, match="已审核通过"):
        applications.save_application(
            lead, application, application_data(listing, codes=[pending.credit_code])
        )
    too_many = [make_org("vendor").credit_code for _ in range(5)]
    with pytest.raises(ValidationFailed, match="最多 4 家"):
        applications.save_application(lead, application, application_data(listing, codes=too_many))
    applications.save_application(
        lead, application, application_data(listing, codes=[member.credit_code])
    )
    with pytest.raises(ValidationFailed, match="联合体成员尚未全部确认"):
        applications.submit_application(lead, application)


def test_conflicted_assignments_are_refused(app_ctx):
    organiser = make_user(role="organiser")
    factory = make_org("factory")
    at(OPENS - timedelta(days=1))
    listing = make_listing(
        organiser, make_round(organiser), [make_need(factory, status="published")]
    )
    at(OPENS + timedelta(hours=1))
    stageflow.tick()
    vendor_org, lead, offering = make_vendor()
    apply(lead, offering, listing)
    staff_of_owner = make_user(factory, role="expert")
    with pytest.raises(ValidationFailed, match="榜单发布单位"):
        panel.assign_expert(organiser, listing, staff_of_owner)
    related = make_user(role="expert")
    panel.declare_relation(related, vendor_org.credit_code, "曾任技术顾问")
    with pytest.raises(ValidationFailed, match="关联关系"):
        panel.assign_expert(organiser, listing, related)
    with pytest.raises(ValidationFailed, match="评审专家"):
        panel.assign_expert(organiser, listing, lead)


def test_scores_are_validated_and_locked_after_submission(app_ctx):
    scene = reviewed(n_apps=1)
    expert, app = scene["experts"][0], scene["apps"][0]
    with pytest.raises(InvalidTransition, match="不能修改"):
        panel.save_sheet(expert, app, {"technical": 1}, {}, submit=True)
    outsider = make_user(role="expert")
    with pytest.raises(NotAllowed):
        panel.save_sheet(outsider, app, {"technical": 1}, {}, submit=False)


def test_out_of_range_score_is_refused(app_ctx):
    scene = reviewed(n_apps=1, n_experts=0)
    expert = make_user(role="expert")
    panel.assign_expert(scene["organiser"], scene["listing"], expert)
    with pytest.raises(ValidationFailed) as caught:
        panel.save_sheet(expert, scene["apps"][0], {"technical": 11}, {}, submit=True)
    assert "技术方案" in caught.value.fields["technical"][0] and "team" in caught.value.fields


def test_publicity_needs_a_complete_panel(app_ctx):
    scene = reviewed(n_apps=1, n_experts=0)
    with pytest.raises(InvalidTransition, match="评分尚未全部提交"):
        publicity.start_publicity(scene["organiser"], scene["listing"])


def test_award_refused_during_publicity_and_above_quota(app_ctx):
    scene = reviewed()
    organiser, listing, apps = scene["organiser"], scene["listing"], scene["apps"]
    publicity.start_publicity(organiser, listing)
    terms = [publicity.AwardTerms(apps[0].id, Decimal("100"), date(2025, 4, 1))]
    with pytest.raises(InvalidTransition, match="公示期尚未结束"):
        publicity.award(organiser, listing, terms)
    at(listing.publicity_ends_at)
    with pytest.raises(InvalidTransition):
        publicity.file_objection(scene["leads"][1], listing, "太晚了")
    loser = [publicity.AwardTerms(apps[1].id, Decimal("100"), date(2025, 4, 1))]
    with pytest.raises(ValidationFailed, match="拟挂帅单位"):
        publicity.award(organiser, listing, loser)


def test_voucher_cap_per_firm_across_two_rounds(app_ctx):
    first = awarded(contract=Decimal("100"), voucher_cap=Decimal("50"))
    assert first["award"].voucher_amount == Decimal("30.00")
    factory = first["listing"].owners[0]
    organiser = first["organiser"]
    at(CLOSES + timedelta(days=30))
    round_two = make_round(
        organiser,
        name="第二批",
        opens_at=clock.now(),
        closes_at=clock.now() + timedelta(days=5),
        voucher_cap=Decimal("50"),
    )
    listing = make_listing(organiser, round_two, [make_need(factory, status="published")])
    stageflow.tick()
    _org, lead, offering = make_vendor()
    application = apply(lead, offering, listing)
    expert = make_user(role="expert")
    panel.assign_expert(organiser, listing, expert)
    stageflow.act(organiser, listing, "close_applications")
    applications.decide_eligibility(organiser, application, True)
    panel.save_sheet(
        expert,
        application,
        {c: 8 for c in ("technical", "team", "kpi", "price", "cases")},
        {},
        True,
    )
    publicity.start_publicity(organiser, listing)
    at(listing.publicity_ends_at)
    terms = [publicity.AwardTerms(application.id, Decimal("100"), date(2025, 9, 1))]
    [second] = publicity.award(organiser, listing, terms)
    assert second.voucher_amount == Decimal("20.00")  # 30 of the 50 already granted in 2025
    assert publicity.committed_vouchers(factory.id, 2025) == Decimal("50.00")


def test_acceptance_fails_below_commitment_unless_overridden(app_ctx):
    scene = awarded()
    organiser, listing, award = scene["organiser"], scene["listing"], scene["award"]
    kpi = listing.kpis[0]
    with pytest.raises(InvalidTransition):
        delivery.record_acceptance(organiser, award, [delivery.MeasuredValue(kpi.id, 1.0)])
    stageflow.act(organiser, listing, "start_delivery")
    with pytest.raises(InvalidTransition, match="里程碑"):
        delivery.record_acceptance(organiser, award, [delivery.MeasuredValue(kpi.id, 1.0)])
    for milestone in award.application.milestones:
        delivery.deliver_milestone(scene["leads"][0], milestone, "完成")
        with pytest.raises(NotAllowed):
            delivery.confirm_milestone(scene["leads"][0], milestone)
        delivery.confirm_milestone(scene["owner"], milestone)
    delivery.record_acceptance(organiser, award, [delivery.MeasuredValue(kpi.id, 1.9)])
    assert award.acceptance.result == st.FAILED and award.voucher_status == st.CANCELLED
    assert listing.stage == stages.FAILED


def test_acceptance_override_needs_a_reason_and_makes_the_voucher_payable(app_ctx):
    scene = awarded()
    organiser, listing, award = scene["organiser"], scene["listing"], scene["award"]
    stageflow.act(organiser, listing, "start_delivery")
    for milestone in award.application.milestones:
        delivery.deliver_milestone(scene["leads"][0], milestone, "完成")
        delivery.confirm_milestone(scene["owner"], milestone)
    kpi = listing.kpis[0]
    delivery.record_acceptance(
        organiser, award, [delivery.MeasuredValue(kpi.id, 1.9)], "受疫情影响，经专家组论证同意"
    )
    assert award.acceptance.overridden and award.acceptance.result == st.PASSED
    assert award.voucher_status == st.PAYABLE and listing.stage == stages.ACCEPTED


def test_overdue_milestones_follow_the_clock(app_ctx):
    scene = awarded()
    milestone = scene["award"].application.milestones[0]  # due 2025-05-01
    at(clock.now().replace(year=2025, month=5, day=1))
    assert not milestone.is_overdue
    at(clock.now().replace(month=5, day=2))
    assert milestone.is_overdue


def test_scores_only_inside_the_review_window(app_ctx):
    scene = reviewed(n_apps=1, n_experts=0, review_closes_at=CLOSES + timedelta(days=3))
    expert = make_user(role="expert")
    panel.assign_expert(scene["organiser"], scene["listing"], expert)
    at(CLOSES + timedelta(days=3))
    with pytest.raises(InvalidTransition, match="评审时间"):
        panel.save_sheet(expert, scene["apps"][0], {"technical": 5}, {}, submit=False)


def test_the_audit_log_is_append_only(app_ctx):
    from matchmaker.competitions import audit
    from matchmaker.competitions.models.audit import AuditIsAppendOnly
    from matchmaker.extensions import db

    scene = reviewed(n_apps=1)
    entry = audit.entries("applications", scene["apps"][0].id)[-1]
    assert entry.action == "eligibility" and entry.after["status"] == st.ELIGIBLE
    entry.action = "rewritten"
    with pytest.raises(AuditIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AuditIsAppendOnly):
        db.session.delete(audit.entries()[0])
        db.session.flush()


def test_organisers_hear_when_the_panel_is_complete(app_ctx):
    from matchmaker.notifications.services import inbox

    scene = reviewed(n_apps=1, n_experts=2)
    kinds = [n.kind for n in inbox(scene["organiser"].id)]
    assert kinds.count("panel_complete") == 1


def test_a_listing_merges_needs_and_a_need_is_listed_once(app_ctx):
    organiser = make_user(role="organiser")
    round_ = make_round(organiser)
    first, second = make_need(status="published"), make_need(status="published")
    listing = make_listing(organiser, round_, [first, second])
    assert [k.indicator for k in listing.kpis] == ["漏检率"]  # the same indicator, once
    assert len(listing.owners) == 2
    with pytest.raises(ValidationFailed, match="已在其他榜单中"):
        make_listing(organiser, round_, [second])
    with pytest.raises(ValidationFailed, match="只能选择已发布的需求"):
        make_listing(organiser, round_, [make_need(status="draft")])
    stageflow.cancel(organiser, listing, "合并到下一批次")
    assert make_listing(organiser, round_, [second]).needs == [second]
