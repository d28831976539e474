"""The round's records change status through their machines, once: a consortium invitation
(联合体邀请), an expert's assignment (回避), an objection (公示异议), a rectification (整改) and
the award's voucher (场景券).

For each: a wrong role is refused (403), an action that does not apply is refused (409) with a
Chinese message on the page, and the same action sent twice — one after the other, or by a
request that read the status before the first one wrote it (a stale object, as two concurrent
requests or two tabs see it) — has the effect of one: one audit entry, one notice each.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value

from matchmaker.competitions import (
    applications,
    delivery,
    panel,
    publicity,
    rectification,
    stageflow,
)
from matchmaker.competitions import statuses as st
from matchmaker.competitions.models import Acceptance, AuditEntry
from matchmaker.errors import InvalidTransition, NotAllowed
from matchmaker.extensions import db
from matchmaker.notifications.models import Notification
from tests.factories import login, make_org, make_user

from .builders import OPENS, application_data, at, make_listing, make_round, make_vendor, reviewed
from .test_rectification import _failed, _values


def _effects(action: str) -> tuple[int, int]:
    """(audit entries of `action`, notices counted with their repeats)."""
    entries = db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
    )
    notices = db.session.scalar(select(func.coalesce(func.sum(Notification.repeats), 0)))
    return entries, notices


def _stale(obj, column: str, value: str) -> None:
    """Make `obj` look as a concurrent request read it: before the other request's write."""
    set_committed_value(obj, column, value)


# ---------------------------------------------------------------- 联合体邀请 (consortium members)


def _invitation():
    organiser = make_user(role="organiser")
    at(OPENS - timedelta(days=1))
    listing = make_listing(organiser, make_round(organiser), consortium_allowed=True)
    at(OPENS + timedelta(hours=1))
    stageflow.tick()
    _org, lead, offering = make_vendor()
    partner = make_org("vendor")
    member_user = make_user(partner)
    application = applications.start_application(lead, listing, offering)
    data = application_data(listing, codes=[partner.credit_code])
    applications.save_application(lead, application, data)
    (member,) = application.members
    return {"lead": lead, "user": member_user, "app": application, "member": member}


@pytest.fixture
def invitation(app_ctx):
    return _invitation()


def test_an_invitation_is_answered_once(invitation):
    user, app, member = invitation["user"], invitation["app"], invitation["member"]
    before = _effects("consortium_confirmed")
    assert applications.respond_membership(user, app, True) is True
    assert member.status == st.CONFIRMED
    once = _effects("consortium_confirmed")
    assert once[0] == before[0] + 1 and once[1] > before[1]
    # the same answer again (a double click): nothing changes, the lead is not told twice
    assert applications.respond_membership(user, app, True) is False
    assert _effects("consortium_confirmed") == once
    # the same answer by a request that read "invited" before the first one wrote
    _stale(member, "status", st.INVITED)
    assert applications.respond_membership(user, app, True) is False
    assert member.status == st.CONFIRMED
    assert _effects("consortium_confirmed") == once


def test_the_other_answer_is_refused_409_and_a_stale_one_too(invitation):
    user, app, member = invitation["user"], invitation["app"], invitation["member"]
    applications.respond_membership(user, app, False)
    assert member.status == st.DECLINED
    with pytest.raises(InvalidTransition, match="联合体邀请当前为“已拒绝”，不能确认参与") as err:
        applications.respond_membership(user, app, True)
    assert err.value.status == 409
    db.session.rollback()
    _stale(member, "status", st.INVITED)  # the other tab read it before the decline
    with pytest.raises(InvalidTransition, match="已拒绝"):
        applications.respond_membership(user, app, True)
    db.session.rollback()
    assert member.status == st.DECLINED
    assert _effects("consortium_confirmed")[0] == 0


def test_only_a_publishing_member_of_the_invited_organisation_answers_403(invitation):
    app, member = invitation["app"], invitation["member"]
    with pytest.raises(NotAllowed):  # the lead is not the invited organisation
        applications.respond_membership(invitation["lead"], app, True)
    unverified = make_user(member.organisation, email_verified_at=None)
    with pytest.raises(NotAllowed) as err:
        applications.respond_membership(unverified, app, True)
    assert err.value.status == 403
    assert member.status == st.INVITED


def test_the_invitation_page_offers_the_machines_answers_and_refuses_in_words(client, invitation):
    user, app = invitation["user"], invitation["app"]
    login(client, user.email)
    page = client.get(f"/rounds/applications/{app.id}").get_data(as_text=True)
    assert f"/applications/{app.id}/membership/accept" in page
    assert f"/applications/{app.id}/membership/decline" in page and "拒绝邀请" in page
    url = f"/rounds/applications/{app.id}/membership/accept"
    first, second = client.post(url), client.post(url)
    assert first.status_code == second.status_code == 302
    page = client.get(f"/rounds/applications/{app.id}").get_data(as_text=True)
    assert "您已作出同样的回复；本次操作未作更改" in page
    assert "/membership/" not in page  # answered: no buttons left
    assert _effects("consortium_confirmed")[0] == 1
    refused = client.post(f"/rounds/applications/{app.id}/membership/decline")
    assert refused.status_code == 409
    body = refused.get_data(as_text=True)
    assert "联合体邀请当前为“已确认”，不能拒绝邀请。" in body and "<form" in body


# ---------------------------------------------------------------- 回避 (expert assignments)


@pytest.fixture
def review(app_ctx):
    return reviewed(n_experts=2)


def _assignment(scene, expert):
    from matchmaker.competitions.access import assignment_of

    return assignment_of(expert, scene["listing"])


def test_a_recusal_is_recorded_once(review):
    expert = review["experts"][0]
    assignment = _assignment(review, expert)
    assert panel.declare_conflict(expert, assignment, "曾任该单位顾问") is True
    assert assignment.status == st.RECUSED
    once = _effects("recuse")
    assert once[0] == 1
    assert panel.declare_conflict(expert, assignment, "再说一次") is False
    _stale(assignment, "status", st.ASSIGNED)
    assert panel.declare_conflict(expert, assignment, "第三次") is False
    assert _effects("recuse") == once
    assert assignment.recusal_reason == "曾任该单位顾问"


def test_only_the_assigned_expert_recuses_403(review):
    other = review["experts"][1]
    assignment = _assignment(review, review["experts"][0])
    with pytest.raises(NotAllowed) as err:
        panel.declare_conflict(other, assignment, "不是我的指派")
    assert err.value.status == 403 and assignment.status == st.ASSIGNED


def test_recusal_twice_through_the_page(client, review):
    expert = review["experts"][0]
    listing = review["listing"]
    login(client, expert.email)
    page = client.get(f"/rounds/reviews/listings/{listing.id}").get_data(as_text=True)
    assert f"/reviews/listings/{listing.id}/recuse" in page
    url = f"/rounds/reviews/listings/{listing.id}/recuse"
    first = client.post(url, data={"reason": "曾任该单位顾问"})
    second = client.post(url, data={"reason": "曾任该单位顾问"})
    assert first.status_code == second.status_code == 302  # not a 404 for the second
    page = client.get("/rounds/reviews").get_data(as_text=True)
    assert "您已回避此榜单；本次提交未作更改" in page
    assert _effects("recuse")[0] == 1


# ---------------------------------------------------------------- 公示异议 (objections)


@pytest.fixture
def objection(app_ctx):
    scene = reviewed()
    publicity.start_publicity(scene["organiser"], scene["listing"])
    filed = publicity.file_objection(scene["owner"], scene["listing"], "评分过程存在疑问")
    return {**scene, "objection": filed}


def test_an_objection_is_resolved_once(objection):
    organiser, item = objection["organiser"], objection["objection"]
    before = _effects("resolve_objection")
    assert publicity.resolve_objection(organiser, item, False, "评分记录完整") is True
    assert item.status == st.DISMISSED
    once = _effects("resolve_objection")
    assert once[0] == 1 and once[1] == before[1] + 1  # the filer is told once
    assert publicity.resolve_objection(organiser, item, False, "再次处理") is False
    _stale(item, "status", st.OPEN)
    assert publicity.resolve_objection(organiser, item, False, "第三次") is False
    assert _effects("resolve_objection") == once
    assert item.resolution_note == "评分记录完整"


def test_an_objection_decided_the_other_way_is_refused_409(objection):
    organiser, item = objection["organiser"], objection["objection"]
    publicity.resolve_objection(organiser, item, True, "评分有误")
    with pytest.raises(InvalidTransition, match="该异议当前为“异议成立”") as err:
        publicity.resolve_objection(organiser, item, False, "改判")
    assert err.value.status == 409
    db.session.rollback()
    _stale(item, "status", st.OPEN)
    with pytest.raises(InvalidTransition, match="异议成立"):
        publicity.resolve_objection(organiser, item, False, "另一个标签页")
    db.session.rollback()
    assert item.status == st.UPHELD and _effects("resolve_objection")[0] == 1


def test_only_organisers_resolve_objections_403(objection):
    with pytest.raises(NotAllowed) as err:
        publicity.resolve_objection(objection["owner"], objection["objection"], True, "我说成立")
    assert err.value.status == 403 and objection["objection"].status == st.OPEN


def test_objection_through_the_console(client, objection):
    organiser, item, listing = objection["organiser"], objection["objection"], objection["listing"]
    login(client, organiser.email)
    console = f"/rounds/console/listings/{listing.id}"
    assert f"/console/objections/{item.id}" in client.get(console).get_data(as_text=True)
    url = f"/rounds/console/objections/{item.id}"
    first = client.post(url, data={"upheld": "0", "note": "评分记录完整"})
    second = client.post(url, data={"upheld": "0", "note": "评分记录完整"})
    assert first.status_code == second.status_code == 302
    page = client.get(console).get_data(as_text=True)
    assert "该异议已按同样的结论处理过；本次提交未作更改" in page
    assert f"/console/objections/{item.id}" not in page  # resolved: no form left
    assert _effects("resolve_objection")[0] == 1
    refused = client.post(url, data={"upheld": "1", "note": "改判"})
    assert refused.status_code == 409
    body = refused.get_data(as_text=True)
    assert "该异议当前为“异议不成立”，不能认定异议成立。" in body and listing.title in body


# ---------------------------------------------------------------- 整改 and 场景券


@pytest.fixture
def granted(app_ctx):
    scene = _failed()
    fix = rectification.grant_rectification(scene["organiser"], scene["award"], 30, "漏检率未达标")
    return {**scene, "fix": fix}


def test_a_rectification_report_is_recorded_once(granted):
    lead, fix = granted["leads"][0], granted["fix"]
    before = _effects("report_rectification")
    assert rectification.report_rectification(lead, fix, "已补充夜班样本") is True
    once = _effects("report_rectification")
    assert once[0] == before[0] + 1 and once[1] > before[1]
    _stale(fix, "status", st.OPEN)  # a second tab that read the rectification still open
    assert rectification.report_rectification(lead, fix, "另一个标签页") is False
    assert fix.status == st.REPORTED and fix.report_note == "已补充夜班样本"
    assert _effects("report_rectification") == once


def test_only_the_lead_reports_403_and_not_after_the_reacceptance_409(granted):
    lead, fix, award = granted["leads"][0], granted["fix"], granted["award"]
    with pytest.raises(NotAllowed) as err:
        rectification.report_rectification(granted["owner"], fix, "发榜方代交")
    assert err.value.status == 403
    rectification.report_rectification(lead, fix, "已整改")
    delivery.record_acceptance(granted["organiser"], award, _values(granted["listing"], 1.2))
    assert fix.status == st.PASSED and award.voucher_status == st.PAYABLE
    with pytest.raises(InvalidTransition, match="整改当前为“复验通过”，不能提交整改情况") as err:
        rectification.report_rectification(lead, fix, "再交一次")
    assert err.value.status == 409


def test_a_report_after_the_reacceptance_shows_the_reason_on_the_award_page(client, granted):
    lead, fix, award = granted["leads"][0], granted["fix"], granted["award"]
    login(client, lead.email)
    award_url = f"/rounds/awards/{award.id}"
    form = f'action="/rounds/rectifications/{fix.id}/report"'
    assert form in client.get(award_url).get_data(as_text=True)
    rectification.report_rectification(lead, fix, "已整改")
    assert form not in client.get(award_url).get_data(as_text=True)
    delivery.record_acceptance(granted["organiser"], award, _values(granted["listing"], 1.9))
    assert fix.status == st.FAILED
    refused = client.post(f"/rounds/rectifications/{fix.id}/report", data={"note": "再交一次"})
    assert refused.status_code == 409
    body = refused.get_data(as_text=True)
    assert "整改当前为“复验不通过”，不能提交整改情况。" in body
    assert "整改与复验" in body and form not in body


def test_a_concurrent_second_acceptance_records_nothing(granted, monkeypatch):
    """Two submits of the same 复验 at once: the second passed the checks before the first
    wrote, so only the voucher's compare-and-set can stop it (before: a second acceptance row)."""
    organiser, award, listing = granted["organiser"], granted["award"], granted["listing"]
    lead = granted["leads"][0]
    rectification.report_rectification(lead, granted["fix"], "已整改")
    first = delivery.record_acceptance(organiser, award, _values(listing, 1.2))
    assert first.attempt == 2 and award.voucher_status == st.PAYABLE
    once = _effects("reacceptance")
    monkeypatch.setattr(delivery, "_attempt", lambda award: 2)  # it checked before the write
    _stale(award, "voucher_status", st.COMMITTED)
    again = delivery.record_acceptance(organiser, award, _values(listing, 1.2))
    assert again.id == first.id
    assert _effects("reacceptance") == once
    assert db.session.scalar(select(func.count()).select_from(Acceptance)) == 2  # 验收 + 复验
    assert award.voucher_status == st.PAYABLE


def test_a_concurrent_opposite_acceptance_is_refused_409(granted, monkeypatch):
    organiser, award, listing = granted["organiser"], granted["award"], granted["listing"]
    rectification.report_rectification(granted["leads"][0], granted["fix"], "已整改")
    delivery.record_acceptance(organiser, award, _values(listing, 1.2))
    monkeypatch.setattr(delivery, "_attempt", lambda award: 2)
    _stale(award, "voucher_status", st.COMMITTED)
    with pytest.raises(InvalidTransition, match="场景券当前为“可兑付”，不能作废") as err:
        delivery.record_acceptance(organiser, award, _values(listing, 1.9))
    assert err.value.status == 409
    db.session.rollback()
    assert award.voucher_status == st.PAYABLE and granted["fix"].status == st.PASSED
