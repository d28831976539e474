"""The queue's contract: after-commit enqueueing, app context in tasks, deferred + drain."""

from __future__ import annotations

from flask import current_app

from matchmaker import jobs
from matchmaker.extensions import db
from matchmaker.notifications.models import Notification
from tests.factories import make_org, make_user

RAN: list = []  # what _record saw


@jobs.task()
def _record(value):
    # Runs in its own app context: a fresh session sees only committed rows.
    RAN.append((value, current_app.name, db.session.query(Notification).count()))


def _note(user) -> None:
    db.session.add(Notification(user_id=user.id, kind="x", title="t"))


def test_enqueued_only_when_the_transaction_commits(app_ctx):
    RAN.clear()
    user = make_user(make_org("factory"))
    _note(user)
    jobs.enqueue_after_commit(_record, 1)
    jobs.enqueue_after_commit(_record, 1)  # the same call twice in one transaction: once
    assert RAN == []
    db.session.commit()
    assert list(RAN) == [(1, app_ctx.name, 1)]

    _note(user)
    jobs.enqueue_after_commit(_record, 2)
    db.session.rollback()
    db.session.commit()
    assert [value for value, *_ in RAN] == [1]


def test_deferred_queue_holds_tasks_until_drained(app_ctx):
    RAN.clear()
    with jobs.deferred(app_ctx) as huey:
        jobs.enqueue_after_commit(_record, 3)
        db.session.commit()
        assert RAN == [] and huey.pending_count() == 1
    assert jobs.drain(app_ctx) == 1
    assert [value for value, *_ in RAN] == [3]


def test_backend_follows_the_config(app, tmp_path):
    from huey import RedisHuey, SqliteHuey

    from matchmaker import create_app

    # (the limiter is one object for every app: keep it off as in the test app)
    base = {
        "SECRET_KEY": "x" * 40,
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "RATELIMIT_ENABLED": False,
    }
    path = tmp_path / "queue.sqlite3"
    # REDIS_URL=None: the environment's (CI runs the PostgreSQL suite with one) must not count
    plain = create_app(dict(base, REDIS_URL=None, JOBS_SQLITE_PATH=str(path)))
    assert isinstance(jobs.huey_for(plain), SqliteHuey) and path.exists()
    redis_app = create_app(dict(base, REDIS_URL="redis://127.0.0.1:6379/3"))
    assert isinstance(jobs.huey_for(redis_app), RedisHuey)
    assert jobs.huey_for(app).immediate  # TestConfig


@jobs.task(name="matchmaker.old_place.moved_job")
def _moved(value):
    RAN.append((value, "moved"))


def test_a_task_keeps_its_queue_name_when_its_module_moves(app_ctx):
    # Huey finds a queued job's code by the name it was queued under: a task declared with
    # its old name still runs the jobs queued before its module moved.
    RAN.clear()
    with jobs.deferred(app_ctx) as huey:
        jobs.enqueue_after_commit(_moved, 7)
        db.session.commit()
        assert "matchmaker.old_place.moved_job" in huey._registry._registry
    assert jobs.drain(app_ctx) == 1
    assert RAN == [(7, "moved")]


def test_the_index_tasks_keep_their_names_from_before_the_search_split():
    names = set(jobs.registered_tasks())
    assert {
        "matchmaker.search.sync.index_documents_job",
        "matchmaker.search.sync.reconcile_index",
    } <= names
