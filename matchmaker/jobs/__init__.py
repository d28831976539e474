"""Work off the request path: one Huey queue per app, tasks that run inside an app context.

Backend (chosen by `init_app` from the app's config):
- ``REDIS_URL`` set          -> ``RedisHuey`` on that Redis (production, several hosts);
- otherwise                  -> ``SqliteHuey`` in ``<instance>/jobs.sqlite3`` (JOBS_SQLITE_PATH);
- ``JOBS_IMMEDIATE`` true    -> in-memory and executed at once (default when TESTING).

Declaring tasks (at import time of the module that owns the work; the module must be imported
before the first enqueue or before the worker starts: create_app imports them):

    from matchmaker import jobs

    @jobs.task(retries=3, retry_delay=30)
    def send_mail_outbox() -> int:           # runs inside `with app.app_context():`
        ...

    @jobs.periodic(jobs.crontab(minute="*"))  # every minute, UTC crontab
    def rounds_tick() -> None:
        ...

Enqueueing:

    jobs.enqueue_after_commit(send_mail_outbox)   # queued only when the current db.session
                                                  # transaction commits; dropped on rollback;
                                                  # the same (task, args) twice in one
                                                  # transaction is queued once
    send_mail_outbox.enqueue()                    # queued now (outside any transaction)
    send_mail_outbox.call()                       # run synchronously here (CLI, tests)

Arguments must be JSON-like plain values (ids, strings): tasks reload what they need.

The worker: ``flask jobs worker`` (Huey's consumer: thread workers + the periodic scheduler).

Tests: TestConfig runs tasks immediately after the commit (JOBS_IMMEDIATE). To check what a
request queues without running it, wrap it in ``with jobs.deferred(app):`` and run the
queue afterwards with ``jobs.drain(app)`` (returns the number of tasks executed).
"""

from __future__ import annotations

from huey import crontab

from .core import (
    JobTask,
    deferred,
    drain,
    enqueue_after_commit,
    huey_for,
    init_app,
    periodic,
    registered_tasks,
    task,
)

__all__ = [
    "JobTask",
    "crontab",
    "deferred",
    "drain",
    "enqueue_after_commit",
    "huey_for",
    "init_app",
    "periodic",
    "registered_tasks",
    "task",
]
