"""Write and read the audit log; export it as CSV (UTF-8 with BOM, for Excel), in words."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import csvfile
from ..extensions import db
from .audit_log import describe
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


def export_columns() -> tuple[str, ...]:
    """The readable export's header, in the request's language."""
    return tuple(
        str(label)
        for label in (_l("编号"), _l("时间"), _l("操作人"), _l("操作"), _l("内容"), _l("变更"))
    )


def _change_text(entry) -> str:
    """ "阶段：发榜 → 揭榜中；说明：…" """
    return _("；").join(
        _("%(label)s：%(before)s → %(after)s", label=c.label, before=c.before, after=c.after)
        for c in entry.changes
    )


def readable_rows() -> list[tuple]:
    """Every entry, oldest first, as people read it (the console's exports and the CSV)."""
    rows = []
    for entry in entries():
        text = describe(entry)
        rows.append((text.id, text.at, text.actor, text.action, text.sentence, _change_text(text)))
    return rows


def export_csv() -> bytes:
    return csvfile.to_csv(export_columns(), readable_rows())
