"""The record of needs created by a spreadsheet import (what makes a re-import idempotent) and
the stored supply–demand gap figures."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..extensions import db


class ImportedNeed(db.Model):
    """One imported survey row: `key` = sha256(credit code, scenario text, pain point)."""

    __tablename__ = "imported_needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    file_sha256: Mapped[str] = mapped_column(sa.String(64))
    row_number: Mapped[int]
    imported_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    imported_at: Mapped[datetime] = mapped_column(default=clock.now)


class GapSnapshot(db.Model):
    """The last computed gap figures (one row, id 1): JSON of codes, counts and need ids, with
    the search index version they were computed at (`dashboard.gaps.compute`)."""

    __tablename__ = "gap_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    payload: Mapped[dict] = mapped_column(sa.JSON)
    computed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)
