"""Browser journeys: the real stack (migrations, taxonomy, demo data, gunicorn with two
workers and the job queue's worker beside it) on a temporary SQLite database, driven by Playwright in Debian's Chromium.

The server is started once per test session on 127.0.0.1 and a free port, and stopped at the
end. Each test gets a fresh browser context per person (`browser_page()`), and `shot(page,
"step")` saves `test-output/e2e/<test name>/NN-step.png`; a failing test also gets a final
`NN-failure.png` of every page it opened. Chromium is required, never skipped: without it
the tests fail and say how to install it (.ci/run does it in CI).
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from scripts import served_app

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "e2e-demo-pass-1"
ORGANISER_EMAIL = "organiser@demo.matchmaker.local"
STARTUP_SECONDS = 60
DEFAULT_TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class LiveServer:
    url: str
    database_url: str
    password: str = DEMO_PASSWORD
    organiser: str = ORGANISER_EMAIL

    def seed(self, build):
        """Run `build(organiser)` in an app bound to the server's database: for the world a
        journey starts from, never for the steps the journey is about."""
        from matchmaker import create_app
        from matchmaker.accounts.services import find_user_by_email

        app = create_app({"SQLALCHEMY_DATABASE_URI": self.database_url, "SECRET_KEY": "seed"})
        with app.app_context():
            try:
                return build(find_user_by_email(self.organiser))
            finally:
                from matchmaker.extensions import db

                db.session.remove()
                db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("e2e-server")
    # The journeys log in a dozen times a minute from one address, past the login limit that
    # every worker now shares; throttling has its own tests (tests/security/test_throttling.py).
    env = served_app.scratch_env(
        folder, f"sqlite:///{folder / 'e2e.sqlite3'}", RATELIMIT_ENABLED="false"
    )
    served_app.flask(["db", "upgrade"], env)
    served_app.flask(["taxonomy", "load"], env)
    served_app.flask(["demo", "load", "--password", DEMO_PASSWORD], env)
    served_app.flask(["jobs", "drain"], env)  # the demo's indexing jobs, before any journey
    worker = served_app.start_worker(env, folder / "worker.log", args=("--no-periodic",))
    try:
        port = served_app.free_port()
        server = served_app.start_gunicorn(
            env,
            port,
            folder / "gunicorn.log",
            extra_args=("--access-logfile", "-"),
            startup_seconds=STARTUP_SECONDS,
        )
        try:
            yield LiveServer(f"http://127.0.0.1:{port}", env["DATABASE_URL"])
        finally:
            served_app.stop(server, timeout=20)
    finally:
        served_app.stop(worker, timeout=20)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser journeys need it. Install Debian's "
            "chromium (apt-get install -y chromium chromium-driver, as .ci/run does) or set "
            "CHROMIUM_PATH. Never `playwright install` (no downloads here)."
        )
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install playwright (the dev extra)")
    # Assertions wait as long as actions: on 2 shared cores a page can take seconds.
    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        # Playwright gives every launch a fresh, empty user-data-dir of its own.
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield instance
        instance.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


@pytest.fixture
def shot_dir(request) -> Path:
    folder = request.config.rootpath / "test-output" / "e2e" / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def shot(shot_dir):
    counter = itertools.count(1)

    def take(page, step: str) -> Path:
        path = shot_dir / f"{next(counter):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    take.counter = counter
    return take


@pytest.fixture
def browser_page(request, browser, live_server, shot):
    """`browser_page()` opens a new page in a new context (its own cookies): one per person."""
    contexts = []
    blocked: list[str] = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="zh-CN")
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: _note_csp_violation(msg, blocked))
        return page

    yield open_page
    for context in contexts:
        if getattr(request.node, "e2e_failed", False):
            for page in context.pages:
                shot(page, "failure")
        context.close()
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


def _note_csp_violation(message, blocked: list[str]) -> None:
    if message.type == "error" and "Content Security Policy" in message.text:
        blocked.append(message.text)
