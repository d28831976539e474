"""Counting the SQL statements a piece of code sends (query ceilings in tests)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import event

from matchmaker.extensions import db


@contextlib.contextmanager
def counted() -> Iterator[list[str]]:
    """The statements sent on the app's engine inside the block, in order."""
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
