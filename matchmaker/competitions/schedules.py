"""The competitions' periodic work, run by the job queue's worker (no cron):

- every minute: `stageflow.tick()` — 揭榜 windows open and close on time;
- every hour: `flag_overdue_milestones()` — a milestone of a listing in 攻关 past its due date
  and not yet confirmed is flagged once (`overdue_flagged_at`) and its owners are reminded
  once: the winning vendor while it is not delivered, the factory while it waits for their
  confirmation. Idempotent: the flag is a compare-and-set, so two runs remind nobody twice.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from .. import clock, jobs
from ..extensions import db
from ..notifications.services import notify
from . import stageflow, stages
from .delivery import award_link, award_of_milestone
from .models import Application, Listing, Milestone


@jobs.periodic(
    jobs.crontab(minute="*"), at_start=True, label=_l("揭榜窗口按时开启和截止（每分钟）")
)
def rounds_tick() -> dict[str, int]:
    return stageflow.tick()


@jobs.periodic(jobs.crontab(minute="5"), at_start=True, label=_l("逾期里程碑提醒（每小时）"))
def overdue_milestones() -> int:
    return flag_overdue_milestones()


def flag_overdue_milestones() -> int:
    """Flag and remind, once per milestone; how many were flagged now."""
    today = clock.local_now().date()
    candidates = db.session.scalars(
        select(Milestone)
        .join(Application, Milestone.application_id == Application.id)
        .join(Listing, Application.listing_id == Listing.id)
        .where(
            Listing.stage == stages.IN_DELIVERY,
            Milestone.due_date < today,
            Milestone.confirmed_at.is_(None),
            Milestone.overdue_flagged_at.is_(None),
        )
        .order_by(Milestone.id)
    )
    flagged = 0
    for milestone in list(candidates):
        if award_of_milestone(milestone) is None or not _flag(milestone):
            continue
        _remind(milestone)
        db.session.commit()
        flagged += 1
    db.session.commit()
    return flagged


def _flag(milestone: Milestone) -> bool:
    result = db.session.execute(
        update(Milestone)
        .where(Milestone.id == milestone.id, Milestone.overdue_flagged_at.is_(None))
        .values(overdue_flagged_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _remind(milestone: Milestone) -> None:
    due = milestone.due_date.isoformat()
    if milestone.delivered_at is None:
        users = milestone.application.lead_users()
        body = _(
            "“%(title)s”计划于 %(date)s 完成，已逾期，请尽快提交完成情况。",
            title=milestone.title,
            date=due,
        )
    else:
        users = milestone.application.listing.owner_users()
        body = _(
            "“%(title)s”计划于 %(date)s 完成，揭榜方已提交完成情况，请尽快确认。",
            title=milestone.title,
            date=due,
        )
    notify(
        users, "milestone_overdue", _("里程碑已逾期"), body, award_link(milestone), about=milestone
    )
