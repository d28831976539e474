"""整改 and 复验: the one rectification period of a failed 验收, its report and its re-acceptance."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from werkzeug.datastructures import FileStorage

from matchmaker.competitions import audit, delivery, rectification, stageflow, stages
from matchmaker.competitions import statuses as st
from matchmaker.competitions.need_stage import listing_steps
from matchmaker.errors import InvalidTransition, NotAllowed, ValidationFailed
from matchmaker.notifications.models import Notification
from tests.factories import make_user

from .builders import at, awarded

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _failed(app_ctx=None):
    """A listing whose only award failed its first 验收 (measured 1.9 against 1.5, lower wins)."""
    scene = awarded()
    organiser, listing, award = scene["organiser"], scene["listing"], scene["award"]
    stageflow.act(organiser, listing, "start_delivery")
    for milestone in award.application.milestones:
        delivery.deliver_milestone(scene["leads"][0], milestone, "完成")
        delivery.confirm_milestone(scene["owner"], milestone)
    delivery.record_acceptance(organiser, award, _values(listing, 1.9))
    return scene


def _values(listing, measured):
    return [delivery.MeasuredValue(k.id, measured) for k in listing.kpis]


@pytest.fixture
def failed(app_ctx):
    return _failed()


def test_a_failed_acceptance_gets_one_rectification_and_a_passing_reacceptance(failed):
    organiser, listing, award = failed["organiser"], failed["listing"], failed["award"]
    lead = failed["leads"][0]
    assert award.voucher_status == st.CANCELLED and listing.stage == stages.FAILED
    record = rectification.grant_rectification(organiser, award, 30, "漏检率未达标，请补充夜班样本")
    assert listing.stage == stages.RECTIFYING and award.voucher_status == st.COMMITTED
    assert record.status == st.OPEN and record.days == 30
    with pytest.raises(InvalidTransition, match="整改"):  # no 复验 before the report
        delivery.record_acceptance(organiser, award, _values(listing, 1.0))
    evidence = FileStorage(io.BytesIO(PNG), "复测截图.png", content_type="image/png")
    assert rectification.report_rectification(lead, record, "已补充样本并重新训练", [evidence])
    assert record.status == st.REPORTED
    assert not rectification.report_rectification(lead, record, "再发一次")  # idempotent
    assert record.report_note == "已补充样本并重新训练"
    second = delivery.record_acceptance(organiser, award, _values(listing, 1.2))
    assert second.attempt == 2 and award.acceptance is second
    assert award.first_acceptance.result == st.FAILED
    assert record.status == st.PASSED and award.voucher_status == st.PAYABLE
    assert listing.stage == stages.ACCEPTED
    actions = [e.action for e in audit.entries("awards", award.id)]
    assert actions[-4:] == [
        "acceptance",
        "grant_rectification",
        "report_rectification",
        "reacceptance",
    ]
    kinds = {n.kind for n in Notification.query.filter_by(user_id=lead.id)}
    assert {"rectification_granted", "acceptance"} <= kinds
    owner_kinds = {n.kind for n in Notification.query.filter_by(user_id=failed["owner"].id)}
    assert "rectification_reported" in owner_kinds


def test_a_second_failure_is_final_and_voids_the_voucher(failed):
    organiser, listing, award = failed["organiser"], failed["listing"], failed["award"]
    record = rectification.grant_rectification(organiser, award, 10, "指标未达标")
    rectification.report_rectification(failed["leads"][0], record, "已整改")
    delivery.record_acceptance(organiser, award, _values(listing, 1.8))
    assert record.status == st.FAILED and award.voucher_status == st.CANCELLED
    assert listing.stage == stages.FAILED
    with pytest.raises(InvalidTransition):
        rectification.grant_rectification(organiser, award, 10, "再给一次")
    with pytest.raises(InvalidTransition):
        delivery.record_acceptance(organiser, award, _values(listing, 1.0))
    with pytest.raises(InvalidTransition):
        rectification.report_rectification(failed["leads"][0], record, "补充")


def test_only_organisers_grant_and_only_the_winner_reports(failed):
    award = failed["award"]
    for outsider in (failed["owner"], failed["leads"][0], make_user(role="expert")):
        with pytest.raises(NotAllowed):
            rectification.grant_rectification(outsider, award, 10, "问题")
    record = rectification.grant_rectification(failed["organiser"], award, 10, "问题")
    for outsider in (failed["owner"], failed["leads"][1], failed["organiser"]):
        with pytest.raises(NotAllowed):
            rectification.report_rectification(outsider, record, "已整改")


@pytest.mark.parametrize("days", [0, -1, 366, None, "30"])
def test_the_period_must_be_1_to_365_days(failed, days):
    with pytest.raises(ValidationFailed, match="1 至 365"):
        rectification.grant_rectification(failed["organiser"], failed["award"], days, "问题")
    assert failed["award"].rectification is None


def test_findings_are_required(failed):
    with pytest.raises(ValidationFailed, match="整改的问题"):
        rectification.grant_rectification(failed["organiser"], failed["award"], 10, "  ")
    with pytest.raises(ValidationFailed, match="不能超过"):
        rectification.grant_rectification(failed["organiser"], failed["award"], 10, "问" * 4001)


def test_a_passed_acceptance_cannot_be_rectified_and_a_grant_happens_once(app_ctx):
    scene = awarded()
    organiser, listing, award = scene["organiser"], scene["listing"], scene["award"]
    with pytest.raises(InvalidTransition):  # not yet accepted
        rectification.grant_rectification(organiser, award, 10, "问题")
    stageflow.act(organiser, listing, "start_delivery")
    for milestone in award.application.milestones:
        delivery.deliver_milestone(scene["leads"][0], milestone, "完成")
        delivery.confirm_milestone(scene["owner"], milestone)
    delivery.record_acceptance(organiser, award, _values(listing, 1.0))
    with pytest.raises(InvalidTransition):
        rectification.grant_rectification(organiser, award, 10, "问题")


def test_granted_twice_is_refused(failed):
    rectification.grant_rectification(failed["organiser"], failed["award"], 10, "问题")
    with pytest.raises(InvalidTransition):
        rectification.grant_rectification(failed["organiser"], failed["award"], 10, "问题")


def test_the_report_needs_words_or_evidence_and_comes_within_the_period(failed):
    record = rectification.grant_rectification(failed["organiser"], failed["award"], 5, "问题")
    lead = failed["leads"][0]
    with pytest.raises(ValidationFailed, match="整改情况"):
        rectification.report_rectification(lead, record, "  ")
    at(failed["award"].rectification.granted_at + timedelta(days=7))
    assert record.overdue
    with pytest.raises(InvalidTransition, match="整改期已于"):
        rectification.report_rectification(lead, record, "迟交")
    # After the period the organiser holds the 复验 without a report.
    listing = failed["listing"]
    delivery.record_acceptance(failed["organiser"], failed["award"], _values(listing, 1.9))
    assert record.status == st.FAILED and listing.stage == stages.FAILED


def test_a_bad_evidence_file_is_refused_and_nothing_is_reported(failed):
    record = rectification.grant_rectification(failed["organiser"], failed["award"], 5, "问题")
    bad = FileStorage(io.BytesIO(b"MZ\x90\x00 not a pdf"), "x.pdf", content_type="application/pdf")
    with pytest.raises(ValidationFailed):
        rectification.report_rectification(failed["leads"][0], record, "已整改", [bad])
    from matchmaker.extensions import db

    db.session.rollback()
    db.session.refresh(record)
    assert record.status == st.OPEN


def test_the_grant_is_refused_when_the_cap_was_used_meanwhile(failed):
    award = failed["award"]
    award.listing.round.voucher_cap = Decimal("10")  # 30 no longer fits
    with pytest.raises(ValidationFailed, match="剩余额度"):
        rectification.grant_rectification(failed["organiser"], award, 10, "问题")
    assert award.rectification is None and award.voucher_status == st.CANCELLED


def test_the_stepper_shows_the_rectification(failed):
    before = [s.label for s in listing_steps(failed["listing"])]
    assert "整改复验" not in before
    rectification.grant_rectification(failed["organiser"], failed["award"], 10, "问题")
    steps = listing_steps(failed["listing"])
    assert [s.label for s in steps][-2:] == ["验收", "整改复验"]
    assert steps[-1].state == "current" and steps[-2].state == "done"


def test_stage_table_allows_rectification_only_from_failed():
    assert stages.next_stage(stages.FAILED, "start_rectification") == stages.RECTIFYING
    assert stages.next_stage(stages.RECTIFYING, "pass_acceptance") == stages.ACCEPTED
    with pytest.raises(stages.StageError):
        stages.next_stage(stages.ACCEPTED, "start_rectification")
    with pytest.raises(stages.StageError):
        stages.next_stage(stages.FAILED, "start_rectification", stages.SYSTEM)


def test_a_cancelled_listing_ends_the_rectification(failed):
    organiser, listing, award = failed["organiser"], failed["listing"], failed["award"]
    record = rectification.grant_rectification(organiser, award, 10, "问题")
    stageflow.cancel(organiser, listing, "企业停产，项目终止")
    assert listing.stage == stages.CANCELLED
    with pytest.raises(InvalidTransition, match="已取消"):
        rectification.report_rectification(failed["leads"][0], record, "已整改")
    at(record.granted_at + timedelta(days=20))  # past the period: still no 复验
    assert not rectification.reacceptance_due(award)
    with pytest.raises(InvalidTransition):
        delivery.record_acceptance(organiser, award, _values(listing, 1.0))
