"""Upgrade a scratch database by migrations, then run `flask db check` against it.

Fails (exit 1) when the models and the migrations disagree. Uses a temporary SQLite file
unless DATABASE_URL is set (CI sets it for PostgreSQL, after the tests have run).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

RESET = (
    "from matchmaker import create_app; from matchmaker.extensions import db; "
    "from matchmaker.db_admin import drop_everything; app = create_app(); "
    "ctx = app.app_context(); ctx.push(); drop_everything(db.engine)"
)


def main() -> int:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        if not env.get("DATABASE_URL"):
            env["DATABASE_URL"] = "sqlite:///" + os.path.join(tmp, "check.sqlite3")
        flask = [sys.executable, "-m", "flask", "--app", "wsgi", "db"]
        reset = [sys.executable, "-c", RESET]
        if subprocess.run(reset, env=env).returncode != 0:
            print("db-check: could not reset the scratch database", file=sys.stderr)
            return 1
        for args in (["upgrade"], ["check"]):
            result = subprocess.run(flask + args, env=env)
            if result.returncode != 0:
                print(f"db-check: `flask db {' '.join(args)}` failed", file=sys.stderr)
                return 1
    print("db-check: migrations match the models")
    return 0


if __name__ == "__main__":
    sys.exit(main())
