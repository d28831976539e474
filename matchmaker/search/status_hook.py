"""Keep the index in step with status changes, whatever code path makes them.

A feature registers `sync_on_status_change(Model, sync)`; from then on every committed
change of `Model.status` (approval, withdrawal, closing, an award that closes a need, a
script that sets the column directly) calls `sync(obj)` once, after the commit, for each
changed object. The flush only records which objects changed; nothing runs before the
commit, a rolled-back change is forgotten, and `sync` runs outside the committed
transaction (SQLAlchemy allows no SQL inside `after_commit`, so it runs when that
transaction has ended). `sync` must not raise: the features' sync functions log and
swallow index errors (`flask search rebuild` catches up).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, SessionTransaction

_WATCHED: dict[type, tuple[Callable[[object], None], frozenset[str]]] = {}
_PENDING = "matchmaker.search.status_pending"
_READY = "matchmaker.search.status_ready"


def sync_on_status_change(
    model: type, sync: Callable[[object], None], indexed: frozenset[str]
) -> None:
    """Call `sync(obj)` after each commit that moved `obj.status` into or out of one of
    the `indexed` statuses (or from a value the session had not loaded). Idempotent."""
    _WATCHED[model] = (sync, frozenset(indexed))
    if not event.contains(Session, "after_flush", _collect):
        event.listen(Session, "after_flush", _collect)
        event.listen(Session, "after_commit", _commit)
        event.listen(Session, "after_transaction_end", _run)


def _collect(session: Session, _flush_context) -> None:
    for obj in session.dirty:
        watched = _WATCHED.get(type(obj))
        if watched is not None and _moved(obj, watched[1]):
            session.info.setdefault(_PENDING, {})[(type(obj), id(obj))] = obj


def _moved(obj, indexed: frozenset[str]) -> bool:
    history = inspect(obj).attrs.status.history
    new, old = set(history.added), set(history.deleted)
    if not new or new == old:
        return False
    return not old or bool((new | old) & indexed)


def _commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.info.setdefault(_READY, {}).update(pending)


def _run(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None or transaction.nested:
        return
    session.info.pop(_PENDING, None)  # ended without a commit: rolled back
    ready = session.info.pop(_READY, None)
    for obj in (ready or {}).values():
        _WATCHED[type(obj)][0](obj)
