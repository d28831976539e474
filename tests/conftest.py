"""Shared fixtures: one app per test session with the schema built by migrations.

Each test starts from empty tables (rows are deleted after every test), so tests can
commit freely, exactly as the services do. DATABASE_URL selects PostgreSQL; the default
is an in-memory SQLite database.
"""

from __future__ import annotations

import os
import shutil

import pytest
from flask import g
from flask_migrate import upgrade
from sqlalchemy import text

from matchmaker import clock, create_app
from matchmaker.config import TestConfig
from matchmaker.db_admin import drop_everything
from matchmaker.extensions import db
from matchmaker.search.service import EXTENSION_KEY as SEARCH_EXTENSION_KEY


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
            if db.engine.dialect.name == "sqlite":
                conn.execute(text("PRAGMA foreign_keys=OFF"))
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
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
