"""`make loadtest`: a bounded load run against gunicorn on PostgreSQL, with a worker killed.

    python scripts/loadtest.py [--requests 3000] [--seconds 60] [--clients 8] [--no-kill]

1. (Re)creates the scratch database (`loadtest` by default; its name must contain
   "loadtest"), upgrades it by migrations, loads the taxonomy and the demo district.
2. Serves the app with gunicorn (2 workers) on 127.0.0.1 and a free port, with the rate
   limiter off (every visitor comes from the same loopback address).
3. Drives the weighted mix of `loadtest_actions.ACTIONS` (or `--only` some of them) from
   threads of this process, stopping after `--requests` requests or `--seconds` seconds
   (whichever comes first), and SIGKILLs one worker half-way.
4. Prints requests/s, p50/p99 latency and errors per action, whether gunicorn replaced the
   worker, and the writes the clients saw acknowledged that are missing from the database
   (must be 0: exit status 1 otherwise).
Loopback only; nothing is left running.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from loadtest_actions import (  # noqa: E402
    ACTIONS,
    DEMO_QUERIES,
    WRITE_CHECKS,
    Action,
    Context,
    RequestFailed,
    Sample,
    Visitor,
)
from sqlalchemy.engine import make_url  # noqa: E402

from scripts import served_app  # noqa: E402

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

    def record(self, sample: Sample) -> bool:
        with self.lock:
            self.samples.append(sample)
            return len(self.samples) < self.max_requests and time.monotonic() < self.deadline

    def acknowledge(self, kind: str, key: str) -> None:
        with self.lock:
            self.writes[kind].append(key)

    def half_done(self, started: float, seconds: float) -> bool:
        return (
            len(self.samples) >= self.max_requests / 2 or time.monotonic() - started >= seconds / 2
        )


def visitor_loop(context: Context, run: Run, actions: list[Action], seed: int) -> None:
    rng = random.Random(seed)
    visitor = Visitor(context, run.record, run.acknowledge)
    weights = [a.weight for a in actions]
    while not context.stop.is_set() and time.monotonic() < run.deadline:
        action = rng.choices(actions, weights)[0]
        visitor.fresh(action.name)
        with contextlib.suppress(RequestFailed):  # recorded as an error sample already
            action.run(visitor)


def kill_one_worker(
    master: int, run: Run, started: float, seconds: float, stop, report: dict
) -> None:
    while not stop.is_set() and not run.half_done(started, seconds):
        time.sleep(0.05)
    pids = worker_pids(master)
    if stop.is_set() or not pids:
        return
    victim = pids[0]
    os.kill(victim, signal.SIGKILL)
    report.update(killed=victim, at_request=len(run.samples), before=pids)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def missing_writes(url: str, writes: dict[str, list[str]]) -> dict[str, list[str]]:
    missing = {}
    with psycopg.connect(libpq(url)) as conn:
        for kind, keys in writes.items():
            found = {row[0] for row in conn.execute(WRITE_CHECKS[kind], (keys,))}
            missing[kind] = [k for k in keys if k not in found]
    return missing


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
            f"killed worker {kill['killed']} (SIGKILL) after {kill['at_request']} requests; "
            f"workers before {kill['before']}, after {now}"
        )
    for kind, keys in run.writes.items():
        print(
            f"writes acknowledged ({kind}): {len(keys)}; missing from the database: {len(missing[kind])}"
        )


def main() -> int:
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
    env = served_app.scratch_env(Path(instance), args.database_url, RATELIMIT_ENABLED="false")
    print(f"loadtest: preparing {make_url(args.database_url).render_as_string()} …", flush=True)
    prepare_database(args.database_url, env)
    data = demo_data(args.database_url)
    port = served_app.free_port()
    log = Path(instance) / "gunicorn.log"
    server = served_app.start_gunicorn(env, port, log, workers=args.workers)
    try:
        return drive(args, server, port, data)
    finally:
        served_app.stop(server, timeout=20)


def drive(args, server, port: int, data: dict[str, list]) -> int:
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
    lost = sum(len(keys) for keys in missing.values())
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
