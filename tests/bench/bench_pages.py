"""Page throughput (run by `make bench`; prints a table and a BENCH-RESULT line; not a test).

The real stack as `make loadtest` builds it (scratch database by migrations, taxonomy, demo
district; PostgreSQL when it answers on 127.0.0.1:5432, else a SQLite file), served by
gunicorn with `gunicorn.conf.py` (2 workers) on loopback. A second process drives each page
with `--clients` threads for `--seconds` after a warm-up, anonymous visitors:

- listing: the needs hall `/needs/` (first page, no filter)
- need: a published public need `/needs/<id>`

each twice: as served (anonymous pages come from the worker's page cache while the content is
unchanged, matchmaker/pagecache.py) and rendered every time (a query string no one asked
before, so the cache misses: the cost of the view, its queries and its template). Reports
requests/s, p50/p99 latency, errors and the workers' memory (RSS) after the run. Target: ≥ 300 requests/s for each on
2 cores with the load generator on the same machine (so the figure includes its cost).

    .venv/bin/python tests/bench/bench_pages.py [--seconds 15] [--clients 8] [--sqlite]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import numpy as np  # noqa: E402

from scripts import served_app  # noqa: E402
from tests.bench.report import emit  # noqa: E402

PG_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/loadtest_bench"
)
PAGES = ("listing", "need")
UNCACHED = "?miss="


def drive(port: int, path: str, seconds: float, clients: int) -> dict:
    """Client mode (its own process): `clients` threads GET `path` until `seconds` pass.
    A path ending in `?miss=` gets a new number each time (never served from a cache)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    counter = itertools.count()
    deadline = time.monotonic() + seconds

    def loop() -> None:
        mine, failed = [], 0
        while time.monotonic() < deadline:
            target = f"{path}{next(counter)}" if path.endswith("miss=") else path
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", target)
                response = conn.getresponse()
                response.read()
                conn.close()
                ok = response.status == 200
            except OSError:
                ok = False
            if ok:
                mine.append(time.perf_counter() - start)
            else:
                failed += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.monotonic()
    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    ms = np.array(latencies or [0.0]) * 1000
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "rps": len(latencies) / elapsed,
        "p50_ms": float(np.percentile(ms, 50)),
        "p99_ms": float(np.percentile(ms, 99)),
    }


def run_client(port: int, path: str, seconds: float, clients: int) -> dict:
    command = [sys.executable, __file__, "--client", str(port), path, str(seconds), str(clients)]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def prepare(use_sqlite: bool, folder: Path) -> tuple[dict[str, str], str]:
    import loadtest

    env = served_app.scratch_env(folder, RATELIMIT_ENABLED="false")
    if use_sqlite:
        env["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
        for args in (["db", "upgrade"], ["taxonomy", "load"], ["demo", "load"]):
            served_app.flask(args, env)
        return env, "SQLite"
    env["DATABASE_URL"] = PG_URL
    loadtest.prepare_database(PG_URL, env)
    return env, "PostgreSQL"


def need_path(env: dict[str, str]) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as conn:
        need_id = conn.execute(
            text(
                "SELECT id FROM needs WHERE status = 'published' AND confidentiality = 'public' "
                "ORDER BY id LIMIT 1"
            )
        ).scalar_one()
    engine.dispose()
    return f"/needs/{need_id}"


def pg_available() -> bool:
    result = subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False)
    return result.returncode == 0


def main() -> None:

    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10, help="per page and mode")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sqlite", action="store_true", help="SQLite even if PostgreSQL answers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env, database = prepare(args.sqlite or not pg_available(), Path(tmp))
        paths = {"listing": "/needs/", "need": need_path(env)}
        port = served_app.free_port()
        log = Path(tmp) / "gunicorn.log"
        server = served_app.start_gunicorn(env, port, log, workers=args.workers)
        try:
            results = {}
            for name in PAGES:
                for label, path in (
                    (name, paths[name]),
                    (f"{name} uncached", paths[name] + UNCACHED),
                ):
                    run_client(port, path, 2, args.clients)  # warm-up
                    results[label] = {"path": path} | run_client(
                        port, path, args.seconds, args.clients
                    )
            memory = workers_rss_mb(server.pid)
        finally:
            served_app.stop(server)
    print_table(results, database, args)
    print(f"worker memory after the run (RSS, MB): {' / '.join(f'{m:.0f}' for m in memory)}")
    emit("pages", {"database": database, "workers": args.workers, "clients": args.clients,
                   "seconds": args.seconds, "pages": results, "worker_rss_mb": memory})  # fmt: skip


def workers_rss_mb(master: int) -> list[float]:
    import loadtest

    sizes = []
    for pid in loadtest.worker_pids(master):
        status = Path(f"/proc/{pid}/status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
        sizes.append(kb / 1024)
    return sizes


def print_table(results: dict, database: str, args) -> None:
    print(
        f"gunicorn {args.workers} workers on {database}, {args.clients} client threads in a "
        f"second process on loopback, {args.seconds:g} s per page and mode"
    )
    print("| page | path | requests/s | p50 ms | p99 ms | requests | errors |")
    print("|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(
            f"| {name} | {r['path']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} "
            f"| {r['requests']} | {r['errors']} |"
        )


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--client":
        _, _, port, path, seconds, clients = sys.argv
        print(json.dumps(drive(int(port), path, float(seconds), int(clients))))
    else:
        main()
