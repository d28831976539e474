"""A private thread between a need's factory and one vendor organisation, its messages and the
reports that bring one message (and only that one) to the organisers."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..accounts.models import Organisation, User
from ..extensions import db
from ..needs.models import Need

FACTORY, VENDOR = "factory", "vendor"
SIDES = (FACTORY, VENDOR)
OPEN, HANDLED = "open", "handled"
REPORT_STATUSES = (OPEN, HANDLED)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class NeedThread(db.Model):
    __tablename__ = "need_threads"
    __table_args__ = (sa.UniqueConstraint("need_id", "vendor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    vendor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_message_at: Mapped[datetime] = mapped_column(default=clock.now)

    need: Mapped[Need] = relationship()
    vendor: Mapped[Organisation] = relationship(lazy="joined")
    messages: Mapped[list[NeedMessage]] = relationship(
        back_populates="thread", order_by="NeedMessage.id", cascade="all, delete-orphan"
    )


class NeedMessage(db.Model):
    __tablename__ = "need_messages"
    __table_args__ = (
        sa.CheckConstraint(_in("side", SIDES), name="side"),
        # A resent form (double click, retry) carries the same token: one message.
        sa.UniqueConstraint("thread_id", "client_token"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        sa.ForeignKey("need_threads.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    side: Mapped[str] = mapped_column(sa.String(8))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    client_token: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    thread: Mapped[NeedThread] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship(lazy="joined")


class MessageReport(db.Model):
    """A participant brings one message to the organisers (举报): they read that message only."""

    __tablename__ = "need_message_reports"
    __table_args__ = (
        sa.CheckConstraint(_in("status", REPORT_STATUSES), name="status"),
        sa.UniqueConstraint("message_id", "reported_by_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        sa.ForeignKey("need_messages.id", ondelete="CASCADE"), index=True
    )
    reported_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default=OPEN, index=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    handled_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    handled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    message: Mapped[NeedMessage] = relationship(lazy="joined")
    reported_by: Mapped[User | None] = relationship(foreign_keys=[reported_by_id])
