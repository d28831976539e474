"""A rate-limit storage that the workers of one host share without a server: a SQLite file.

Flask-Limiter counts in a `limits` storage. Its in-memory storage is per process, so with
two gunicorn workers an attacker got twice the login budget (and more after a worker
restart). Redis is the answer when REDIS_URL is set; without it the default is this
storage, registered with `limits` under the scheme `matchmaker+sqlite`:

    RATELIMIT_STORAGE_URI = "matchmaker+sqlite:////abs/path/ratelimit.sqlite3"

Fixed-window counters (Flask-Limiter's default strategy) in one table; each increment is a
short `BEGIN IMMEDIATE` transaction, so concurrent processes serialise on SQLite's file lock
and never lose a count. Expired windows are deleted as they are met. Every process (and
thread) opens its own connection, also after a fork.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

from limits.storage import Storage

SCHEME = "matchmaker+sqlite"
FILE_NAME = "ratelimit.sqlite3"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS counters ("
    " key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires_at REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS counters_expires_at ON counters (expires_at)",
)


BUSY_SECONDS = 10


def _use_wal(connection: sqlite3.Connection) -> None:
    """Switch the file to WAL, waiting for a peer that is doing the same.

    Changing the journal mode takes the file's exclusive lock and SQLite does not call its busy
    handler for it: when two workers open a new file at the same moment, one of them gets
    "database is locked" at once. WAL mode is stored in the file, so the loser only has to
    wait until the winner is done and find it set."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def storage_uri(instance_path: str) -> str:
    """The default storage: a file in the instance folder, shared by this host's workers."""
    return f"{SCHEME}://{Path(instance_path).resolve() / FILE_NAME}"


class SQLiteStorage(Storage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = urllib.parse.urlparse(uri or "").path
        if not self.path:
            raise ValueError(f"{SCHEME} storage needs a file path: {uri!r}")
        self._local = threading.local()

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
            _use_wal(connection)
            connection.execute("PRAGMA synchronous=NORMAL")
            for statement in _SCHEMA:
                connection.execute(statement)
            local.connection, local.pid = connection, os.getpid()
        return local.connection

    @contextmanager
    def _write(self):
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        with self._write() as connection:
            connection.execute("DELETE FROM counters WHERE expires_at <= ?", (now,))
            connection.execute(
                "INSERT INTO counters (key, value, expires_at) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = value + excluded.value",
                (key, amount, now + expiry),
            )
            row = connection.execute("SELECT value FROM counters WHERE key = ?", (key,))
            return int(row.fetchone()[0])

    def _live(self, key: str) -> tuple[int, float] | None:
        row = self._connection().execute(
            "SELECT value, expires_at FROM counters WHERE key = ? AND expires_at > ?",
            (key, time.time()),
        )
        return row.fetchone()

    def get(self, key: str) -> int:
        live = self._live(key)
        return int(live[0]) if live else 0

    def get_expiry(self, key: str) -> float:
        live = self._live(key)
        return float(live[1]) if live else time.time()

    def check(self) -> bool:
        try:
            self._connection().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        with self._write() as connection:
            return connection.execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        with self._write() as connection:
            connection.execute("DELETE FROM counters WHERE key = ?", (key,))
