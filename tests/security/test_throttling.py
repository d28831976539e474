"""Login and registration POSTs are throttled per client address (429 + Retry-After); a
forged X-Forwarded-For does not buy a fresh budget unless TRUST_PROXY says a proxy sets it."""

from __future__ import annotations

import pytest

from matchmaker import create_app
from matchmaker.accounts.account_views import LOGIN_LIMIT, REGISTER_LIMIT
from matchmaker.accounts.recovery_views import FORGOT_ADDRESS_LIMIT, FORGOT_LIMIT
from matchmaker.config import TestConfig
from matchmaker.extensions import limiter


def allowed_count(limit: str) -> int:
    return int(limit.split("/")[0])


@pytest.fixture
def limited_app(app):
    """An app with the limiter on (in memory). The limiter is a process-wide singleton: it is
    reset and switched off again for the session app afterwards."""

    def make(trust_proxy: int = 0):
        class LimitedConfig(TestConfig):
            RATELIMIT_ENABLED = True
            RATELIMIT_STORAGE_URI = "memory://"
            TRUST_PROXY = trust_proxy

        return create_app(LimitedConfig)

    yield make
    limiter.reset()
    limiter.enabled = False


@pytest.mark.parametrize(
    ("path", "limit"),
    [("/login", LOGIN_LIMIT), ("/register", REGISTER_LIMIT), ("/password/forgot", FORGOT_LIMIT)],
)
def test_posts_beyond_the_limit_get_429_with_retry_after(path, limit, limited_app):
    client = limited_app().test_client()
    statuses = {client.post(path, data={}).status_code for _ in range(allowed_count(limit))}
    assert statuses == {422}  # empty forms, refused before any database work
    response = client.post(path, data={})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["Content-Security-Policy"]
    assert client.get(path).status_code == 200  # reading the form is not limited


def test_reset_requests_for_one_address_are_limited_whoever_sends_them(limited_app, monkeypatch):
    """Many clients cannot flood one mailbox with reset links: the typed address has its own
    budget, the same for an address with and without an account."""
    from matchmaker.accounts import recovery

    monkeypatch.setattr(recovery, "request_password_reset", lambda email: None)  # no schema here
    app = limited_app(trust_proxy=1)
    for n in range(allowed_count(FORGOT_ADDRESS_LIMIT)):
        client = app.test_client()
        headers = {"X-Forwarded-For": f"203.0.113.{n}"}
        response = client.post("/password/forgot", data={"email": "x@example.com"}, headers=headers)
        assert response.status_code == 302
    last = app.test_client().post(
        "/password/forgot",
        data={"email": "X@example.com "},
        headers={"X-Forwarded-For": "198.51.100.1"},
    )
    assert last.status_code == 429
    other = app.test_client().post(
        "/password/forgot",
        data={"email": "y@example.com"},
        headers={"X-Forwarded-For": "198.51.100.1"},
    )
    assert other.status_code == 302


def test_forged_forwarded_for_does_not_reset_the_budget(limited_app):
    client = limited_app().test_client()
    for n in range(allowed_count(LOGIN_LIMIT)):
        client.post("/login", data={}, headers={"X-Forwarded-For": f"10.0.0.{n}"})
    response = client.post("/login", data={}, headers={"X-Forwarded-For": "10.0.1.1"})
    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(limited_app):
    client = limited_app(trust_proxy=1).test_client()
    first = {"X-Forwarded-For": "203.0.113.7"}
    for _ in range(allowed_count(LOGIN_LIMIT)):
        client.post("/login", data={}, headers=first)
    assert client.post("/login", data={}, headers=first).status_code == 429
    other = {"X-Forwarded-For": "203.0.113.8"}
    assert client.post("/login", data={}, headers=other).status_code == 422


# --- Shared storage (issue 15, item 8b): the budget is per client, not per worker process. ---

WRONG_PASSWORDS = 30


def _worker_login_statuses(storage_uri: str, attempts: int) -> list[int]:
    """One 'gunicorn worker': its own process and app, posting wrong passwords."""
    import os
    import tempfile

    os.environ["MATCHMAKER_INSTANCE"] = tempfile.mkdtemp()

    class WorkerConfig(TestConfig):
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = storage_uri
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    from matchmaker.extensions import db

    app = create_app(WorkerConfig)
    with app.app_context():
        db.create_all()
    client = app.test_client()
    data = {"email": "nobody@example.com", "password": "wrong-password"}
    return [client.post("/login", data=data).status_code for _ in range(attempts)]


def _two_workers(storage_uri: str) -> list[int]:
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        half = WRONG_PASSWORDS // 2
        results = pool.starmap(_worker_login_statuses, [(storage_uri, half)] * 2)
    return [status for statuses in results for status in statuses]


def test_default_storage_is_a_file_shared_by_the_workers(tmp_path, limited_app, monkeypatch):
    """No REDIS_URL, no RATELIMIT_STORAGE_URI: the SQLite file in the instance folder."""
    from matchmaker.ratelimit import FILE_NAME, SQLiteStorage

    class DefaultConfig(TestConfig):
        RATELIMIT_ENABLED = True
        REDIS_URL = None

    monkeypatch.setenv("MATCHMAKER_INSTANCE", str(tmp_path))
    app = create_app(DefaultConfig)
    assert isinstance(limiter.storage, SQLiteStorage)
    assert app.config["RATELIMIT_STORAGE_URI"].endswith(f"/{FILE_NAME}")
    client = app.test_client()
    for _ in range(allowed_count(LOGIN_LIMIT)):
        client.post("/login", data={})
    assert client.post("/login", data={}).status_code == 429
    assert (tmp_path / FILE_NAME).exists()


def test_two_worker_processes_share_the_embedded_budget(tmp_path, limited_app):
    from matchmaker.ratelimit import storage_uri

    statuses = _two_workers(storage_uri(str(tmp_path)))
    assert len(statuses) == WRONG_PASSWORDS
    assert statuses.count(422) == allowed_count(LOGIN_LIMIT)  # checked: exactly the budget
    assert statuses.count(429) == WRONG_PASSWORDS - allowed_count(LOGIN_LIMIT)


def test_two_worker_processes_share_the_redis_budget(limited_app):
    """Needs the Redis that `.ci/run` starts: without it the test fails, it is not skipped."""
    import redis

    url = "redis://127.0.0.1:6379/2"
    redis.Redis.from_url(url).flushdb()
    statuses = _two_workers(url)
    assert statuses.count(422) == allowed_count(LOGIN_LIMIT)
    assert statuses.count(429) == WRONG_PASSWORDS - allowed_count(LOGIN_LIMIT)
    redis.Redis.from_url(url).flushdb()


def test_redis_url_is_the_storage_when_set(tmp_path, limited_app, monkeypatch):
    from limits.storage import RedisStorage

    class RedisConfig(TestConfig):
        RATELIMIT_ENABLED = True
        REDIS_URL = "redis://127.0.0.1:6379/2"

    monkeypatch.setenv("MATCHMAKER_INSTANCE", str(tmp_path))
    create_app(RedisConfig)
    assert isinstance(limiter.storage, RedisStorage)


def test_sqlite_counts_are_exact_across_processes(tmp_path):
    import multiprocessing

    from matchmaker.ratelimit import storage_uri

    uri = storage_uri(str(tmp_path))
    context = multiprocessing.get_context("fork")
    with context.Pool(4) as pool:
        pool.starmap(_hit_many, [(uri, 25)] * 4)
    from limits.storage import storage_from_string

    storage = storage_from_string(uri)
    assert storage.get("k") == 100
    assert storage.get_expiry("k") > 0
    storage.clear("k")
    assert storage.get("k") == 0


def _hit_many(uri: str, times: int) -> None:
    from limits.storage import storage_from_string

    import matchmaker.ratelimit  # noqa: F401  (registers the scheme)

    storage = storage_from_string(uri)
    for _ in range(times):
        storage.incr("k", 60)


def _open_and_count(uri: str, barrier, results) -> None:
    from matchmaker.ratelimit import SQLiteStorage

    barrier.wait()
    try:
        results.put(SQLiteStorage(uri).incr("login/203.0.113.9", 60))
    except Exception as error:  # reported to the test, which names it
        results.put(repr(error))


def test_workers_opening_a_new_counter_file_at_once_all_count(tmp_path):
    """Workers opening a new counter file at the same moment: switching it to WAL makes them
    upgrade their locks, and SQLite answers a would-be deadlock with "database is locked" at
    once instead of waiting; that was a 500 on the login page (seen in CI). Every worker
    must count, on every one of these fresh files."""
    import multiprocessing

    from matchmaker.ratelimit import storage_uri

    context = multiprocessing.get_context("fork")
    workers = 6
    for attempt in range(15):
        uri = storage_uri(str(tmp_path / str(attempt)))
        barrier, results = context.Barrier(workers), context.Queue()
        processes = [
            context.Process(target=_open_and_count, args=(uri, barrier, results))
            for _ in range(workers)
        ]
        for process in processes:
            process.start()
        counts = [results.get(timeout=30) for _ in processes]
        for process in processes:
            process.join()
        assert sorted(counts, key=str) == list(range(1, workers + 1))
