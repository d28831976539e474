"""A notice (通知公告): public from `publish_at` on; a draft has none.

No job publishes a scheduled notice: every public query filters on `publish_at <= now`, so a
notice appears the moment its time comes.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..competitions.models import Round
from ..extensions import db

ATTACHMENT_OWNER = "notice"


class Notice(db.Model):
    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    round_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("rounds.id", ondelete="SET NULL"), index=True
    )
    publish_at: Mapped[datetime | None] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    round: Mapped[Round | None] = relationship()

    @property
    def is_public(self) -> bool:
        return self.publish_at is not None and self.publish_at <= clock.now()

    @property
    def is_scheduled(self) -> bool:
        return self.publish_at is not None and self.publish_at > clock.now()

    @property
    def is_draft(self) -> bool:
        return self.publish_at is None
