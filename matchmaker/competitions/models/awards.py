"""公示 objections, 挂帅 awards with their voucher, 中期评估 and 验收."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ... import clock
from ...accounts.models import Organisation, User
from ...extensions import db
from .. import statuses as st
from .applications import Application
from .rounds import Listing, ListingKpi


class Objection(db.Model):
    __tablename__ = "objections"
    __table_args__ = (
        sa.CheckConstraint(st.in_check("status", st.OBJECTION_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    filed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default=st.OPEN, index=True)
    resolution_note: Mapped[str] = mapped_column(sa.Text, default="")
    resolved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    filed_by: Mapped[User | None] = relationship(foreign_keys=[filed_by_id])


class Award(db.Model):
    """挂帅: a winner of a listing, its agreement and the 场景券 voucher of the beneficiary."""

    __tablename__ = "awards"
    __table_args__ = (
        sa.CheckConstraint(st.in_check("voucher_status", st.VOUCHER_STATUSES), name="voucher"),
        sa.CheckConstraint("contract_value >= 0", name="contract_value"),
        sa.CheckConstraint("voucher_amount >= 0", name="voucher_amount"),
        sa.UniqueConstraint("application_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("listings.id", ondelete="RESTRICT"), index=True
    )
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="RESTRICT")
    )
    beneficiary_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    contract_value: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))  # 万元
    start_date: Mapped[date] = mapped_column(sa.Date)
    voucher_year: Mapped[int] = mapped_column(index=True)
    voucher_amount: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))  # 万元
    voucher_status: Mapped[str] = mapped_column(sa.String(16), default=st.COMMITTED)
    awarded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    awarded_at: Mapped[datetime] = mapped_column(default=clock.now)

    listing: Mapped[Listing] = relationship(lazy="joined")
    application: Mapped[Application] = relationship(lazy="joined")
    beneficiary: Mapped[Organisation] = relationship()
    midterms: Mapped[list[MidtermReview]] = relationship(order_by="MidtermReview.id")
    acceptances: Mapped[list[Acceptance]] = relationship(
        back_populates="award", order_by="Acceptance.attempt"
    )
    rectification: Mapped[Rectification | None] = relationship(back_populates="award")
    payments: Mapped[list[VoucherPayment]] = relationship(
        back_populates="award", order_by="VoucherPayment.paid_on, VoucherPayment.id"
    )

    @property
    def acceptance(self) -> Acceptance | None:
        """The deciding 验收: the 复验 once there is one, else the first (None before)."""
        return self.acceptances[-1] if self.acceptances else None

    @property
    def first_acceptance(self) -> Acceptance | None:
        return self.acceptances[0] if self.acceptances else None

    @property
    def paid_amount(self) -> Decimal:
        """What was paid: the payments not reversed (冲销)."""
        return sum((p.amount for p in self.payments if p.reversed_at is None), Decimal(0))


class MidtermReview(db.Model):
    __tablename__ = "midterm_reviews"
    __table_args__ = (
        sa.CheckConstraint(st.in_check("conclusion", st.MIDTERM_CONCLUSIONS), name="conclusion"),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(
        sa.ForeignKey("awards.id", ondelete="CASCADE"), index=True
    )
    progress: Mapped[int] = mapped_column(default=0)  # % complete
    conclusion: Mapped[str] = mapped_column(sa.String(16))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(default=clock.now)


class Acceptance(db.Model):
    """验收 of one award: measured values, result, and an organiser override with its reason."""

    __tablename__ = "acceptances"
    __table_args__ = (
        sa.CheckConstraint(st.in_check("result", st.ACCEPTANCE_RESULTS), name="result"),
        sa.CheckConstraint("NOT overridden OR override_reason <> ''", name="override_reason"),
        sa.CheckConstraint(f"attempt BETWEEN 1 AND {st.MAX_ATTEMPTS}", name="attempt"),
        sa.UniqueConstraint("award_id", "attempt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(sa.ForeignKey("awards.id", ondelete="CASCADE"))
    attempt: Mapped[int] = mapped_column(default=1, server_default="1")  # 1 验收, 2 复验
    result: Mapped[str] = mapped_column(sa.String(8))
    overridden: Mapped[bool] = mapped_column(default=False)
    override_reason: Mapped[str] = mapped_column(sa.Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime] = mapped_column(default=clock.now)

    award: Mapped[Award] = relationship(back_populates="acceptances")
    measurements: Mapped[list[Measurement]] = relationship(
        cascade="all, delete-orphan", order_by="Measurement.id"
    )


class Measurement(db.Model):
    __tablename__ = "acceptance_measurements"

    id: Mapped[int] = mapped_column(primary_key=True)
    acceptance_id: Mapped[int] = mapped_column(
        sa.ForeignKey("acceptances.id", ondelete="CASCADE"), index=True
    )
    listing_kpi_id: Mapped[int] = mapped_column(
        sa.ForeignKey("listing_kpis.id", ondelete="CASCADE")
    )
    committed: Mapped[float] = mapped_column(sa.Float)
    measured: Mapped[float] = mapped_column(sa.Float)
    met: Mapped[bool]
    evidence: Mapped[str] = mapped_column(sa.Text, default="")

    kpi: Mapped[ListingKpi] = relationship(lazy="joined")


class Rectification(db.Model):
    """整改: the one rectification period a failed 验收 may be given, the vendor's report of the
    fix (evidence as attachments, owner_type "rectification") and the 复验 that decides."""

    __tablename__ = "rectifications"
    __table_args__ = (
        sa.CheckConstraint(st.in_check("status", st.RECTIFICATION_STATUSES), name="status"),
        sa.CheckConstraint("days BETWEEN 1 AND 365", name="days"),
        sa.UniqueConstraint("award_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(sa.ForeignKey("awards.id", ondelete="CASCADE"))
    findings: Mapped[str] = mapped_column(sa.Text)
    days: Mapped[int]
    due_on: Mapped[date] = mapped_column(sa.Date)  # the last day (Beijing) to report the fix
    status: Mapped[str] = mapped_column(sa.String(16), default=st.OPEN)
    granted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    granted_at: Mapped[datetime] = mapped_column(default=clock.now)
    report_note: Mapped[str] = mapped_column(sa.Text, default="")
    reported_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    reported_at: Mapped[datetime | None]

    award: Mapped[Award] = relationship(back_populates="rectification")

    @property
    def overdue(self) -> bool:
        return self.status == st.OPEN and clock.local_now().date() > self.due_on


ACTIVE_PAYMENT = sa.text("reversed_at IS NULL")


class VoucherPayment(db.Model):
    """场景券台账: one payment of a payable voucher, recorded by the organiser with its date and
    the reference number of the transfer (unique among the payments not reversed: recording it
    twice records it once).

    冲销 (reversal) as a public-finance ledger does it: a payment recorded by mistake is never
    deleted or edited; the organiser reverses it with a reason, and it stays on the ledger,
    marked 已冲销, counting in no total. The reversal is three columns of the payment
    (`reversed_at`, `reversed_by_id`, `reversal_reason`) rather than a row of its own because
    a payment is reversed at most once and whole: the columns make that a fact of the row,
    the reversal one compare-and-set `UPDATE … WHERE reversed_at IS NULL` (two clicks reverse
    once), and the reference's uniqueness a partial index on the same table (a reversed
    transfer's reference may be recorded again, correctly). What was recorded is never
    overwritten: the reversal only fills columns that were empty, and the audit log keeps both.
    """

    __tablename__ = "voucher_payments"
    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount"),
        sa.CheckConstraint("reversed_at IS NULL OR reversal_reason <> ''", name="reversal_reason"),
        sa.Index(
            "uq_voucher_payments_active_reference",
            "reference",
            unique=True,
            postgresql_where=ACTIVE_PAYMENT,
            sqlite_where=ACTIVE_PAYMENT,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(
        sa.ForeignKey("awards.id", ondelete="RESTRICT"), index=True
    )
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))  # 万元
    paid_on: Mapped[date] = mapped_column(sa.Date)
    reference: Mapped[str] = mapped_column(sa.String(64))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(default=clock.now)
    reversed_at: Mapped[datetime | None]
    reversed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    reversal_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    award: Mapped[Award] = relationship(back_populates="payments")
    reversed_by: Mapped[User | None] = relationship(foreign_keys=[reversed_by_id])

    @property
    def reversed(self) -> bool:
        return self.reversed_at is not None
