"""评审: expert assignments (with recusal), declared relations, score sheets."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ... import clock
from ...accounts.models import Organisation, User
from ...extensions import db
from .. import statuses as st
from .applications import Application
from .rounds import Listing


class ExpertAssignment(db.Model):
    __tablename__ = "expert_assignments"
    __table_args__ = (
        sa.CheckConstraint(st.in_check("status", st.ASSIGNMENT_STATUSES), name="status"),
        sa.UniqueConstraint("listing_id", "expert_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    expert_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[str] = mapped_column(sa.String(16), default=st.ASSIGNED)
    recusal_reason: Mapped[str] = mapped_column(sa.Text, default="")
    assigned_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    assigned_at: Mapped[datetime] = mapped_column(default=clock.now)

    listing: Mapped[Listing] = relationship()
    expert: Mapped[User] = relationship(foreign_keys=[expert_id], lazy="joined")

    @property
    def active(self) -> bool:
        return self.status == st.ASSIGNED


class ExpertRelation(db.Model):
    """A relation of an expert with an organisation (former employer, shareholding, a spouse
    on its staff…): declared by the expert (`recorded_by_id` NULL) or recorded by an organiser
    who knows of it. Either kind makes the expert conflicted on the organisation's listings."""

    __tablename__ = "expert_relations"
    __table_args__ = (sa.UniqueConstraint("expert_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE")
    )
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    declared_at: Mapped[datetime] = mapped_column(default=clock.now)  # declared or recorded
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT")
    )

    organisation: Mapped[Organisation] = relationship()
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])

    @property
    def recorded(self) -> bool:
        """Recorded by an organiser (not declared by the expert)."""
        return self.recorded_by_id is not None


class ScoreSheet(db.Model):
    """One expert's scores (criterion code → score) and comments for one application."""

    __tablename__ = "score_sheets"
    __table_args__ = (sa.UniqueConstraint("application_id", "expert_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    expert_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    scores: Mapped[dict[str, float]] = mapped_column(sa.JSON, default=dict)
    comments: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    submitted_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    application: Mapped[Application] = relationship()
