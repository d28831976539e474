"""退回补充: the listing's owner sends a submitted milestone back with a reason; the lead is told
why and submits again. Sent twice, it is sent back once."""

from __future__ import annotations

import pytest

from matchmaker.competitions import delivery
from matchmaker.competitions.models import AuditEntry
from matchmaker.errors import InvalidTransition, NotAllowed, ValidationFailed
from matchmaker.extensions import db
from matchmaker.notifications.models import Notification
from tests.factories import login

from .test_milestones_resend import in_delivery


def _returned_notices(user) -> list[Notification]:
    return (
        db.session.query(Notification).filter_by(user_id=user.id, kind="milestone_returned").all()
    )


def test_owner_returns_a_submission_and_the_lead_submits_again(app_ctx):
    scene = in_delivery()
    lead, owner, milestone = scene["leads"][0], scene["owner"], scene["milestone"]
    delivery.deliver_milestone(lead, milestone, "数据集已交付")

    assert delivery.return_milestone(owner, milestone, "  缺少标注质量抽检报告  ") is True
    db.session.refresh(milestone)
    assert milestone.delivered_at is None and milestone.returned_at is not None
    assert milestone.return_reason == "缺少标注质量抽检报告"
    (notice,) = _returned_notices(lead)
    assert "缺少标注质量抽检报告" in notice.body and notice.link.endswith(
        f"#milestone-{milestone.id}"
    )
    entry = db.session.query(AuditEntry).filter_by(action="return_milestone").one()
    assert entry.after == {"reason": "缺少标注质量抽检报告"}

    # sent again (a double click, another tab): nothing changes, nobody is told twice
    assert delivery.return_milestone(owner, milestone, "再退一次") is False
    db.session.refresh(milestone)
    assert milestone.return_reason == "缺少标注质量抽检报告"
    assert len(_returned_notices(lead)) == 1
    # nothing to confirm while it is back with the lead
    with pytest.raises(InvalidTransition):
        delivery.confirm_milestone(owner, milestone)

    assert delivery.deliver_milestone(lead, milestone, "已补充抽检报告") is True
    db.session.refresh(milestone)
    assert milestone.delivered_at is not None and milestone.evidence_note == "已补充抽检报告"
    assert milestone.returned_at is None and milestone.return_reason == ""
    delivery.confirm_milestone(owner, milestone)
    with pytest.raises(InvalidTransition):  # a confirmed milestone cannot be sent back
        delivery.return_milestone(owner, milestone, "太晚了")


def test_only_the_owner_returns_and_only_with_a_reason(app_ctx):
    scene = in_delivery()
    lead, owner, milestone = scene["leads"][0], scene["owner"], scene["milestone"]
    delivery.deliver_milestone(lead, milestone, "完成")
    for someone in (lead, scene["organiser"]):
        with pytest.raises(NotAllowed):
            delivery.return_milestone(someone, milestone, "不行")
    with pytest.raises(ValidationFailed) as blank:
        delivery.return_milestone(owner, milestone, "   ")
    assert "退回原因" in blank.value.fields["reason"][0]
    with pytest.raises(ValidationFailed):
        delivery.return_milestone(owner, milestone, "长" * (delivery.RETURN_REASON_MAX + 1))
    db.session.refresh(milestone)
    assert milestone.delivered_at is not None and milestone.returned_at is None


def test_return_form_keeps_what_was_typed_and_says_what_is_wrong(client, app_ctx):
    scene = in_delivery()
    lead, owner, milestone = scene["leads"][0], scene["owner"], scene["milestone"]
    delivery.deliver_milestone(lead, milestone, "完成")
    award_url = f"/rounds/awards/{scene['award'].id}"
    login(client, owner.email)
    page = client.get(award_url).get_data(as_text=True)
    assert "退回补充" in page and "确认完成" in page

    too_long = "缺" * (delivery.RETURN_REASON_MAX + 1)
    refused = client.post(f"/rounds/milestones/{milestone.id}/return", data={"reason": too_long})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "退回原因不能超过 500 字" in body and too_long in body and "<details" in body

    url = f"/rounds/milestones/{milestone.id}/return"
    first = client.post(url, data={"reason": "请补充现场照片"})
    second = client.post(url, data={"reason": "请补充现场照片"})
    assert first.status_code == second.status_code == 302
    page = client.get(award_url).get_data(as_text=True)
    assert "已退回揭榜方补充；本次操作未作更改" in page
    assert "已退回补充" in page and "请补充现场照片" in page
    assert len(_returned_notices(lead)) == 1


def test_lead_sees_the_reason_and_the_form_again(client, app_ctx):
    scene = in_delivery()
    lead, owner, milestone = scene["leads"][0], scene["owner"], scene["milestone"]
    delivery.deliver_milestone(lead, milestone, "完成")
    delivery.return_milestone(owner, milestone, "请补充现场照片")
    login(client, lead.email)
    page = client.get(f"/rounds/awards/{scene['award'].id}").get_data(as_text=True)
    assert "退回补充" in page and "请补充现场照片" in page
    assert f'action="/rounds/milestones/{milestone.id}/evidence"' in page
    # an empty submission is refused beside the field, on the page, with a 422
    refused = client.post(f"/rounds/milestones/{milestone.id}/evidence", data={"note": " "})
    assert refused.status_code == 422
    assert "请说明完成情况或上传佐证材料" in refused.get_data(as_text=True)
