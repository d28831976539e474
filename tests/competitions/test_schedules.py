"""The periodic work of the competitions (issue 21, item 4): overdue milestones are flagged
and their owners reminded once; the round windows move by the queue's minute task."""

from __future__ import annotations

from datetime import timedelta

from matchmaker import clock
from matchmaker.competitions import delivery, schedules
from matchmaker.extensions import db
from matchmaker.notifications.models import Notification, OutboxMail

from .test_milestones_resend import in_delivery


def _reminders(user) -> list[Notification]:
    return db.session.query(Notification).filter_by(user_id=user.id, kind="milestone_overdue").all()


def test_an_overdue_milestone_is_flagged_and_its_owners_reminded_once(app_ctx):
    scene = in_delivery()
    lead, owner, milestone = scene["leads"][0], scene["owner"], scene["milestone"]
    assert schedules.overdue_milestones.call() == 0  # not due yet
    late = clock.now() + timedelta(days=(milestone.due_date - clock.local_now().date()).days + 2)
    with clock.frozen(late):
        assert schedules.overdue_milestones.call() == 1
        assert schedules.overdue_milestones.call() == 0  # idempotent: nobody reminded twice
    db.session.refresh(milestone)
    assert milestone.overdue_flagged_at is not None
    assert len(_reminders(lead)) == 1 and _reminders(owner) == []
    mails = db.session.query(OutboxMail).filter_by(recipient=lead.email, subject="里程碑已逾期")
    assert mails.count() == 1


def test_a_delivered_overdue_milestone_reminds_the_factory_to_confirm(app_ctx):
    scene = in_delivery()
    lead, owner, milestone = scene["leads"][0], scene["owner"], scene["milestone"]
    delivery.deliver_milestone(lead, milestone, "已完成")
    late = clock.now() + timedelta(days=(milestone.due_date - clock.local_now().date()).days + 2)
    with clock.frozen(late):
        assert schedules.flag_overdue_milestones() == 1
    assert len(_reminders(owner)) == 1 and _reminders(lead) == []
    delivery.confirm_milestone(owner, milestone)
    with clock.frozen(late + timedelta(days=1)):
        assert schedules.flag_overdue_milestones() == 0
