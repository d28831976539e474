"""Shared fixtures: one app per test session with the schema built by migrations.

Each test starts from empty tables (rows are deleted after every test), so tests can
commit freely, exactly as the services do. DATABASE_URL selects PostgreSQL; the default
is an in-memory SQLite database.
"""

from __future__ import annotations

import os
import shutil
import urllib.parse

import pytest
import sqlalchemy as sa
from flask import g
from flask_migrate import upgrade
from sqlalchemy import text


def _own_stores_per_worker() -> None:
    """Under pytest-xdist (`make test` runs two workers), every worker process gets its own
    PostgreSQL database (`<name>_gw0`, created when missing) and its own Redis database
    (REDIS_URL's number minus the worker's), since each empties its tables after every test.
    Runs before `matchmaker.config` reads DATABASE_URL; SQLite is in memory per process anyway."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    number = int(worker.removeprefix("gw"))
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgresql"):
        shared = sa.engine.make_url(url)
        name = f"{shared.database}_{worker}"
        admin = sa.create_engine(shared, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        os.environ["DATABASE_URL"] = shared.set(database=name).render_as_string(hide_password=False)
    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url:
        parts = urllib.parse.urlsplit(redis_url)
        own_db = (int(parts.path.strip("/") or 0) - number) % 16
        os.environ["REDIS_URL"] = parts._replace(path=f"/{own_db}").geturl()


_own_stores_per_worker()

from matchmaker import clock, create_app  # noqa: E402  (after the per-worker stores)
from matchmaker.config import TestConfig  # noqa: E402
from matchmaker.db_admin import drop_everything  # noqa: E402
from matchmaker.extensions import db  # noqa: E402
from matchmaker.search.app.service import EXTENSION_KEY as SEARCH_EXTENSION_KEY  # noqa: E402
from tests.snapshots import empty_tables  # noqa: E402


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    os.environ.setdefault("MATCHMAKER_INSTANCE", str(tmp_path_factory.mktemp("instance")))
    application = create_app(TestConfig)
    application.before_request(_forget_request_user)
    with application.app_context():
        drop_everything(db.engine)
        upgrade()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _forget_request_user() -> None:
    """A test holding an app context (`app_ctx`) shares it, and `g`, with the test client's
    requests; drop Flask-Login's per-request user so that every request loads its user from
    its own session cookie, as in production (where `g` lives for one request)."""
    g.pop("_login_user", None)


@pytest.fixture(autouse=True)
def _clean_state(request):
    yield
    clock.set(None)
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            empty_tables(conn)
    _forget_search_index(application)


def _forget_search_index(application) -> None:
    """The search index is a per-app cache of the (now emptied) tables: drop it and its files."""
    application.extensions.pop(SEARCH_EXTENSION_KEY, None)
    index_dir = application.config.get("SEARCH_INDEX_DIR") or os.path.join(
        application.instance_path, "search-index"
    )
    shutil.rmtree(index_dir, ignore_errors=True)


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: nothing may be silently left out."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("CI") and reporter is not None and reporter.stats.get("skipped"):
        reporter.write_line("CI: skipped tests are not allowed", red=True)
        session.exitstatus = 1
