"""An application (揭榜): its KPI commitments, milestone plan and consortium members."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ... import clock
from ...accounts.models import Organisation, User
from ...extensions import db
from ...solvers.models import Offering
from .. import statuses as st
from .rounds import Listing, ListingKpi

MAX_CONSORTIUM = 4
LIVE_ONLY = sa.text(f"status <> '{st.WITHDRAWN}'")


class Application(db.Model):
    __tablename__ = "applications"
    __table_args__ = (
        sa.CheckConstraint(st.in_check("status", st.APPLICATION_STATUSES), name="status"),
        sa.CheckConstraint("price IS NULL OR price >= 0", name="price"),
        sa.CheckConstraint("voucher_use IS NULL OR voucher_use >= 0", name="voucher_use"),
        # One live application per listing and organisation: a withdrawn one stays on record
        # and no longer blocks a new application while the window is open.
        sa.Index(
            "uq_applications_live_lead",
            "listing_id",
            "organisation_id",
            unique=True,
            postgresql_where=LIVE_ONLY,
            sqlite_where=LIVE_ONLY,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("listings.id", ondelete="RESTRICT"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    offering_id: Mapped[int] = mapped_column(sa.ForeignKey("offerings.id", ondelete="RESTRICT"))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(sa.String(16), default=st.DRAFT, index=True)
    approach: Mapped[str] = mapped_column(sa.Text, default="")
    team: Mapped[str] = mapped_column(sa.Text, default="")
    price: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))  # 万元
    voucher_use: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))  # 万元
    rights_declared: Mapped[bool] = mapped_column(default=False)
    eligibility_note: Mapped[str] = mapped_column(sa.Text, default="")
    panel_score: Mapped[float | None] = mapped_column(sa.Float)
    rank: Mapped[int | None]
    proposed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)
    submitted_at: Mapped[datetime | None]

    listing: Mapped[Listing] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    offering: Mapped[Offering] = relationship()
    commitments: Mapped[list[KpiCommitment]] = relationship(
        cascade="all, delete-orphan", order_by="KpiCommitment.id"
    )
    milestones: Mapped[list[Milestone]] = relationship(
        cascade="all, delete-orphan", order_by="Milestone.position"
    )
    members: Mapped[list[ConsortiumMember]] = relationship(
        cascade="all, delete-orphan", order_by="ConsortiumMember.id"
    )

    def __repr__(self) -> str:
        return f"<Application {self.id} {self.status}>"

    @property
    def is_draft(self) -> bool:
        return self.status == st.DRAFT

    @property
    def in_competition(self) -> bool:
        return self.status in (st.SUBMITTED, st.ELIGIBLE)

    def organisation_ids(self) -> set[int]:
        """The lead and every consortium member."""
        return {self.organisation_id, *(m.organisation_id for m in self.members)}

    def led_by(self, user) -> bool:
        return bool(
            getattr(user, "is_vendor_member", False)
            and user.organisation_id == self.organisation_id
        )

    def involves(self, user) -> bool:
        org_id = getattr(user, "organisation_id", None)
        return org_id is not None and org_id in self.organisation_ids()

    def lead_users(self) -> list[User]:
        return list(self.organisation.members)

    def commitment_for(self, kpi_id: int) -> float | None:
        return next((c.committed for c in self.commitments if c.listing_kpi_id == kpi_id), None)


class KpiCommitment(db.Model):
    __tablename__ = "kpi_commitments"
    __table_args__ = (sa.UniqueConstraint("application_id", "listing_kpi_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    listing_kpi_id: Mapped[int] = mapped_column(
        sa.ForeignKey("listing_kpis.id", ondelete="CASCADE"), index=True
    )
    committed: Mapped[float] = mapped_column(sa.Float)

    kpi: Mapped[ListingKpi] = relationship(lazy="joined")


class Milestone(db.Model):
    """A planned milestone; in delivery (攻关) it gets evidence and the factory's confirmation."""

    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(200))
    due_date: Mapped[date] = mapped_column(sa.Date)
    deliverable: Mapped[str] = mapped_column(sa.Text, default="")
    evidence_note: Mapped[str] = mapped_column(sa.Text, default="")
    delivered_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # When the schedule found it past due and reminded its owners (once; delivery.py).
    overdue_flagged_at: Mapped[datetime | None]
    # The listing's owner sent the submission back (退回补充) with a reason; cleared when the
    # lead submits again (the audit log keeps every return).
    returned_at: Mapped[datetime | None]
    return_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    application: Mapped[Application] = relationship(back_populates="milestones")

    @property
    def is_overdue(self) -> bool:
        return self.confirmed_at is None and self.due_date < clock.local_now().date()


class ConsortiumMember(db.Model):
    __tablename__ = "consortium_members"
    __table_args__ = (
        sa.CheckConstraint(st.in_check("status", st.MEMBER_STATUSES), name="status"),
        sa.UniqueConstraint("application_id", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[str] = mapped_column(sa.String(16), default=st.INVITED)
    responded_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship(lazy="joined")
