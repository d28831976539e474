"""Fuzz the JSON API with schemathesis against its own OpenAPI document (`make apifuzz`).

Builds a scratch SQLite database by migrations, `flask taxonomy load` and `flask demo load`,
serves it with gunicorn (2 workers) on a free loopback port, creates a personal access token
for one demo user of each role (`flask users create-token`), and runs `schemathesis run`
once per role and once anonymously, checking that no response is a server error and that
every response matches the document (status, content type, body schema). Exits non-zero on
any failure. gunicorn runs without its request-line cap (its HTML 414 answers before the app). The rate limiter is off for the run. Bounded: `--max-examples` (default 12)
examples per operation and phase, about 3–5 minutes in all on 2 busy cores.

    python scripts/api_fuzz.py [--max-examples N] [--keep]
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts import served_app  # noqa: E402

ROLES = {
    "factory": "factory01@demo.matchmaker.local",
    "vendor": "vendor01@demo.matchmaker.local",
    "expert": "expert1@demo.matchmaker.local",
    "organiser": "organiser@demo.matchmaker.local",
}
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def fuzz(url: str, who: str, token: str | None, max_examples: int, reports: Path) -> bool:
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", f"{url}/api/v1/openapi.json",
        "--checks", CHECKS,
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", str(max_examples),
        # One worker: with two threads, hypothesis' lambda descriptions sometimes hit CPython
        # 3.11's "AST constructor recursion depth mismatch" (a tool error, not an API failure).
        "--workers", "1",
        "--request-timeout", "30",
        "--seed", "2025",
        "--no-shrink",
        "--report", "junit",
        "--report-junit-path", str(reports / f"{who}.xml"),
    ]  # fmt: skip
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    print(f"== schemathesis as {who}", flush=True)
    started = time.monotonic()
    result = subprocess.run(command, cwd=reports)  # hypothesis keeps its .hypothesis/ there
    print(f"== {who}: exit {result.returncode} in {time.monotonic() - started:.0f}s", flush=True)
    return result.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=12)
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="apifuzz-"))
    env = served_app.scratch_env(
        folder, f"sqlite:///{folder / 'fuzz.sqlite3'}", RATELIMIT_ENABLED="false"
    )
    reports = ROOT / "test-output" / "apifuzz"
    reports.mkdir(parents=True, exist_ok=True)
    server = None
    try:
        served_app.flask(["db", "upgrade"], env)
        served_app.flask(["taxonomy", "load"], env)
        served_app.flask(["demo", "load", "--password", secrets.token_urlsafe(12)], env)
        tokens = {
            role: served_app.flask(
                ["users", "create-token", "--email", email, "--name", "apifuzz"], env
            )
            .strip()
            .splitlines()[-1]
            for role, email in ROLES.items()
        }
        port = served_app.free_port()
        url = f"http://127.0.0.1:{port}"
        # No request-line cap: gunicorn's own 414 page (4094 bytes by default) answers before
        # the app, and the API's contract is what is fuzzed here.
        server = served_app.start_gunicorn(
            env,
            port,
            folder / "gunicorn.log",
            extra_args=("--limit-request-line", "0", "--timeout", "120"),
        )
        results = {"anonymous": fuzz(url, "anonymous", None, args.max_examples, reports)}
        for role, token in tokens.items():
            results[role] = fuzz(url, role, token, args.max_examples, reports)
    finally:
        if server is not None:
            served_app.stop(server)
        if args.keep:
            print(f"scratch folder kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    failed = [who for who, ok in results.items() if not ok]
    print("apifuzz:", "failures as " + ", ".join(failed) if failed else "no failures")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
