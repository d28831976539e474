"""With a running consumer (no drain, no immediate queue): an approved need becomes searchable
and a withdrawn one leaves the index, without the request having indexed anything.

The bound (a committed change is searchable within 5 s with the worker running: the idle
consumer polls every `IDLE_POLL_SECONDS`, the job encodes one document) is measured by the
load test (`make loadtest`, "index lag"); here the wait is only a guard against a hang.
"""

from __future__ import annotations

import time

import pytest

from matchmaker import create_app, jobs
from matchmaker.extensions import db
from matchmaker.jobs.cli import IDLE_POLL_SECONDS
from matchmaker.needs import approval, services
from matchmaker.search.app import service
from tests.factories import ensure_taxonomy, make_need, make_org, make_user
from tests.search.tiny_encoder import TinyEncoder

HANG_GUARD_SECONDS = 60


@pytest.fixture
def worker_app(tmp_path):
    """An app with a real queue (SQLite file) and a Huey consumer in threads of this process."""
    scratch = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.sqlite3'}",
            "SECRET_KEY": "s" * 40,
            "JOBS_IMMEDIATE": False,
            "REDIS_URL": None,  # this test's own SQLite queue, whatever the environment says
            "JOBS_SQLITE_PATH": str(tmp_path / "jobs.sqlite3"),
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
            "SEARCH_ENCODER_FACTORY": lambda config: TinyEncoder(),
            "MAIL_SUPPRESS_SEND": True,
            # The limiter is one object for every app: a second app must not switch it on
            # for the session's app (whose tests log in freely).
            "RATELIMIT_ENABLED": False,
        }
    )
    with scratch.app_context():
        db.create_all()
    consumer = jobs.huey_for(scratch).create_consumer(
        workers=2, worker_type="thread", periodic=False, max_delay=IDLE_POLL_SECONDS
    )
    consumer._set_signal_handlers = lambda: None  # pytest keeps its own signal handlers
    consumer.start()  # scheduler and worker threads; returns at once
    try:
        with scratch.app_context():
            yield scratch
    finally:
        consumer.stop(graceful=True)
        with scratch.app_context():
            db.session.remove()
            db.engine.dispose()


def _until(predicate) -> None:
    deadline = time.monotonic() + HANG_GUARD_SECONDS
    while not predicate():
        assert time.monotonic() < deadline, "the worker never applied the change"
        time.sleep(0.05)
        db.session.rollback()  # a fresh snapshot of the database on each try


def test_the_running_worker_indexes_approvals_and_removals(worker_app):
    templates = ensure_taxonomy()
    owner = make_user(make_org("factory"))
    organiser = make_user(role="organiser")
    need = make_need(owner.organisation, status="submitted", template=templates[0])
    need_id = need.id
    approval.approve_need(organiser, need)
    # No check that the document is not there yet: the worker may index it before this line
    # runs (a race the test would lose on a busy machine). That the approval only queues the
    # job is test_matches.py's (jobs.deferred).
    _until(lambda: service.stored_document("need", need_id) is not None)
    assert service.search_text(need.title, kinds=("need",)).matches[0].id == str(need_id)
    services.withdraw_need(owner, db.session.get(type(need), need_id))
    _until(lambda: service.stored_document("need", need_id) is None)
