"""Which newly published needs the vendor digest has mailed to whom: never one twice."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ... import clock
from ...extensions import db


class DigestEntry(db.Model):
    """One need in one member's digest. The unique pair is what makes "never the same need
    twice" hold even when two workers build digests at once."""

    __tablename__ = "digest_entries"
    __table_args__ = (sa.UniqueConstraint("user_id", "need_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[datetime] = mapped_column(default=clock.now)
