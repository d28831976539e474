"""The job queue as the organiser sees it (/console/jobs): what waits, what failed and why,
the last run of each periodic task, the mail outbox; retrying a failed job or mail, once."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from .. import clock, jobs
from ..auth import require_organiser
from ..errors import InvalidTransition
from ..extensions import db
from ..jobs.models import JobFailure, JobScheduleRun
from ..jobs.signals import task_name
from ..notifications.models import OutboxMail

log = logging.getLogger("matchmaker.jobs")
SHOWN = 50


@dataclass
class PeriodicRow:
    name: str
    label: str
    run: JobScheduleRun | None


@dataclass
class QueueState:
    backend: str
    reachable: bool = True
    waiting: list[tuple[str, str]] = field(default_factory=list)  # (label, task id)
    waiting_count: int = 0
    scheduled_count: int = 0
    failures: list[JobFailure] = field(default_factory=list)
    periodic: list[PeriodicRow] = field(default_factory=list)
    mail_counts: dict[str, int] = field(default_factory=dict)
    mail_problems: list[OutboxMail] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # task name -> what the console calls it


def _label(name: str) -> str:
    job = jobs.registered_tasks().get(name)
    return str(job.label) if job and job.label else name.rpartition(".")[2]


def queue_state() -> QueueState:
    huey = jobs.huey_for(current_app)
    state = QueueState(backend=type(huey).__name__)
    try:
        state.waiting = [(_label(task_name(t)), str(t.id)) for t in huey.pending(SHOWN)]
        state.waiting_count = huey.pending_count()
        state.scheduled_count = huey.scheduled_count()
    except Exception:  # the console still shows the database's side
        log.exception("the job queue's storage is unreachable")
        state.reachable = False
    state.labels = {name: _label(name) for name in jobs.registered_tasks()}
    state.failures = list(
        db.session.scalars(
            select(JobFailure)
            .order_by(JobFailure.failed_at.desc(), JobFailure.id.desc())
            .limit(SHOWN)
        )
    )
    runs = {run.task_name: run for run in db.session.scalars(select(JobScheduleRun))}
    state.periodic = [
        PeriodicRow(name, _label(name), runs.get(name))
        for name, job in sorted(jobs.registered_tasks().items())
        if job.periodic
    ]
    counts = db.session.execute(select(OutboxMail.status, func.count()).group_by(OutboxMail.status))
    state.mail_counts = dict(counts.all())
    state.mail_problems = list(
        db.session.scalars(
            select(OutboxMail)
            .where(OutboxMail.status.in_(("failed", "unconfirmed")))
            .order_by(OutboxMail.id.desc())
            .limit(SHOWN)
        )
    )
    return state


def retry_failure(actor, failure: JobFailure) -> bool:
    """Queue a failed job again. True when this call did it; False when it was already
    queued again (a second click, or two organisers at once): it runs once either way."""
    require_organiser(actor)
    job = jobs.registered_tasks().get(failure.task_name)
    if job is None:
        raise InvalidTransition(_("该任务已不存在，无法重试。"))
    claimed = db.session.execute(
        update(JobFailure)
        .where(JobFailure.id == failure.id, JobFailure.status == "failed")
        .values(status="retried", retried_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount == 1:
        jobs.enqueue_after_commit(job, *json.loads(failure.args or "[]"))
    db.session.commit()
    return claimed.rowcount == 1


def retry_mail(actor, mail: OutboxMail) -> bool:
    """Send a failed mail again (back to pending, due now); False if it is not failed (any
    more). An `unconfirmed` mail is never retried here: it may have arrived."""
    require_organiser(actor)
    from ..notifications.outbox import send_mail_outbox

    claimed = db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail.id, OutboxMail.status == "failed")
        .values(status="pending", attempts=0, next_attempt_at=clock.now(), claim_token=None)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount == 1:
        jobs.enqueue_after_commit(send_mail_outbox)
    db.session.commit()
    return claimed.rowcount == 1
