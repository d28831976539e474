"""答疑: a vendor's question on a listing and its one answer (public, or private to the asker)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ... import clock
from ...accounts.models import Organisation, User
from ...extensions import db
from .rounds import Listing


class ListingQuestion(db.Model):
    """`answer_private`: only the asker (and those who may answer) read the answer; the
    question then stays off the public list. The asker is never shown to other viewers."""

    __tablename__ = "listing_questions"
    __table_args__ = (
        sa.CheckConstraint("(answer IS NULL) = (answered_at IS NULL)", name="answered_together"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    asker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text)
    asked_at: Mapped[datetime] = mapped_column(default=clock.now)
    answer: Mapped[str | None] = mapped_column(sa.Text)
    answer_private: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    answered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    answered_at: Mapped[datetime | None]

    listing: Mapped[Listing] = relationship()
    organisation: Mapped[Organisation] = relationship()
    asker: Mapped[User | None] = relationship(foreign_keys=[asker_id])

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_public(self) -> bool:
        return self.is_answered and not self.answer_private
