"""The queue's machinery: task declarations, one Huey instance per app, after-commit enqueueing.

Tasks are declared once per process (`task`, `periodic`) and registered lazily with each
app's Huey instance, bound to that app: the function runs inside a fresh
``app.app_context()`` (its own database session), whichever thread or process runs it.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import MemoryHuey, RedisHuey, SqliteHuey
from huey.api import Huey
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("matchmaker.jobs")

EXTENSION_KEY = "matchmaker.jobs"
AFTER_COMMIT_KEY = "matchmaker.jobs.after_commit"
_DECLARED: dict[str, JobTask] = {}


@dataclass(eq=False)
class JobTask:
    """A declared task: the plain function plus its Huey options (see the package docstring)."""

    fn: Callable[..., Any]
    name: str
    options: dict = field(default_factory=dict)
    schedule: Callable | None = None  # a crontab validator for periodic tasks
    at_start: bool = False  # the worker also queues it once when it starts
    label: Any = ""  # what the console calls it (a lazy string), else its name

    @property
    def periodic(self) -> bool:
        return self.schedule is not None

    def enqueue(self, *args, app: Flask | None = None):
        """Queue it now on the app's queue (the current app unless `app` is given)."""
        return _wrapper(app, self)(*args)

    def call(self, *args):
        """Run it synchronously in the current process (inside the current app's context)."""
        return self.fn(*args)

    def __call__(self, *args):
        return self.fn(*args)


def task(
    retries: int = 0, retry_delay: int = 0, label: Any = "", name: str | None = None, **options
) -> Callable[[Callable], JobTask]:
    """Declare a task (Huey options: retries, retry_delay, retry_backoff, priority, timeout…).
    `name` is its identity in the queue, by default ``module.function``: a task whose module
    moves keeps its old name, so that the jobs already waiting in a queue still run."""

    def decorate(fn: Callable) -> JobTask:
        job = _declare(fn, dict(options, retries=retries, retry_delay=retry_delay), None, name)
        job.label = label
        return job

    return decorate


def periodic(
    schedule: Callable, at_start: bool = False, label: Any = "", name: str | None = None, **options
) -> Callable[[Callable], JobTask]:
    """Declare a periodic task; `schedule` is e.g. ``crontab(minute="*")`` (UTC). With
    `at_start` the worker also runs it once when it starts (catching up after a downtime);
    `label` is what the organiser's console calls it (a lazy_gettext string); `name` as for
    `task`."""

    def decorate(fn: Callable) -> JobTask:
        job = _declare(fn, options, schedule, name)
        job.at_start, job.label = at_start, label
        return job

    return decorate


def _declare(fn: Callable, options: dict, schedule: Callable | None, name: str | None) -> JobTask:
    name = name or f"{fn.__module__}.{fn.__name__}"
    job = JobTask(fn=fn, name=name, options=options, schedule=schedule)
    _DECLARED[name] = job
    return job


def registered_tasks() -> dict[str, JobTask]:
    """Every declared task by its full name (module.function)."""
    return dict(_DECLARED)


@dataclass
class _AppJobs:
    huey: Huey
    wrappers: dict[str, Any] = field(default_factory=dict)
    immediate: bool = False


def init_app(app: Flask) -> None:
    """Give `app` its queue: Redis, SQLite in the instance folder, or immediate (tests)."""
    immediate = app.config.get("JOBS_IMMEDIATE")
    if immediate is None:
        immediate = bool(app.testing)
    name = app.config.get("JOBS_QUEUE_NAME", "matchmaker")
    if immediate:
        huey = MemoryHuey(name, immediate=True, utc=True)
    elif app.config.get("REDIS_URL"):
        huey = RedisHuey(name, url=app.config["REDIS_URL"], utc=True)
    else:
        path = app.config.get("JOBS_SQLITE_PATH") or os.path.join(app.instance_path, "jobs.sqlite3")
        huey = SqliteHuey(name, filename=path, utc=True)
    app.extensions[EXTENSION_KEY] = _AppJobs(huey=huey, immediate=bool(immediate))
    from . import signals

    signals.connect(app, huey)


def _state(app: Flask) -> _AppJobs:
    state = app.extensions.get(EXTENSION_KEY)
    if state is None:
        raise RuntimeError("matchmaker.jobs.init_app(app) was not called")
    return state


def _real(app: Flask | None) -> Flask:
    """The app object itself (never the `current_app` proxy: task closures outlive contexts)."""
    app = app if app is not None else current_app
    return app._get_current_object() if hasattr(app, "_get_current_object") else app


def huey_for(app: Flask | None = None) -> Huey:
    """The app's Huey instance with every declared task registered on it."""
    app = _real(app)
    state = _state(app)
    for job in list(_DECLARED.values()):
        if job.name not in state.wrappers:
            state.wrappers[job.name] = _register(app, state.huey, job)
    return state.huey


def _wrapper(app: Flask, job: JobTask):
    app = _real(app)
    huey_for(app)
    return _state(app).wrappers[job.name]


def _register(app: Flask, huey: Huey, job: JobTask):
    @functools.wraps(job.fn)
    def run_in_app(*args, **kwargs):
        with app.app_context():
            return job.fn(*args, **kwargs)

    # Huey keys a task by its function's module and name: the declared name, not the code's place.
    run_in_app.__module__, _dot, run_in_app.__name__ = job.name.rpartition(".")
    if job.periodic:
        return huey.periodic_task(job.schedule, **job.options)(run_in_app)
    return huey.task(**job.options)(run_in_app)


# --- after-commit enqueueing -------------------------------------------------------------


def enqueue_after_commit(job: JobTask, *args) -> None:
    """Queue `job(*args)` when the current db.session transaction commits (nothing on rollback)."""
    from ..extensions import db

    pending = db.session.info.setdefault(AFTER_COMMIT_KEY, [])
    item = (job, args)
    if item not in pending:
        pending.append(item)


@event.listens_for(Session, "after_commit")
def _enqueue_on_commit(session: Session) -> None:
    pending = session.info.pop(AFTER_COMMIT_KEY, None)
    if not pending or not has_app_context():
        return
    app = current_app._get_current_object()
    for job, args in pending:
        try:
            _wrapper(app, job)(*args)
        except Exception:  # the commit stands; the periodic sweeps pick the work up later
            log.exception("could not enqueue %s%r after commit", job.name, args)


@event.listens_for(Session, "after_rollback")
def _drop_on_rollback(session: Session) -> None:
    session.info.pop(AFTER_COMMIT_KEY, None)


# --- tests -------------------------------------------------------------------------------


@contextlib.contextmanager
def deferred(app: Flask | None = None) -> Iterator[Huey]:
    """Within the block an immediate (test) queue only stores tasks; `drain` runs them.
    The block starts from an empty queue (what an earlier block left is dropped)."""
    app = app or current_app._get_current_object()
    huey = huey_for(app)
    if huey._immediate:
        huey.flush()
    previous = huey._immediate
    huey._immediate = False  # keeps the in-memory storage (the public setter would swap it)
    try:
        yield huey
    finally:
        huey._immediate = previous


def drain(app: Flask | None = None, limit: int = 10_000) -> int:
    """Run every task waiting in the app's queue (and due retries) here, now; how many ran."""
    if app is None and has_app_context():
        app = current_app._get_current_object()
    huey = huey_for(app)
    executed = 0
    while executed < limit:
        due = huey.read_schedule(huey._get_timestamp())
        for scheduled in due:
            huey.enqueue(scheduled)
        queued = huey.dequeue()
        if queued is None:
            break
        huey.execute(queued)
        executed += 1
    return executed
