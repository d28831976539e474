"""The organiser console at 1×, 10× and 50× the demo (run by `make bench`; prints a table and a
BENCH-RESULT line; not a test).

For each scale: a scratch SQLite database by migrations, the taxonomy and the demo district
(loaded without the model), then (scale − 1) copies of every published demo need and offering
made through the services (`needs.services.create_need` + `approval.approve_need`,
`solvers.offerings.create_offering` + `approval.submit_offering` / `approve_offering`), each copy's
title numbered. `flask search rebuild` then encodes every text with the real encoder (its time
is stated), and is run a second time with nothing to encode (it must keep the index version).
gunicorn (2 workers, `gunicorn.conf.py`) serves it; one client, logged in as the organiser,
GETs each page `--requests` times after one warm-up request and reports the median and the
worst. The first visit of /console/gaps, which computes and stores the figures when the
background job has not yet run, is reported apart (`gaps, first visit`). After the server has
stopped, the two heavy computations behind the console are timed in one process of their own
(index loaded first): the gap figures (`gaps.refresh`: compute and store) and the duplicate
clusters (`service.scored_duplicate_clusters`). The load average is printed beside every row,
and the targets below the table.

    .venv/bin/python tests/bench/bench_scale.py [--scales 1,10,50] [--requests 10]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

import numpy as np  # noqa: E402

from scripts import served_app  # noqa: E402
from tests.bench.report import emit  # noqa: E402

PASSWORD = "scale-demo-pass-1"
ORGANISER = "organiser@demo.matchmaker.local"
TARGET_MS = 300  # every page at 50×, p50
EXPORT_TARGET_MS = 1000

MULTIPLY = """
import sys
from sqlalchemy import select
from matchmaker import create_app
from matchmaker.accounts.models import User
from matchmaker.extensions import db
from matchmaker.needs import approval, services
from matchmaker.needs.models import Need
from matchmaker.solvers import lifecycle
from matchmaker.solvers.models import Offering
from matchmaker.solvers.offerings import OfferingData, create_offering

FIELDS = ("industry_id", "category_id", "template_id", "other_description", "goal", "pain_point",
          "current_process", "data_sources", "data_volume", "data_labelled", "data_description",
          "budget_min", "budget_max", "vouchers", "delivery_months", "delivery_date", "town",
          "constraints", "constraints_note", "confidentiality")
copies = int(sys.argv[1])
app = create_app()
with app.app_context():
    organiser = db.session.scalar(select(User).where(User.email == sys.argv[2]))
    needs = list(db.session.scalars(select(Need).where(Need.status == "published")))
    offerings = list(db.session.scalars(select(Offering).where(Offering.status == "published")))
    made = 0
    for copy in range(2, copies + 1):
        for need in needs:
            author = need.owner.members[0]
            fields = {name: getattr(need, name) for name in FIELDS}
            fields["title"] = f"{need.title}（第{copy}批）"[:200]
            kpis = [dict(indicator=k.indicator, baseline=k.baseline, target=k.target,
                         unit=k.unit, direction=k.direction) for k in need.kpis]
            created = services.create_need(author, fields, kpis, submit=True)
            approval.approve_need(organiser, created, "")
            made += 1
        for offering in offerings:
            member = offering.organisation.members[0]
            data = OfferingData(
                title=f"{offering.title}（第{copy}批）"[:200], summary=offering.summary,
                description=offering.description,
                deployment_modes=list(getattr(offering, "deployment_modes", None) or []),
                template_ids=[t.id for t in offering.templates],
                kpis=[], price_min=offering.price_min, price_max=offering.price_max,
                delivery_weeks=offering.delivery_weeks, references_text=offering.references_text,
            )
            created = create_offering(member, data)
            lifecycle.submit_offering(member, created)
            lifecycle.approve_offering(organiser, created)
            made += 1
    print(made, len(needs) * copies, len(offerings) * copies)
"""


STEPS = """
import json, os, time
from matchmaker import create_app
from matchmaker.dashboard import gaps
from matchmaker.search.app import service
app = create_app()
with app.app_context():
    service.get_holder().ensure_fresh()
    out = {}
    for name, call in (("gaps_refresh", gaps.refresh),
                       ("duplicate_clusters", service.scored_duplicate_clusters)):
        started = time.perf_counter()
        result = call()
        out[name] = {"s": time.perf_counter() - started, "load": os.getloadavg()[0]}
    out["clusters"] = len(result)
    print(json.dumps(out))
"""


def prepare(folder: Path, scale: int, model_dir: str) -> tuple[dict[str, str], dict]:
    env = served_app.scratch_env(
        folder, RATELIMIT_ENABLED="false", SEARCH_MODEL_DIR=model_dir, PAGE_CACHE_SECONDS="0"
    )
    env.pop("SEARCH_THREADS", None)
    env["DATABASE_URL"] = f"sqlite:///{folder / 'scale.sqlite3'}"
    no_model = env | {"SEARCH_MODEL_DIR": str(folder / "no-model")}
    for args in (["db", "upgrade"], ["taxonomy", "load"], ["demo", "load", "--password", PASSWORD]):
        served_app.flask(args, no_model)
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-c", MULTIPLY, str(scale), ORGANISER],
        cwd=ROOT, env=no_model, capture_output=True, text=True, check=True,
    )  # fmt: skip
    _, needs, offerings = (int(x) for x in out.stdout.split()[-3:])
    facts = {"needs": needs, "offerings": offerings, "copy_s": time.monotonic() - started}
    started = time.monotonic()
    first = served_app.flask(["search", "rebuild"], env)
    facts["encode_s"] = time.monotonic() - started
    facts["encoded"] = int(re.search(r"(\d+) encoded", first).group(1))
    version = _version(env)
    started = time.monotonic()
    again = served_app.flask(["search", "rebuild"], env)
    facts["rebuild_unchanged_s"] = time.monotonic() - started
    facts["rebuild_unchanged"] = again.strip().splitlines()[-1]
    facts["version_kept"] = _version(env) == version
    return env, facts


def _version(env: dict[str, str]) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as conn:
        found = conn.execute(text("SELECT version FROM search_index_state WHERE id = 1"))
        version = int(found.scalar() or 0)
    engine.dispose()
    return version


def _ids(env: dict[str, str]) -> tuple[int, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as conn:
        need = conn.execute(
            text("SELECT min(id) FROM needs WHERE status = 'published'")
        ).scalar_one()
        offering = conn.execute(
            text("SELECT min(id) FROM offerings WHERE status = 'published'")
        ).scalar_one()
    engine.dispose()
    return need, offering


def pages(need_id: int) -> dict[str, str]:
    return {
        "gaps": "/console/gaps",
        "duplicates": "/console/duplicates",
        "duplicates page 2": "/console/duplicates?page=2",
        "needs.xlsx": "/console/exports/needs.xlsx",
        "needs.csv": "/console/exports/needs.csv",
        "offerings.xlsx": "/console/exports/offerings.xlsx",
        "console": "/console",
        "hall": "/needs/",
        "need": f"/needs/{need_id}",
        "search": "/search?q=%E5%9D%AF%E5%B8%83%E7%96%B5%E7%82%B9%E6%A3%80%E6%B5%8B",
        "review queue": "/needs/review",
        "rounds console": "/rounds/console",
    }


def measure(port: int, cookie: str, path: str, requests: int) -> dict:
    from bench_search_load import _request

    times, sizes, errors = [], [], 0
    _request(port, path, cookie)  # warm-up
    for _ in range(requests):
        start = time.perf_counter()
        response, body = _request(port, path, cookie)
        times.append((time.perf_counter() - start) * 1000)
        sizes.append(len(body))
        errors += response.status != 200
    return {
        "path": path,
        "p50_ms": float(np.median(times)),
        "max_ms": float(max(times)),
        "kb": float(np.median(sizes)) / 1024,
        "errors": errors,
        "load_1min": os.getloadavg()[0],
    }


def run_scale(scale: int, requests: int, model_dir: str) -> dict:
    from bench_search_load import _request, log_in

    with tempfile.TemporaryDirectory() as tmp:
        env, facts = prepare(Path(tmp), scale, model_dir)
        need_id, _ = _ids(env)
        port, log = served_app.free_port(), Path(tmp) / "gunicorn.log"
        server = served_app.start_gunicorn(env, port, log, workers=2, startup_seconds=300)
        try:
            import bench_search_load

            bench_search_load.PASSWORD = PASSWORD
            cookie = log_in(port, ORGANISER)
            start = time.perf_counter()
            response, _ = _request(port, "/console/gaps", cookie)
            facts["gaps_first_ms"] = (time.perf_counter() - start) * 1000
            results = {
                name: measure(port, cookie, path, requests) for name, path in pages(need_id).items()
            }
        finally:
            served_app.stop(server)
        out = subprocess.run(
            [sys.executable, "-c", STEPS], cwd=ROOT, env=env, capture_output=True, text=True,
            check=True,
        )  # fmt: skip
        facts["steps"] = json.loads(out.stdout.strip().splitlines()[-1])
    return {"scale": scale, **facts, "pages": results}


def print_table(runs: list[dict]) -> None:
    scales = [r["scale"] for r in runs]
    print()
    print("| page | " + " | ".join(f"{s}× ({r['needs']} / {r['offerings']})"
                                    for s, r in zip(scales, runs, strict=True)) + " |")  # fmt: skip
    print("|---|" + "---|" * len(runs))
    for name in runs[0]["pages"]:
        cells = []
        for r in runs:
            p = r["pages"][name]
            limit = EXPORT_TARGET_MS if "." in name else TARGET_MS
            mark = (" ✓" if p["p50_ms"] <= limit else " ✗") if r["scale"] >= 50 else ""
            cells.append(f"{p['p50_ms']:.0f} ms (max {p['max_ms']:.0f}, {p['kb']:.0f} KB, "
                         f"load {p['load_1min']:.2f}){mark}")  # fmt: skip
        print(f"| `{runs[0]['pages'][name]['path']}` | " + " | ".join(cells) + " |")
    rows = (
        ("gaps, first visit (computes and stores)", lambda r: f"{r['gaps_first_ms']:.0f} ms"),
        ("gap figures computed and stored (`gaps.refresh`, in-process)",
         lambda r: _step(r, "gaps_refresh")),
        ("duplicate clusters computed (`scored_duplicate_clusters`, in-process)",
         lambda r: _step(r, "duplicate_clusters") + f", {r['steps']['clusters']} clusters"),
        ("copies made through the services", lambda r: f"{r['copy_s']:.0f} s"),
        ("`flask search rebuild`, encoding (real encoder)",
         lambda r: f"{r['encode_s']:.0f} s, {r['encoded']} texts"),
        ("`flask search rebuild` with nothing to encode",
         lambda r: f"{r['rebuild_unchanged_s']:.1f} s, version kept: "
                   f"{'yes' if r['version_kept'] else 'NO'}"),
    )  # fmt: skip
    for label, cell in rows:
        print(f"| {label} | " + " | ".join(cell(r) for r in runs) + " |")
    print(f"\n{os.cpu_count()} cores, load average now {os.getloadavg()[0]:.2f}")
    print_targets(runs)


def _step(run: dict, name: str) -> str:
    step = run["steps"][name]
    return f"{step['s'] * 1000:.0f} ms (load {step['load']:.2f})"


def print_targets(runs: list[dict]) -> None:
    """The issue's targets at 50× on 2 cores, and which pages miss them."""
    print(f"\nTargets at 50× on 2 cores: every page ≤ {TARGET_MS} ms p50, exports ≤ "
          f"{EXPORT_TARGET_MS / 1000:.0f} s for 3,000 rows, no page whose time grows faster "
          "than its data.")  # fmt: skip
    big = [r for r in runs if r["scale"] >= 50]
    for run in big:
        missed = [
            name for name, p in run["pages"].items()
            if p["p50_ms"] > (EXPORT_TARGET_MS if "." in name else TARGET_MS)
        ]  # fmt: skip
        print(f"  {run['scale']}×: " + (f"missed by {', '.join(missed)}" if missed else "all met"))
    if len(runs) >= 2:
        low, high = runs[-2], runs[-1]
        data = high["needs"] / max(low["needs"], 1)
        faster = [
            f"{name} (×{high['pages'][name]['p50_ms'] / p['p50_ms']:.1f})"
            for name, p in low["pages"].items()
            if p["p50_ms"] >= 20 and high["pages"][name]["p50_ms"] / p["p50_ms"] > data
        ]  # fmt: skip
        print(f"  {low['scale']}× → {high['scale']}× (data ×{data:.0f}): "
              + (f"grew faster than the data: {', '.join(faster)}" if faster
                 else "no page grew faster than its data"))  # fmt: skip
    if not big:
        print("  (no 50× run here: the targets are judged at 50×)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="1,10,50")
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    from matchmaker.search.core.encoders.build import DEFAULT_MODEL, build_model

    model_dir = os.environ.get("MATCHMAKER_MODEL_DIR") or str(
        ROOT / "instance" / "models" / DEFAULT_MODEL
    )
    build_model(model_dir, progress=False)
    runs = []
    for scale in (int(s) for s in args.scales.split(",")):
        print(f"== {scale}× the demo", flush=True)
        runs.append(run_scale(scale, args.requests, model_dir))
    print_table(runs)
    emit("scale", {"runs": runs})


if __name__ == "__main__":
    main()
