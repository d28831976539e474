"""Write and read the audit log; export it as CSV (UTF-8 with BOM, for Excel)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from .. import csvfile
from ..extensions import db
from .models import AuditEntry


def record(
    actor,
    action: str,
    obj,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the caller's transaction (actor None = the system, e.g. tick)."""
    if obj.id is None:
        db.session.flush()
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=obj.__tablename__,
        object_id=obj.id,
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry


def entries(object_type: str | None = None, object_id: int | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEntry.object_id == object_id)
    return list(db.session.scalars(query))


CSV_HEADER = (
    "id",
    "at_utc",
    "actor_id",
    "actor",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
)


def row(entry: AuditEntry) -> tuple:
    """One entry as plain values, in CSV_HEADER's order (the CSV here and the console's export)."""
    return (
        entry.id,
        entry.at.isoformat(),
        entry.actor_id,
        entry.actor.name if entry.actor else "system",
        entry.action,
        entry.object_type,
        entry.object_id,
        _json(entry.before),
        _json(entry.after),
    )


def export_csv() -> bytes:
    return csvfile.to_csv(CSV_HEADER, (row(entry) for entry in entries()))


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
