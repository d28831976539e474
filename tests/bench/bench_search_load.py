"""Matching pages under load on a busy machine (run by `make bench`; prints a table and a
BENCH-RESULT line; not a test).

The demo district (PostgreSQL when it answers on 127.0.0.1:5432, else a SQLite file) with the
real built model (`flask search rebuild`) and one draft need of 4,000 characters saved through
the needs service (as the form saves it), served by gunicorn with `gunicorn.conf.py`
(2 workers: torch threads per worker = cores ÷ workers, model loaded at boot). While one
CPU-bound process spins beside it, a second process drives each page with 8 client threads
on loopback for `--seconds`:

- search: `/search?q=…`, anonymous, 24 different queries in turn (each encodes its query);
- need: a published need's page as its owner (factory01), with 推荐揭榜方 and reasons;
- vendor: 适合我的榜单 as vendor01;
- long need: the owner's page of the 4,000-character draft (near-duplicates of its text).

Before that, the first requests after boot (each worker's first model use) are timed. Reports
requests/s, p50/p99, errors, the load average, the boot time and the torch threads chosen.
Targets on 2 cores: /search p50 ≤ 150 ms and p99 ≤ 600 ms; no request needing the model over
1 s after boot; the 4,000-character need page p50 ≤ 300 ms.

    .venv/bin/python tests/bench/bench_search_load.py [--seconds 15] [--clients 8] [--sqlite]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import numpy as np  # noqa: E402

from scripts import served_app  # noqa: E402
from tests.bench.report import emit  # noqa: E402

PG_URL = os.environ.get(
    "BENCH_SEARCH_DATABASE_URL",
    "postgresql+psycopg://postgres@127.0.0.1:5432/loadtest_search_bench",
)
PASSWORD = "load-demo-pass-1"  # scripts/loadtest.py's demo password
FACTORY, VENDOR = "factory01@demo.matchmaker.local", "vendor01@demo.matchmaker.local"
QUERIES = (
    "坯布疵点检测", "验布工漏检多", "空压机能耗高", "注塑件尺寸不稳定", "焊缝缺陷视觉检测",
    "设备半夜故障没人知道", "排产靠Excel", "染色色差", "电机轴承预测性维护", "仓库叉车调度",
    "AOI误报太多", "锂电池极片缺陷", "能耗管理平台", "刀具磨损监测", "质量追溯",
    "安全帽识别", "配方优化", "冷水机组节能", "OEE提升", "来料检验",
    "印刷品检测", "化验数据自动录入", "纺丝断头", "包装漏装检测",
)  # fmt: skip
SCENARIOS = ("search", "need", "vendor", "long need")
TARGETS = {"search": (150, 600), "long need": (300, None)}
LONG_PARAGRAPH = (
    "我们是做涤纶长丝织造和后整理的工厂，坯布下机以后要经过验布、修布、定型再出货。"
    "现在验布完全靠人，验布工每人看两台验布机，一个班下来眼睛很累，夜班漏检特别多，"
    "客户投诉里面三成是布面疵点，比如断经、断纬、油污、破洞、稀密路和色差。"
    "我们统计过，漏检率大概在百分之三左右，退货和折价一年要损失两百多万元。"
    "希望在验布机上加装相机，自动识别疵点并且记录位置，生成每匹布的疵点地图和评分，"
    "和我们的ERP对接，出货的时候可以按客户标准自动定级。"
)


# -- client side (its own process) ------------------------------------------------------------


def _request(port: int, path: str, cookie: str = "", method="GET", body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    all_headers = {"Cookie": cookie} if cookie else {}
    all_headers.update(headers or {})
    conn.request(method, path, body=body, headers=all_headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def log_in(port: int, email: str) -> str:
    """A session cookie for `email` through the real login form (CSRF token included)."""
    response, page = _request(port, "/login")
    cookie = _cookies(response, "")
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
    body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": PASSWORD})
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    response, _ = _request(port, "/login", cookie, "POST", body, form)
    if response.status != 302:
        raise RuntimeError(f"login as {email} failed: {response.status}")
    return _cookies(response, cookie)


def _cookies(response, cookie: str) -> str:
    jar = dict(part.split("=", 1) for part in cookie.split("; ") if "=" in part)
    for header in response.headers.get_all("Set-Cookie") or []:
        name, value = header.split(";", 1)[0].split("=", 1)
        jar[name] = value
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def drive(port: int, paths: list[str], email: str, seconds: float, clients: int) -> dict:
    """`clients` threads GET `paths` in turn (logged in as `email` if given) for `seconds`."""
    cookies = [log_in(port, email) if email else "" for _ in range(clients)]
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    counter = itertools.count()
    deadline = time.monotonic() + seconds

    def loop(cookie: str) -> None:
        mine, failed = [], 0
        while time.monotonic() < deadline:
            path = paths[next(counter) % len(paths)]
            start = time.perf_counter()
            try:
                response, _ = _request(port, path, cookie)
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
    threads = [threading.Thread(target=loop, args=(c,)) for c in cookies]
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
        "max_ms": float(ms.max()),
        "load_1min": os.getloadavg()[0],
    }


def run_client(port: int, paths: list[str], email: str, seconds: float, clients: int) -> dict:
    spec = json.dumps({"port": port, "paths": paths, "email": email, "seconds": seconds,
                       "clients": clients})  # fmt: skip
    out = subprocess.run(
        [sys.executable, __file__, "--client", spec], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


# -- set-up -------------------------------------------------------------------------------------


def prepare(use_sqlite: bool, folder: Path, model_dir: str) -> tuple[dict[str, str], str]:
    import loadtest

    env = served_app.scratch_env(folder, RATELIMIT_ENABLED="false", SEARCH_MODEL_DIR=model_dir,
                                 PAGE_CACHE_SECONDS="0")  # fmt: skip
    env.pop("SEARCH_THREADS", None)  # the default under test: cores ÷ workers
    # The demo is loaded without the model (each record would be encoded alone, after its
    # commit); `flask search rebuild` then encodes every text in batches.
    no_model = env | {"SEARCH_MODEL_DIR": str(folder / "no-model")}
    if use_sqlite:
        env["DATABASE_URL"] = no_model["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
        for args in (
            ["db", "upgrade"],
            ["taxonomy", "load"],
            ["demo", "load", "--password", PASSWORD],
        ):
            served_app.flask(args, no_model)
        database = "SQLite"
    else:
        env["DATABASE_URL"] = no_model["DATABASE_URL"] = PG_URL
        loadtest.prepare_database(PG_URL, no_model)
        database = "PostgreSQL"
    served_app.flask(["search", "rebuild"], env)
    return env, database


LONG_NEED = """
import sys
from sqlalchemy import select
from matchmaker import create_app
from matchmaker.accounts.models import User
from matchmaker.extensions import db
from matchmaker.needs import services
from matchmaker.needs.models import Need
from matchmaker.scenarios.models import ScenarioTemplate

app = create_app()
with app.app_context():
    owner = db.session.scalar(select(User).where(User.email == sys.argv[1]))
    template = db.session.scalar(select(ScenarioTemplate).order_by(ScenarioTemplate.id))
    published = db.session.scalar(
        select(Need.id).where(Need.owner_id == owner.organisation_id, Need.status == "published")
        .order_by(Need.id)
    )
    text = sys.argv[2]
    fields = dict(
        title="验布环节疵点漏检严重，想上视觉检测", industry_id=template.industry_id,
        category_id=template.category_id, template_id=template.id, other_description=text,
        goal="漏检率从 3% 降到 0.5% 以下。", pain_point="夜班漏检多，客户投诉。",
        current_process="验布工人工目视检验。", data_sources=["camera"], data_volume="",
        data_labelled="no", data_description="", budget_min=90, budget_max=110, vouchers=[],
        delivery_months=6, delivery_date=None, town="", constraints=[], constraints_note="",
        confidentiality="public",
    )
    kpis = [dict(indicator="漏检率", baseline=3.0, target=0.5, unit="%", direction="down")]
    need = services.create_need(owner, fields, kpis)
    print(need.id, published)
"""


def make_long_need(env: dict[str, str]) -> tuple[str, str]:
    """A 4,000-character draft saved by the needs service (its text is encoded once, there);
    the owner's published need. Returns both page paths."""
    text = (LONG_PARAGRAPH * (4000 // len(LONG_PARAGRAPH) + 1))[:4000]
    out = subprocess.run(
        [sys.executable, "-c", LONG_NEED, FACTORY, text],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    draft, published = out.stdout.split()[-2:]
    return f"/needs/{draft}", f"/needs/{published}"


def cpu_burner() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "while True:\n    pass"])


def first_requests(port: int) -> list[float]:
    """Right after boot: one free-text search per worker and a few more, each timed (ms)."""
    out = []
    for query in ("冷却塔风机能耗高", "注塑机模温不稳", "织机断经停台多", "来料批次追溯"):
        start = time.perf_counter()
        response, _ = _request(port, "/search?q=" + urllib.parse.quote(query))
        if response.status != 200:
            raise RuntimeError(f"/search answered {response.status}")
        out.append((time.perf_counter() - start) * 1000)
    return out


def warmup_times(log: Path) -> str:
    found = re.findall(r"search warm-up done in ([0-9.]+) s", log.read_text(errors="replace"))
    return ", ".join(f"{s} s" for s in found) or "not logged"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15, help="per page")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sqlite", action="store_true", help="SQLite even if PostgreSQL answers")
    parser.add_argument("--no-burner", action="store_true", help="without the CPU-bound process")
    args = parser.parse_args()
    from bench_pages import pg_available

    from matchmaker.search.core.encoders.build import DEFAULT_MODEL, build_model

    model_dir = os.environ.get("MATCHMAKER_MODEL_DIR") or str(
        ROOT / "instance" / "models" / DEFAULT_MODEL
    )
    build_model(model_dir, progress=False)
    with tempfile.TemporaryDirectory() as tmp:
        env, database = prepare(args.sqlite or not pg_available(), Path(tmp), model_dir)
        long_path, need_path = make_long_need(env)
        port, log = served_app.free_port(), Path(tmp) / "gunicorn.log"
        env["GUNICORN_LOGLEVEL"] = "info"
        started = time.monotonic()
        server = served_app.start_gunicorn(
            env, port, log, workers=args.workers, extra_args=("--log-level", "info")
        )
        boot_s = time.monotonic() - started
        burner = None if args.no_burner else cpu_burner()
        try:
            first = first_requests(port)
            plan = {
                "search": (["/search?q=" + urllib.parse.quote(q) for q in QUERIES], ""),
                "need": ([need_path], FACTORY),
                "vendor": (["/vendor/matching-needs"], VENDOR),
                "long need": ([long_path], FACTORY),
            }
            results = {}
            for name in SCENARIOS:
                paths, email = plan[name]
                results[name] = {"path": paths[0]} | run_client(
                    port, paths, email, args.seconds, args.clients
                )
            warmups = warmup_times(log)
        finally:
            if burner is not None:
                burner.terminate()
                burner.wait()
            served_app.stop(server)
    figures = {
        "database": database, "workers": args.workers, "clients": args.clients,
        "cores": os.cpu_count(), "burner": not args.no_burner, "boot_s": boot_s,
        "first_ms": first, "warmups": warmups, "pages": results,
    }  # fmt: skip
    print_table(figures)
    emit("search_load", figures)


def print_table(f: dict) -> None:
    burner = "one CPU-bound process beside it" if f["burner"] else "no other load"
    print(
        f"gunicorn {f['workers']} workers on {f['database']}, {f['cores']} cores, {burner}, "
        f"{f['clients']} client threads in a second process on loopback"
    )
    threads = max(1, f["cores"] // f["workers"])
    print(f"torch threads per worker (default, cores ÷ workers): {threads}")
    print(f"boot until /healthz: {f['boot_s']:.1f} s (worker warm-ups: {f['warmups']})")
    first = " / ".join(f"{ms:.0f}" for ms in f["first_ms"])
    print(f"first /search requests after boot, ms: {first} (target: each ≤ 1000)")
    print(
        "| page | requests/s | p50 ms | p99 ms | max ms | errors | load average (1 min) | target |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, r in f["pages"].items():
        target = TARGETS.get(name)
        mark = ""
        if target:
            p50, p99 = target
            ok = r["p50_ms"] <= p50 and (p99 is None or r["p99_ms"] <= p99)
            mark = f"p50 ≤ {p50}" + (f", p99 ≤ {p99}" if p99 else "") + (" ✓" if ok else " ✗")
        print(
            f"| {name} ({r['path'][:40]}) | {r['rps']:.1f} | {r['p50_ms']:.0f} | "
            f"{r['p99_ms']:.0f} | {r['max_ms']:.0f} | {r['errors']} | {r['load_1min']:.2f} | {mark} |"
        )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--client":
        spec = json.loads(sys.argv[2])
        print(json.dumps(drive(spec["port"], spec["paths"], spec["email"], spec["seconds"],
                               spec["clients"])))  # fmt: skip
    else:
        main()
