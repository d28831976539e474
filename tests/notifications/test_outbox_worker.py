"""A real worker process SIGKILLed in the middle of a batch: nothing lost, nothing twice."""

from __future__ import annotations

import os
import signal
import time

import sqlalchemy as sa

from matchmaker import create_app
from matchmaker.extensions import db
from matchmaker.notifications import outbox
from matchmaker.notifications.models import OutboxMail
from scripts import served_app
from tests.notifications.smtp_sink import SmtpSink, free_port

MAILS = 100


def _scratch_app(app, folder):
    """An app on the test database when it is PostgreSQL (the workers need a database they
    can share), else on a SQLite file; its queue is the worker's (SQLite in `folder`)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        url = f"sqlite:///{folder / 'outbox.sqlite3'}"
    scratch = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "s" * 40,
            "JOBS_SQLITE_PATH": str(folder / "jobs.sqlite3"),
        }
    )
    with scratch.app_context():
        db.create_all()
    return scratch, url


def _wait(predicate, seconds: float, what: str, log) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}; worker log:\n{log.read_text()[-3000:]}")
        time.sleep(0.05)


def _statuses(scratch) -> dict[str, int]:
    with scratch.app_context():
        rows = db.session.execute(
            sa.select(OutboxMail.status, sa.func.count()).group_by(OutboxMail.status)
        )
        return dict(rows.all())


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(app, tmp_path):
    scratch, url = _scratch_app(app, tmp_path)
    with scratch.app_context():
        for n in range(MAILS):
            outbox.queue_mail(f"user{n}@example.com", f"通知 {n}", "正文")
        db.session.commit()  # also queues a send on the workers' queue
        expected = set(db.session.scalars(sa.select(OutboxMail.message_id)))
    port = free_port()
    sink = SmtpSink(port, delay=0.005).start()
    env = served_app.scratch_env(
        tmp_path,
        url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(port),
        JOBS_SQLITE_PATH=str(tmp_path / "jobs.sqlite3"),
    )
    args = ("--workers", "2", "--no-periodic")
    first = served_app.start_worker(env, tmp_path / "worker1.log", args=args)
    try:
        _wait(
            lambda: sink.count() >= 25,
            60,
            "the first worker sent nothing",
            tmp_path / "worker1.log",
        )
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        at_kill = sink.count()
        assert at_kill < MAILS  # killed in the middle
        # The dead worker's claims are taken back at once by the next worker's start sweep.
        env["MAIL_CLAIM_SECONDS"] = "0"
        second = served_app.start_worker(env, tmp_path / "worker2.log", args=args)
        try:
            _wait(
                lambda: _statuses(scratch) == {"sent": MAILS},
                90,
                f"not every mail sent: {_statuses(scratch)}",
                tmp_path / "worker2.log",
            )
        finally:
            served_app.stop(second, timeout=20)
    finally:
        if first.poll() is None:
            first.kill()
        sink.stop()
        with scratch.app_context():
            db.session.execute(sa.delete(OutboxMail))
            db.session.commit()
            db.engine.dispose()
    received = sink.message_ids()
    assert set(received) == expected  # nothing lost
    assert max(received.values()) == 1  # nothing twice
