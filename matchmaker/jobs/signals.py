"""What the console shows, recorded from Huey's signals: the last run of each periodic task
(`JobScheduleRun`) and every task that failed after its last retry (`JobFailure`).

The handlers run in the worker thread right after the task, each in its own app context and
transaction; a failure to record is logged and never fails the task."""

from __future__ import annotations

import json
import logging
import traceback

from flask import Flask
from huey import signals as S
from huey.api import Huey, PeriodicTask

from .. import clock

log = logging.getLogger("matchmaker.jobs")


def task_name(task) -> str:
    """The declared name (module.function) of a Huey task instance."""
    return f"{type(task).__module__}.{type(task).__name__}"


def connect(app: Flask, huey: Huey) -> None:
    """Hook the app's queue signals to the run records."""

    @huey.signal(S.SIGNAL_EXECUTING)
    def executing(signal, task, *args, **kwargs) -> None:
        if isinstance(task, PeriodicTask):
            _record(app, _periodic_started, task)

    @huey.signal(S.SIGNAL_COMPLETE)
    def complete(signal, task, *args, **kwargs) -> None:
        if isinstance(task, PeriodicTask):
            _record(app, _periodic_finished, task, "ok", "")

    @huey.signal(S.SIGNAL_ERROR)
    def error(signal, task, exc=None, *args, **kwargs) -> None:
        text = "".join(traceback.format_exception_only(type(exc), exc)).strip() if exc else ""
        if isinstance(task, PeriodicTask):
            _record(app, _periodic_finished, task, "error", text)
        elif not task.retries:  # the last attempt: retries left are counted down before
            _record(app, _failed, task, text)


def _record(app: Flask, action, *args) -> None:
    from ..extensions import db

    try:
        with app.app_context():
            action(*args)
            db.session.commit()
    except Exception:
        log.exception("could not record a job run")


def _run_row(task):
    from ..extensions import db
    from .models import JobScheduleRun

    name = task_name(task)
    row = db.session.get(JobScheduleRun, name, with_for_update=True)
    if row is None:
        row = JobScheduleRun(task_name=name, runs=0, status="", error="")
        db.session.add(row)
    return row


def _periodic_started(task) -> None:
    row = _run_row(task)
    row.started_at, row.status = clock.now(), "running"


def _periodic_finished(task, status: str, error: str) -> None:
    row = _run_row(task)
    row.finished_at, row.status, row.error = clock.now(), status, error[:4000]
    row.runs = (row.runs or 0) + 1


def _failed(task, error: str) -> None:
    from ..extensions import db
    from .models import JobFailure

    db.session.add(
        JobFailure(
            task_name=task_name(task),
            task_id=str(task.id),
            args=json.dumps(list(task.args or ()), default=str, ensure_ascii=False),
            error=error[:4000],
        )
    )
