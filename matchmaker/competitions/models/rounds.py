"""A round (批次) of the programme and its listings (榜单) with their 考核指标."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ... import clock
from ...accounts.models import Organisation, User
from ...extensions import db
from ...needs.models import Need
from ...statemachine import in_check
from .. import stages
from ..scoring import Criterion

DEFAULT_RUBRIC = (
    {"code": "technical", "label": "技术方案", "weight": 40},
    {"code": "team", "label": "团队实力", "weight": 20},
    {"code": "kpi", "label": "指标承诺", "weight": 20},
    {"code": "price", "label": "报价合理性", "weight": 10},
    {"code": "cases", "label": "落地案例", "weight": 10},
)
DEFAULT_TIE_BREAK = "kpi"
MAX_QUOTA = 3

listing_needs = db.Table(
    "listing_needs",
    sa.Column("listing_id", sa.ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("need_id", sa.ForeignKey("needs.id", ondelete="RESTRICT"), primary_key=True),
)


class Round(db.Model):
    __tablename__ = "rounds"
    __table_args__ = (
        sa.CheckConstraint("opens_at < closes_at", name="window"),
        sa.CheckConstraint(f"quota BETWEEN 1 AND {MAX_QUOTA}", name="quota"),
        sa.CheckConstraint("max_leads >= 1", name="max_leads"),
        sa.CheckConstraint("publicity_days >= 1", name="publicity_days"),
        sa.CheckConstraint("voucher_share >= 0 AND voucher_share <= 1", name="voucher_share"),
        sa.CheckConstraint("voucher_cap >= 0", name="voucher_cap"),
        sa.CheckConstraint("scale_max > 0", name="scale_max"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    rules: Mapped[str] = mapped_column(sa.Text, default="")
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    review_opens_at: Mapped[datetime | None]
    review_closes_at: Mapped[datetime | None]
    publicity_days: Mapped[int] = mapped_column(default=7)
    quota: Mapped[int] = mapped_column(default=1)
    voucher_share: Mapped[Decimal] = mapped_column(sa.Numeric(4, 3), default=Decimal("0.3"))
    voucher_cap: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2), default=Decimal("50"))
    max_leads: Mapped[int] = mapped_column(default=3)
    rubric: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    scale_max: Mapped[float] = mapped_column(sa.Float, default=10.0)
    tie_break: Mapped[str] = mapped_column(sa.String(30), default=DEFAULT_TIE_BREAK)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    listings: Mapped[list[Listing]] = relationship(back_populates="round", order_by="Listing.id")

    def criteria(self) -> list[Criterion]:
        return [Criterion(c["code"], float(c["weight"]), self.scale_max) for c in self.rubric]

    def label_of(self, code: str) -> str:
        return next((c["label"] for c in self.rubric if c["code"] == code), code)

    @property
    def is_open(self) -> bool:
        """The 揭榜 window, by the injected clock."""
        return self.opens_at <= clock.now() < self.closes_at

    @property
    def review_is_open(self) -> bool:
        """The 评审 window, when the round sets one (either end may be open)."""
        now = clock.now()
        started = self.review_opens_at is None or self.review_opens_at <= now
        return started and (self.review_closes_at is None or now < self.review_closes_at)


class Listing(db.Model):
    __tablename__ = "listings"
    __table_args__ = (
        sa.CheckConstraint(stages.check_constraint_sql("stage"), name="stage"),
        sa.CheckConstraint("reward IS NULL OR reward >= 0", name="reward"),
        sa.CheckConstraint("budget IS NULL OR budget >= 0", name="budget"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rounds.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    reward: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))  # 万元
    budget: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))  # 万元
    legal_entity_required: Mapped[bool] = mapped_column(default=True)
    qualifications: Mapped[str] = mapped_column(sa.Text, default="")
    local_presence_required: Mapped[bool] = mapped_column(default=False)
    consortium_allowed: Mapped[bool] = mapped_column(default=False)
    # 答疑: the organiser may let the listing's factories answer vendors' questions too.
    factory_answers: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    stage: Mapped[str] = mapped_column(sa.String(16), default=stages.PUBLISHED, index=True)
    cancel_reason: Mapped[str] = mapped_column(sa.Text, default="")
    publicity_starts_at: Mapped[datetime | None]
    publicity_ends_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    round: Mapped[Round] = relationship(back_populates="listings", lazy="joined")
    needs: Mapped[list[Need]] = relationship(secondary=listing_needs, order_by=Need.id)
    kpis: Mapped[list[ListingKpi]] = relationship(
        cascade="all, delete-orphan", order_by="ListingKpi.position"
    )

    def __repr__(self) -> str:
        return f"<Listing {self.id} {self.stage}>"

    @property
    def owners(self) -> list[Organisation]:
        """The factories whose needs the listing carries."""
        seen: dict[int, Organisation] = {}
        for need in self.needs:
            seen.setdefault(need.owner_id, need.owner)
        return list(seen.values())

    def owner_users(self) -> list[User]:
        return [user for org in self.owners for user in org.members]

    def is_owned_by(self, user) -> bool:
        org_id = getattr(user, "organisation_id", None)
        return org_id is not None and any(o.id == org_id for o in self.owners)

    @property
    def publicity_over(self) -> bool:
        ends = self.publicity_ends_at
        return ends is not None and clock.now() >= ends

    def publicity_window(self, days: int) -> tuple[datetime, datetime]:
        start = clock.now()
        return start, start + timedelta(days=days)


class ListingKpi(db.Model):
    """A 考核指标 of a listing, copied from the needs' KPI rows and editable by the organiser."""

    __tablename__ = "listing_kpis"
    __table_args__ = (sa.CheckConstraint(in_check("direction", ("up", "down")), name="direction"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    indicator: Mapped[str] = mapped_column(sa.String(100))
    baseline: Mapped[float | None] = mapped_column(sa.Float)
    target: Mapped[float] = mapped_column(sa.Float)
    unit: Mapped[str] = mapped_column(sa.String(30), default="")
    direction: Mapped[str] = mapped_column(sa.String(4))
