"""What every benchmark prints for `make bench`'s summary: one machine-readable line each.

`emit("matching", {...})` prints `BENCH-RESULT {"bench": "matching", ...}` on stdout after the
benchmark's own table; `tests/bench/run_all.py` collects these lines (it never parses tables).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "BENCH-RESULT "


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def emit(bench: str, figures: dict) -> None:
    print(PREFIX + json.dumps({"bench": bench, **figures}, ensure_ascii=False), flush=True)


def parse(line: str) -> dict | None:
    return json.loads(line[len(PREFIX) :]) if line.startswith(PREFIX) else None
