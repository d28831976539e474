"""`flask db backup` / `flask db restore` (issue 21, item 5): a backup taken while writes run
restores into an empty database with every row committed before it began; a non-empty
database is refused; only the newest BACKUP_KEEP backups stay."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from matchmaker import backups
from matchmaker.extensions import db

WRITES = sa.table("backup_probe", sa.column("id", sa.Integer))


def _writer(url: str, committed: list[int], stop: threading.Event, started: threading.Event):
    engine = sa.create_engine(url)
    try:
        n = 0
        while not stop.is_set() or n < 50:
            n += 1
            with engine.begin() as conn:
                conn.execute(sa.insert(WRITES).values(id=n))
            committed.append(n)  # acknowledged: the commit returned
            if n == 30:
                started.set()
    finally:
        engine.dispose()


def _source(app, tmp_path):
    """The database to back up: the test database when it is PostgreSQL, else a SQLite file."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        return url, _scratch_pg_database(url)
    return f"sqlite:///{tmp_path / 'source.sqlite3'}", f"sqlite:///{tmp_path / 'restored.sqlite3'}"


def _scratch_pg_database(url: str) -> str:
    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(url: str) -> None:
    target = sa.engine.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    admin.dispose()


def test_a_backup_taken_during_writes_restores_every_row_committed_before_it(app, tmp_path):
    source, target = _source(app, tmp_path)
    engine = sa.create_engine(source)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS backup_probe"))
        conn.execute(sa.text("CREATE TABLE backup_probe (id INTEGER PRIMARY KEY)"))
    committed: list[int] = []
    stop, started = threading.Event(), threading.Event()
    writer = threading.Thread(target=_writer, args=(source, committed, stop, started))
    writer.start()
    try:
        assert started.wait(60)
        before = set(committed)  # acknowledged before the backup began
        path = backups.make_backup(source, tmp_path / "backups", keep=3)
    finally:
        stop.set()
        writer.join(60)
    try:
        backups.restore(path, target)
        restored_engine = sa.create_engine(target)
        with restored_engine.connect() as conn:
            restored = set(conn.scalars(sa.text("SELECT id FROM backup_probe")))
        restored_engine.dispose()
        assert before <= restored <= set(committed)
        assert restored == set(range(1, len(restored) + 1))  # a consistent prefix, no holes
        with pytest.raises(backups.BackupError, match="not empty"):
            backups.restore(path, target)  # a second restore: the database has tables now
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE backup_probe"))
        engine.dispose()
        if target.startswith("postgresql"):
            _drop_pg_database(target)


def test_only_the_newest_backups_are_kept(tmp_path):
    source = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    engine = sa.create_engine(source)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE t (id INTEGER)"))
    engine.dispose()
    start = datetime(2026, 12, 1, tzinfo=UTC)
    for day in range(5):
        backups.make_backup(source, tmp_path / "b", keep=3, now=start + timedelta(days=day))
    names = sorted(p.name for p in (tmp_path / "b").iterdir())
    assert names == [f"matchmaker-202612{d:02d}-000000.sqlite3" for d in (3, 4, 5)]


def test_backup_and_restore_commands(app, runner, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "BACKUP_DIR", str(tmp_path / "b"))
    result = runner.invoke(args=["db", "backup"])
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect == "sqlite":  # the test database lives in memory
        assert result.exit_code != 0 and "in-memory" in result.output
    else:
        assert result.exit_code == 0 and len(list((tmp_path / "b").glob("*.pgdump"))) == 1
    missing = runner.invoke(args=["db", "restore", str(tmp_path / "missing.sqlite3")])
    assert missing.exit_code != 0 and "no such file" in missing.output
    (tmp_path / "some.sqlite3").write_bytes(b"")
    refused = runner.invoke(args=["db", "restore", str(tmp_path / "some.sqlite3")])
    expected = "in-memory" if dialect == "sqlite" else "not empty"
    assert refused.exit_code != 0 and expected in refused.output
