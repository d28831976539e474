"""Serve the app with gunicorn on loopback, for the tools that drive it from outside.

Used by the browser journeys (tests/e2e/conftest.py), the API fuzzing (scripts/api_fuzz.py),
the load test (scripts/loadtest.py) and the page benchmark (tests/bench/bench_pages.py): a
scratch instance folder and environment, the app's own `flask` commands to fill the database,
a free port, gunicorn started from the repository (so `gunicorn.conf.py` applies) and
waited for until `/healthz` answers. Failures raise `ServeError` with the command's output or
the tail of gunicorn's log; callers turn it into a test failure or an exit message.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class ServeError(RuntimeError):
    """A command or the server failed; the message says how."""


def scratch_env(folder: Path, database_url: str | None = None, **overrides: str) -> dict[str, str]:
    """This process's environment for an app in `folder`: a fresh secret key, offline model
    loading, no inherited DATABASE_URL/REDIS_URL (SQLite in `folder` unless one is given)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        MATCHMAKER_INSTANCE=str(folder),
        SECRET_KEY=secrets.token_hex(32),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        PYTHONWARNINGS="ignore",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(overrides)
    return env


def flask(args: list[str], env: dict[str, str]) -> str:
    """Run `flask --app wsgi ARGS` in the repository; its standard output."""
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise ServeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(
    env: dict[str, str],
    port: int,
    log: Path,
    *,
    workers: int = 2,
    extra_args: tuple[str, ...] = (),
    startup_seconds: float = 90,
) -> subprocess.Popen:
    """gunicorn serving wsgi:app on 127.0.0.1:`port`, output to `log`, once /healthz answers."""
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", *extra_args, "wsgi:app"]
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + startup_seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ServeError(f"gunicorn exited with {server.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    raise ServeError(f"gunicorn did not answer /healthz in {startup_seconds:.0f}s:\n{_tail(log)}")


def start_worker(env: dict[str, str], log: Path, *, args: tuple[str, ...] = ()) -> subprocess.Popen:
    """The job queue's worker (`flask jobs worker`) for the same app, output to `log`."""
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker", *args]
    with log.open("w") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def stop(server: subprocess.Popen, timeout: float = 30) -> None:
    server.terminate()
    try:
        server.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]
