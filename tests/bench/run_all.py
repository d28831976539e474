"""`make bench`: every `tests/bench/bench_*.py` in turn (each prints its own detail table),
then ONE summary table of every figure, with the machine's core count, the commit and the
load average, so runs can be compared. The figures come from each benchmark's
`BENCH-RESULT` JSON line (tests/bench/report.py), never from its printed table.

    .venv/bin/python tests/bench/run_all.py [--only pages,matching] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.report import git_commit, parse  # noqa: E402

HERE = Path(__file__).resolve().parent
PAGE_TARGET_RPS = 300


def run(script: Path) -> list[dict]:
    """Run one benchmark, echoing its output, and return its result lines."""
    print(f"== {script.relative_to(ROOT)}", flush=True)
    found = []
    with subprocess.Popen(
        [sys.executable, str(script)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    ) as proc:
        for line in proc.stdout:
            result = parse(line)
            if result is not None:
                found.append(result)
            else:
                print(line, end="", flush=True)
    if proc.returncode != 0:
        sys.exit(f"{script.name} failed with exit status {proc.returncode}")
    return found


def _ms(p50: float, p99: float) -> str:
    return f"{p50:.1f} / {p99:.1f}"


def matching_rows(r: dict) -> list[tuple[str, str]]:
    rows = []
    for size in r["sizes"]:
        n = f"{size['n']:.0e}".replace("e+0", "e")
        rows += [
            (f"match latency, stored need, {n} offerings ({size['dense_index']}), p50 / p99 ms",
             _ms(size["stored_p50_ms"], size["stored_p99_ms"])),
            (f"match latency, free text, {n} offerings, p50 / p99 ms",
             _ms(size["free_p50_ms"], size["free_p99_ms"])),
            (f"index build from stored vectors, {n} offerings, s", f"{size['build_s']:.1f}"),
            (f"index memory (RSS delta), {n} offerings, MB", f"{size['memory_mb']:.0f}"),
        ]  # fmt: skip
    rows.append(("free-text encoder of the matching benchmark", r["encoder"]))
    return rows


def encoder_rows(r: dict) -> list[tuple[str, str]]:
    rows = []
    for kind, e in r.items():
        if kind == "bench":
            continue
        rows.append(
            (f"encoding throughput, {e['label']}, texts/s (one text p50 / p99 ms)",
             f"{e['texts_per_s']:.1f} ({_ms(e['p50_ms'], e['p99_ms'])})")
        )  # fmt: skip
    return rows


def pages_rows(r: dict) -> list[tuple[str, str]]:
    rows = []
    for name, p in r["pages"].items():
        mark = "" if "uncached" in name else (" ✓" if p["rps"] >= PAGE_TARGET_RPS else " ✗")
        rows.append(
            (f"page {name} ({p['path']}), requests/s (p50 / p99 ms)",
             f"{p['rps']:.0f}{mark} ({_ms(p['p50_ms'], p['p99_ms'])}), {p['errors']} errors")
        )  # fmt: skip
    rows.append(
        (f"gunicorn workers' memory (RSS) after the page runs, MB ({r['database']})",
         " / ".join(f"{m:.0f}" for m in r["worker_rss_mb"]))
    )  # fmt: skip
    return rows


def search_load_rows(r: dict) -> list[tuple[str, str]]:
    beside = "beside a CPU-bound process" if r["burner"] else "idle"
    rows = [
        (f"matching pages under load: gunicorn {r['workers']} workers, {r['clients']} clients, "
         f"{beside}; boot until /healthz, s", f"{r['boot_s']:.1f}"),
        ("first /search requests after boot, max ms (target ≤ 1000)",
         f"{max(r['first_ms']):.0f}" + (" ✓" if max(r["first_ms"]) <= 1000 else " ✗")),
    ]  # fmt: skip
    targets = {"search": (150, 600), "long need": (300, None)}
    for name, p in r["pages"].items():
        mark = ""
        if name in targets:
            p50, p99 = targets[name]
            mark = " ✓" if p["p50_ms"] <= p50 and (p99 is None or p["p99_ms"] <= p99) else " ✗"
        rows.append(
            (f"under load: {name} ({p['path'][:30]}), requests/s (p50 / p99 ms), load average",
             f"{p['rps']:.1f} ({_ms(p['p50_ms'], p['p99_ms'])}){mark}, {p['errors']} errors, "
             f"load {p['load_1min']:.2f}")
        )  # fmt: skip
    return rows


def matchdays_rows(r: dict) -> list[tuple[str, str]]:
    mark = "✓" if r["target_met"] else "✗"
    return [
        (
            "matchday schedule 60×80×12×20 (solver vs greedy)",
            f"{r['solver_value']} vs {r['greedy_value']} ({r['gain_percent']:+.1f}%), {r['status']},"
            f" {r['seconds']:.1f} s {mark}",
        )
    ]


def scale_rows(r: dict) -> list[tuple[str, str]]:
    rows = []
    for run in r["runs"]:
        size = f"{run['scale']}× ({run['needs']} needs / {run['offerings']} offerings)"
        for name, p in run["pages"].items():
            rows.append(
                (f"{size}: {name} ({p['path'][:40]}), p50 / max ms, load average",
                 f"{_ms(p['p50_ms'], p['max_ms'])}, {p['errors']} errors, "
                 f"load {p['load_1min']:.2f}")
            )  # fmt: skip
        rows.append((f"{size}: gaps, first visit (computes and stores), ms",
                     f"{run['gaps_first_ms']:.0f}"))  # fmt: skip
        rows.append((f"{size}: rebuild encoding every text (real encoder), s",
                     f"{run['encode_s']:.0f} ({run['encoded']} texts)"))  # fmt: skip
        rows.append((f"{size}: rebuild with nothing to encode, s (version kept)",
                     f"{run['rebuild_unchanged_s']:.1f} ({run['version_kept']})"))  # fmt: skip
    return rows


ROWS = {
    "matchdays": matchdays_rows,
    "scale": scale_rows,
    "matching": matching_rows,
    "encoder": encoder_rows,
    "pages": pages_rows,
    "search_load": search_load_rows,
}


def print_summary(results: list[dict], load_before: float, seconds: float) -> None:
    load = os.getloadavg()
    print()
    print("== summary")
    print(
        f"commit {git_commit()} · {os.cpu_count()} cores · load average before {load_before:.2f}, "
        f"after {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1/5/15 min) · {seconds:.0f} s · "
        f"page target ≥ {PAGE_TARGET_RPS} requests/s (✓/✗)"
    )
    print("| figure | value |")
    print("|---|---|")
    for result in results:
        for label, value in ROWS[result["bench"]](result):
            print(f"| {label} | {value} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--only", help="comma-separated names: matching,encoder,pages,search_load,scale,matchdays"
    )
    parser.add_argument("--json", help="also write every result line to this file")
    args = parser.parse_args()
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        wanted = {f"bench_{name.strip()}.py" for name in args.only.split(",")}
        scripts = [s for s in scripts if s.name in wanted]
    load_before, started = os.getloadavg()[0], time.monotonic()
    results = [r for script in scripts for r in run(script)]
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print_summary(results, load_before, time.monotonic() - started)


if __name__ == "__main__":
    main()
