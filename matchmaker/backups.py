"""Database backups: `flask db backup` (daily from the job queue) and `flask db restore FILE`.

- SQLite: the online backup API (`sqlite3.Connection.backup`), a consistent copy taken while
  the app keeps writing; the file is `matchmaker-<UTC time>.sqlite3`.
- PostgreSQL: `pg_dump --format=custom` (one snapshot transaction), `matchmaker-<UTC>.pgdump`;
  restored with `pg_restore`. Both tools must be on the PATH (postgresql-client).

Backups go to BACKUP_DIR (default `<instance>/backups`), written aside and renamed into place,
and only the newest BACKUP_KEEP (default 14) are kept. A restore goes into an empty database
only: a database with any table is refused (create a new one, restore, then point
DATABASE_URL at it).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from . import jobs

PREFIX = "matchmaker-"
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}


class BackupError(RuntimeError):
    """A backup or restore could not be done; the message says why."""


def backup_dir(config, instance_path: str) -> Path:
    return Path(config.get("BACKUP_DIR") or os.path.join(instance_path, "backups"))


def make_backup(database_url: str, folder: Path, keep: int, now: datetime | None = None) -> Path:
    """Write one backup of `database_url` into `folder`, then keep only the newest `keep`."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend not in SUFFIXES:
        raise BackupError(f"no backup method for {backend}")
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{PREFIX}{stamp}{SUFFIXES[backend]}"
    partial = target.with_name(target.name + ".partial")
    if backend == "sqlite":
        _sqlite_backup(_sqlite_path(url), partial)
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(partial), _libpq(url)])
    os.replace(partial, target)
    prune(folder, keep)
    return target


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups (names sort by time); the deleted paths."""
    backups = sorted(
        p
        for p in folder.iterdir()
        if p.name.startswith(PREFIX) and p.suffix in {".sqlite3", ".pgdump"}
    )
    doomed = backups[: max(0, len(backups) - max(1, keep))]
    for path in doomed:
        path.unlink()
    return doomed


def restore(backup: Path, database_url: str) -> None:
    """Load `backup` into the empty database at `database_url` (refused if it has tables)."""
    if not backup.is_file():
        raise BackupError(f"{backup}: no such file")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        _sqlite_path(url)  # refuses an in-memory database
    engine = create_engine(url)
    try:
        tables = inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise BackupError(
            f"the database is not empty ({len(tables)} tables): restore into a new, empty one"
        )
    if url.get_backend_name() == "sqlite":
        if backup.suffix != ".sqlite3":
            raise BackupError("a SQLite database restores from a .sqlite3 backup")
        _sqlite_backup(backup, Path(_sqlite_path(url)))
    else:
        if backup.suffix != ".pgdump":
            raise BackupError("a PostgreSQL database restores from a .pgdump backup")
        _run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", _libpq(url), str(backup)])


def _sqlite_path(url) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return url.database


def _sqlite_backup(source: Path | str, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


def _libpq(url) -> str:
    """The SQLAlchemy URL as libpq understands it (no "+psycopg" driver part)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (postgresql-client)") from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def backup_current_app() -> Path:
    from flask import current_app

    config = current_app.config
    return make_backup(
        config["SQLALCHEMY_DATABASE_URI"],
        backup_dir(config, current_app.instance_path),
        int(config.get("BACKUP_KEEP") or 14),
    )


@jobs.periodic(jobs.crontab(minute="0", hour="19"), label=_l("数据库备份（每天 03:00）"))
def daily_backup() -> str:
    return str(backup_current_app())
