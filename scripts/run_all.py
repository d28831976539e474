"""`make serve`: gunicorn and the job queue's worker as one command (a tiny supervisor).

    python scripts/run_all.py --bind 127.0.0.1:8000 --workers 2

Starts `gunicorn wsgi:app` and `flask --app wsgi jobs worker` as children. Ctrl-C or SIGTERM
stops both; if either exits on its own, the other is stopped too and this script exits with
its status, so that a service manager restarts the pair. In production run them as two
services instead (README: "Processes"), e.g. `make web` and `make worker`.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def commands(bind: str, workers: int, threads: int) -> dict[str, list[str]]:
    python = sys.executable
    return {
        "web": [
            python,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            bind,
            "--access-logfile",
            "-",
            "wsgi:app",
        ],
        "worker": [
            python,
            "-m",
            "flask",
            "--app",
            "wsgi",
            "jobs",
            "worker",
            "--workers",
            str(threads),
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bind", default="127.0.0.1:8000")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=2, help="job worker threads")
    args = parser.parse_args()
    children = {
        name: subprocess.Popen(command, cwd=ROOT)
        for name, command in commands(args.bind, args.workers, args.threads).items()
    }
    stopping = False

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    status = 0
    while not stopping:
        exited = {name: child.poll() for name, child in children.items()}
        dead = {name: code for name, code in exited.items() if code is not None}
        if dead:
            name, status = next(iter(dead.items()))
            print(f"run_all: {name} exited with {status}; stopping the rest", file=sys.stderr)
            break
        time.sleep(0.5)
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    for child in children.values():
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
    return status or 0


if __name__ == "__main__":
    sys.exit(main())
