"""`make loadtest`: a bounded load run against gunicorn + the job worker on PostgreSQL, with
a web worker and the job worker killed.

    python scripts/loadtest.py [--requests 3000] [--seconds 60] [--clients 8] [--no-kill]

1. (Re)creates the scratch database (`loadtest` by default; its name must contain
   "loadtest"), upgrades it by migrations, loads the taxonomy and the demo district, then
   stages what the competition actions need beyond the demo
   (`loadtest_actions.stage_competitions`: a listing under review with sheets to fill, two
   listings in 攻关 with milestones to report).
2. Starts a test SMTP server (aiosmtpd) on loopback, the job queue's worker (`flask jobs
   worker`: mail, indexing) and gunicorn (2 workers) on a free port, with the rate limiter
   off (every visitor comes from the same loopback address).
3. Drives the weighted mix of `loadtest_actions.ACTIONS` (or `--only` some of them) from
   threads of this process, stopping after `--requests` requests or `--seconds` seconds
   (whichever comes first); SIGKILLs one gunicorn worker half-way and the job worker at two
   thirds (a new one is started at once).
4. Waits for the outbox to drain, then prints requests/s, p50/p99 latency and errors per
   action, the index lag (approval answered → need listed by /search; bound 5 s), and per
   kind of write: acknowledged, missing from the database (for a write that replaces the
   previous one of its object, a score sheet saved again: the last acknowledged one must be
   stored), approvals /search does not list, acknowledged actions without their mail; and
   whether every outbox mail reached the SMTP server exactly once. Any loss, missing mail or
   duplicate: exit status 1.
Loopback only; nothing is left running.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from loadtest_actions import (  # noqa: E402
    ACTIONS,
    DEMO_QUERIES,
    INDEX_LAG_GIVE_UP,
    LAST_WINS,
    MAIL_CHECKS,
    WRITE_CHECKS,
    Action,
    Context,
    RequestFailed,
    Sample,
    Visitor,
)
from sqlalchemy.engine import make_url  # noqa: E402

from scripts import served_app  # noqa: E402
from tests.notifications.smtp_sink import SmtpSink  # noqa: E402

INDEX_LAG_BOUND = 5.0  # seconds: a committed approval is searchable within this
OUTBOX_DRAIN_SECONDS = 180

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/loadtest"
PASSWORD = "load-demo-pass-1"


def libpq(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


def prepare_database(url: str, env: dict[str, str]) -> None:
    name = make_url(url).database or ""
    if "loadtest" not in name:
        sys.exit(f"loadtest: refusing to recreate {name!r}: its name must contain 'loadtest'")
    with psycopg.connect(libpq(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    for args in (["db", "upgrade"], ["taxonomy", "load"], ["demo", "load", "--password", PASSWORD]):
        served_app.flask(args, env)
    served_app.flask(["jobs", "drain"], env)  # the demo's indexing jobs and mails, before the run


def stage_competitions(env: dict[str, str]) -> None:
    """`loadtest_actions.stage_competitions` in a process of the app (this script, `--stage`),
    then its jobs and mails drained."""
    command = [sys.executable, str(Path(__file__).resolve()), "--stage"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"loadtest: staging failed:\n{result.stdout}\n{result.stderr}")
    served_app.flask(["jobs", "drain"], env)


def demo_data(url: str) -> dict[str, list]:
    """What the actions pick from: one list per `DEMO_QUERIES` entry."""
    with psycopg.connect(libpq(url)) as conn:
        rows = {name: conn.execute(sql).fetchall() for name, sql in DEMO_QUERIES.items()}
    # One column: a list of values; several: a list of tuples.
    return {
        name: [r[0] if len(r) == 1 else tuple(r) for r in found] for name, found in rows.items()
    }


def worker_pids(master: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


class Run:
    """Shared state of one run: the request budget, the samples and the acknowledged writes."""

    def __init__(self, max_requests: int, seconds: float):
        self.max_requests, self.deadline = max_requests, time.monotonic() + seconds
        self.lock = threading.Lock()
        self.samples: list[Sample] = []
        self.writes: dict[str, list[str]] = defaultdict(list)
        self.started = time.monotonic()
        self.lags: list[float | None] = []
        self.lag_at: list[float] = []  # when each lag sample's approval was answered (run seconds)

    def record(self, sample: Sample) -> bool:
        with self.lock:
            self.samples.append(sample)
            return len(self.samples) < self.max_requests and time.monotonic() < self.deadline

    def acknowledge(self, kind: str, key: str) -> None:
        with self.lock:
            self.writes[kind].append(key)

    def lag(self, seconds: float | None) -> None:
        with self.lock:
            self.lags.append(seconds)
            waited = INDEX_LAG_GIVE_UP if seconds is None else seconds
            self.lag_at.append(time.monotonic() - waited - self.started)

    def done(self, share: float, started: float, seconds: float) -> bool:
        return (
            len(self.samples) >= self.max_requests * share
            or time.monotonic() - started >= seconds * share
        )


def visitor_loop(context: Context, run: Run, actions: list[Action], seed: int) -> None:
    rng = random.Random(seed)
    visitor = Visitor(context, run.record, run.acknowledge, run.lag)
    weights = [a.weight for a in actions]
    while not context.stop.is_set() and time.monotonic() < run.deadline:
        action = rng.choices(actions, weights)[0]
        visitor.fresh(action.name)
        with contextlib.suppress(RequestFailed):  # recorded as an error sample already
            action.run(visitor)


def kill_one_worker(
    master: int, run: Run, started: float, seconds: float, stop, report: dict
) -> None:
    while not stop.is_set() and not run.done(0.5, started, seconds):
        time.sleep(0.05)
    pids = worker_pids(master)
    if stop.is_set() or not pids:
        return
    victim = pids[0]
    os.kill(victim, signal.SIGKILL)
    report.update(
        killed=victim, at_request=len(run.samples), before=pids, at=time.monotonic() - started
    )


class JobWorker:
    """The queue's worker process; `restart_killed` SIGKILLs it and starts a new one."""

    def __init__(self, env: dict[str, str], folder: Path):
        self.env, self.folder, self.started = env, folder, 0
        self.process = self._start()

    def _start(self):
        self.started += 1
        log = self.folder / f"worker{self.started}.log"
        return served_app.start_worker(self.env, log, args=("--workers", "4"))

    def restart_killed(self, run: Run, started: float, seconds: float, stop, report: dict):
        while not stop.is_set() and not run.done(2 / 3, started, seconds):
            time.sleep(0.05)
        if stop.is_set():
            return
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        report.update(
            job_worker_killed=self.process.pid,
            job_at_request=len(run.samples),
            job_at=time.monotonic() - started,
        )
        self.process = self._start()

    def stop(self) -> None:
        served_app.stop(self.process, timeout=20)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def last_acknowledged(kind: str, keys: list[str]) -> list[str]:
    """The keys that must be in the database: all, or for a `LAST_WINS` kind the last
    acknowledged one per object (the list is in acknowledgement order)."""
    if kind not in LAST_WINS:
        return keys
    last = {LAST_WINS[kind](key): key for key in keys}
    return list(last.values())


def missing_writes(url: str, writes: dict[str, list[str]]) -> dict[str, list[str]]:
    missing = {}
    with psycopg.connect(libpq(url)) as conn:
        for kind, keys in writes.items():
            wanted = last_acknowledged(kind, keys)
            found = {row[0] for row in conn.execute(WRITE_CHECKS[kind], (wanted,))}
            missing[kind] = [k for k in wanted if k not in found]
    return missing


def missing_mails(url: str, writes: dict[str, list[str]]) -> dict[str, list[str]]:
    missing = {}
    with psycopg.connect(libpq(url)) as conn:
        for kind, sql in MAIL_CHECKS.items():
            keys = writes.get(kind, [])
            found = {row[0] for row in conn.execute(sql, (keys,))} if keys else set()
            missing[kind] = [k for k in keys if k not in found]
    return missing


def drain_outbox(url: str, seconds: float) -> dict[str, int]:
    """Wait until no mail is pending or being sent; the count per status."""
    deadline = time.monotonic() + seconds
    while True:
        with psycopg.connect(libpq(url)) as conn:
            rows = conn.execute("SELECT status, count(*) FROM mail_outbox GROUP BY status")
            counts = dict(rows.fetchall())
        if not (counts.get("pending") or counts.get("sending")) or time.monotonic() > deadline:
            return counts
        time.sleep(0.5)


def unsearchable(url: str, context: Context, approved: list[str]) -> list[str]:
    """Approved needs that /search does not list by their title (after the queue drained)."""
    from loadtest_actions import Visitor as Client

    with psycopg.connect(libpq(url)) as conn:
        rows = conn.execute(
            "SELECT id::text, title FROM needs WHERE id::text = ANY(%s)", (approved,)
        )
        titles = dict(rows.fetchall())
    client = Client(context, lambda sample: True, lambda kind, key: None)
    gone = []
    for need_id in approved:
        page = client.get(f"/search?q={quote(titles.get(need_id, '?'))}")
        if f'href="/needs/{need_id}"' not in page:
            gone.append(need_id)
    return gone


def mail_report(url: str, sink: SmtpSink) -> tuple[int, int, int]:
    """(outbox mails, never received, received more than once) for the mails marked sent."""
    with psycopg.connect(libpq(url)) as conn:
        rows = conn.execute("SELECT message_id FROM mail_outbox WHERE status = 'sent'")
        sent = {row[0] for row in rows}
    received = sink.message_ids()
    never = len(sent - set(received))
    twice = sum(1 for count in received.values() if count > 1)
    return len(sent), never, twice


def print_report(run: Run, elapsed: float, kill: dict, master: int, missing: dict) -> None:
    by_action: dict[str, list[Sample]] = defaultdict(list)
    for sample in run.samples:
        by_action[sample.action].append(sample)
    print(f"\n{'action':<24}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p99 ms':>9}")
    for name, samples in sorted(by_action.items()):
        times = [s.seconds * 1000 for s in samples]
        errors = sum(1 for s in samples if s.error)
        print(
            f"{name:<24}{len(samples):>9}{errors:>8}{percentile(times, 0.5):>9.1f}{percentile(times, 0.99):>9.1f}"
        )
    times = [s.seconds * 1000 for s in run.samples]
    errors = Counter(s.error for s in run.samples if s.error)
    print(
        f"\nrequests: {len(run.samples)} in {elapsed:.1f} s = {len(run.samples) / elapsed:.1f} req/s"
    )
    print(f"latency: p50 {percentile(times, 0.5):.1f} ms, p99 {percentile(times, 0.99):.1f} ms")
    print(f"errors: {sum(errors.values())} {dict(errors) if errors else ''}")
    if kill:
        now = worker_pids(master)
        print(
            f"killed worker {kill['killed']} (SIGKILL) after {kill['at_request']} requests "
            f"({kill['at']:.1f} s); "
            f"workers before {kill['before']}, after {now}"
        )
    if "job_worker_killed" in kill:
        print(
            f"killed the job worker {kill['job_worker_killed']} (SIGKILL) after "
            f"{kill['job_at_request']} requests ({kill['job_at']:.1f} s); a new one was started"
        )
    lags = [lag for lag in run.lags if lag is not None]
    if run.lags:
        print(
            f"index lag (approval answered -> listed by /search): {len(lags)} of {len(run.lags)} "
            f"seen, p50 {percentile(lags, 0.5):.2f} s, max {max(lags, default=0):.2f} s "
            f"(bound {INDEX_LAG_BOUND:.0f} s)"
        )
    for lag, at in zip(run.lags, run.lag_at, strict=True):
        if lag is None or lag > INDEX_LAG_BOUND:
            seen = "never seen" if lag is None else f"{lag:.2f} s"
            print(f"  over the bound: {seen}, approval answered at {at:.1f} s of the run")


def stage() -> int:
    """`--stage`: run in the scratch app's environment by `stage_competitions`."""
    from loadtest_actions import stage_competitions

    from wsgi import app

    with app.app_context():
        stage_competitions()
    return 0


def main() -> int:
    if sys.argv[1:] == ["--stage"]:
        return stage()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("LOADTEST_DATABASE_URL", DEFAULT_URL)
    )
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-kill", action="store_true")
    parser.add_argument("--only", help="comma-separated action names (default: the whole mix)")
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="loadtest-")
    sink = SmtpSink(served_app.free_port()).start()
    env = served_app.scratch_env(
        Path(instance),
        args.database_url,
        RATELIMIT_ENABLED="false",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(sink.port),
        MAIL_CLAIM_SECONDS="15",
        MAIL_RETRY_SECONDS="2",
    )
    print(f"loadtest: preparing {make_url(args.database_url).render_as_string()} …", flush=True)
    prepare_database(args.database_url, env)
    stage_competitions(env)
    data = demo_data(args.database_url)
    port = served_app.free_port()
    log = Path(instance) / "gunicorn.log"
    worker = JobWorker(env, Path(instance))
    try:
        server = served_app.start_gunicorn(env, port, log, workers=args.workers)
        try:
            return drive(args, server, worker, port, data, sink)
        finally:
            served_app.stop(server, timeout=20)
    finally:
        worker.stop()
        sink.stop()


def drive(args, server, worker: JobWorker, port: int, data: dict[str, list], sink) -> int:
    print(
        f"loadtest: gunicorn pid {server.pid}, workers {worker_pids(server.pid)}, port {port}; "
        f"{args.clients} clients, at most {args.requests} requests / {args.seconds:.0f} s",
        flush=True,
    )
    context = Context("127.0.0.1", port, PASSWORD, data)
    run = Run(args.requests, args.seconds)
    kill: dict = {}
    started = time.monotonic()
    wanted = set(args.only.split(",")) if args.only else {a.name for a in ACTIONS}
    actions = [a for a in ACTIONS if a.name in wanted]
    if not actions:
        sys.exit(f"loadtest: no action named {sorted(wanted)}; have {[a.name for a in ACTIONS]}")
    threads = [
        threading.Thread(target=visitor_loop, args=(context, run, actions, n))
        for n in range(args.clients)
    ]
    if not args.no_kill:
        killer = (server.pid, run, started, args.seconds, context.stop, kill)
        threads.append(threading.Thread(target=kill_one_worker, args=killer))
        job_killer = (run, started, args.seconds, context.stop, kill)
        threads.append(threading.Thread(target=worker.restart_killed, args=job_killer))
    for thread in threads:
        thread.start()
    for thread in threads[: args.clients]:
        thread.join()
    context.stop.set()
    for thread in threads[args.clients :]:
        thread.join()
    elapsed = time.monotonic() - started
    missing = missing_writes(args.database_url, run.writes)
    print_report(run, elapsed, kill, server.pid, missing)
    print(f"load average (1, 5, 15 min): {os.getloadavg()}")
    outbox = drain_outbox(args.database_url, OUTBOX_DRAIN_SECONDS)
    context.stop.clear()
    gone = unsearchable(args.database_url, context, run.writes.get("approvals", []))
    mails = missing_mails(args.database_url, run.writes)
    print_writes(run, missing, mails, gone)
    sent, never, twice = mail_report(args.database_url, sink)
    print(
        f"outbox after the run: {outbox}; sent mails {sent}, never received {never}, "
        f"received twice or more {twice}; SMTP server got {sink.count()} messages"
    )
    lost = sum(len(keys) for keys in missing.values()) + sum(len(k) for k in mails.values())
    waiting = outbox.get("pending", 0) + outbox.get("sending", 0)
    return 1 if lost or gone or never or twice or waiting else 0


def print_writes(run: Run, missing: dict, mails: dict, gone: list[str]) -> None:
    print(
        f"\n{'write':<26}{'acknowledged':>13}{'checked':>8}{'lost':>6}{'no mail':>9}"
        f"{'not searchable':>16}"
    )
    for kind, keys in sorted(run.writes.items()):
        checked = len(last_acknowledged(kind, keys))
        no_mail = len(mails[kind]) if kind in mails else "-"
        searchable = len(gone) if kind == "approvals" else "-"
        print(
            f"{kind:<26}{len(keys):>13}{checked:>8}{len(missing[kind]):>6}{no_mail!s:>9}"
            f"{searchable!s:>16}"
        )


if __name__ == "__main__":
    sys.exit(main())
