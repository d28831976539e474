"""Database snapshots for fixtures that are expensive to build and used by many tests.

A world built through the services once per test module costs about 0.5 s on SQLite and
0.8 s on PostgreSQL; the security matrix alone asks for one world per case (thousands).
`take` copies every non-empty table into a schema of its own (PostgreSQL) or an attached
database file in the instance folder (SQLite: every pooled connection can attach it), with the uploaded files the rows point to; `restore` empties the
tables and copies the rows back, ids included, so the same world comes back in a few
milliseconds. Sequences are left where they are: they are already past every copied id.

    snapshot = snapshots.take("world")      # after building it
    snapshots.restore(snapshot)             # at the start of each test that wants it
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import Connection, text

from matchmaker.extensions import db
from matchmaker.files.services import upload_dir


@dataclass(frozen=True)
class Snapshot:
    schema: str
    tables: tuple[str, ...]  # in dependency order (parents first), non-empty ones only
    files: dict[str, bytes] = field(default_factory=dict)


def empty_tables(conn: Connection) -> None:
    """Delete every row of every table of the models, children first."""
    if conn.dialect.name == "sqlite":
        conn.execute(text("PRAGMA foreign_keys=OFF"))
    for table in reversed(db.metadata.sorted_tables):
        conn.execute(table.delete())


def take(name: str) -> Snapshot:
    """Copy the current rows of every non-empty table, and the upload directory's files."""
    schema = f"snapshot_{name}"
    db.session.remove()
    quote = db.engine.dialect.identifier_preparer.quote
    copied = []
    with db.engine.begin() as conn:
        _open_schema(conn, schema)
        for table in db.metadata.sorted_tables:
            if conn.execute(table.select().limit(1)).first() is None:
                continue
            target = f"{schema}.{quote(table.name)}"
            conn.execute(text(f"DROP TABLE IF EXISTS {target}"))
            conn.execute(text(f"CREATE TABLE {target} AS SELECT * FROM {quote(table.name)}"))
            copied.append(table.name)
    folder = upload_dir()
    files = {}
    for entry in os.scandir(folder):
        if entry.is_file():
            with open(entry.path, "rb") as handle:
                files[entry.name] = handle.read()
    return Snapshot(schema, tuple(copied), files)


def restore(snapshot: Snapshot) -> None:
    """Every table as it was when the snapshot was taken; missing upload files written back."""
    db.session.remove()
    quote = db.engine.dialect.identifier_preparer.quote
    with db.engine.begin() as conn:
        _open_schema(conn, snapshot.schema)
        empty_tables(conn)
        for name in snapshot.tables:
            conn.execute(
                text(f"INSERT INTO {quote(name)} SELECT * FROM {snapshot.schema}.{quote(name)}")
            )
    folder = upload_dir()
    for key, content in snapshot.files.items():
        path = os.path.join(folder, key)
        if not os.path.exists(path):
            with open(path, "wb") as handle:
                handle.write(content)


def _open_schema(conn: Connection, schema: str) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
        return
    attached = {row[1] for row in conn.execute(text("PRAGMA database_list"))}
    if schema not in attached:
        path = os.path.join(current_app.instance_path, f"{schema}.sqlite3")
        conn.execute(text(f"ATTACH DATABASE :path AS {schema}"), {"path": path})
