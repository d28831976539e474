"""A need (发榜), its target KPIs, its published versions and its review history; what vendors
do with a published need (views, NDA acceptances, follows, interest, invitations)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..accounts.models import Organisation, User
from ..extensions import db
from ..scenarios.models import Industry, ScenarioCategory, ScenarioTemplate
from ..statemachine import in_check
from .choices import CONFIDENTIALITY, DATA_LABELLED, KPI_DIRECTIONS, STATUSES
from .states import ACTIONS, PUBLISHED

# The content fields an edit may change; a published need's version records which changed.
CONTENT_FIELDS = (
    "title",
    "industry_id",
    "category_id",
    "template_id",
    "other_description",
    "goal",
    "pain_point",
    "current_process",
    "data_sources",
    "data_volume",
    "data_labelled",
    "data_description",
    "budget_min",
    "budget_max",
    "vouchers",
    "delivery_months",
    "delivery_date",
    "town",
    "constraints",
    "constraints_note",
    "confidentiality",
)


class Need(db.Model):
    __tablename__ = "needs"
    __table_args__ = (
        sa.CheckConstraint(in_check("status", STATUSES), name="status"),
        sa.CheckConstraint(in_check("confidentiality", CONFIDENTIALITY), name="confidentiality"),
        sa.CheckConstraint(in_check("data_labelled", DATA_LABELLED), name="data_labelled"),
        sa.CheckConstraint("budget_min IS NULL OR budget_min >= 0", name="budget_min"),
        sa.CheckConstraint(
            "budget_min IS NULL OR budget_max IS NULL OR budget_min <= budget_max",
            name="budget_range",
        ),
        sa.CheckConstraint("template_id IS NOT NULL OR other_description <> ''", name="other"),
        sa.Index("ix_needs_status_published_at", "status", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(sa.String(200))
    industry_id: Mapped[int] = mapped_column(sa.ForeignKey("industries.id"), index=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("scenario_categories.id"), index=True)
    # NULL = "其他": the factory describes the scenario in other_description.
    template_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("scenario_templates.id"), index=True
    )
    other_description: Mapped[str] = mapped_column(sa.Text, default="")
    goal: Mapped[str] = mapped_column(sa.Text, default="")  # 需求描述与期望效果
    pain_point: Mapped[str] = mapped_column(sa.Text, default="")  # 痛点
    current_process: Mapped[str] = mapped_column(sa.Text, default="")  # 现状
    data_sources: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    data_volume: Mapped[str] = mapped_column(sa.String(200), default="")
    data_labelled: Mapped[str] = mapped_column(sa.String(8), default="no")
    data_description: Mapped[str] = mapped_column(sa.Text, default="")
    budget_min: Mapped[int | None]  # 万元
    budget_max: Mapped[int | None]  # 万元
    vouchers: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    delivery_months: Mapped[int | None]
    delivery_date: Mapped[date | None] = mapped_column(sa.Date)
    town: Mapped[str] = mapped_column(sa.String(100), default="", index=True)
    constraints: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    constraints_note: Mapped[str] = mapped_column(sa.Text, default="")
    confidentiality: Mapped[str] = mapped_column(sa.String(16), default="public")
    status: Mapped[str] = mapped_column(sa.String(16), default="draft", index=True)
    version: Mapped[int] = mapped_column(default=0)  # 0 until first published
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Set when an organiser merged this need into a near-duplicate (it is then closed).
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("needs.id", ondelete="SET NULL"), index=True
    )

    owner: Mapped[Organisation] = relationship(lazy="joined")
    merged_into: Mapped[Need | None] = relationship(
        remote_side=[id], foreign_keys=[merged_into_id], back_populates="merged_needs"
    )
    merged_needs: Mapped[list[Need]] = relationship(
        foreign_keys=[merged_into_id], back_populates="merged_into", order_by="Need.id"
    )
    author: Mapped[User | None] = relationship()
    industry: Mapped[Industry] = relationship(lazy="joined")
    category: Mapped[ScenarioCategory] = relationship(lazy="joined")
    template: Mapped[ScenarioTemplate | None] = relationship()
    kpis: Mapped[list[NeedKpi]] = relationship(
        back_populates="need", order_by="NeedKpi.position", cascade="all, delete-orphan"
    )
    versions: Mapped[list[NeedVersion]] = relationship(
        order_by="NeedVersion.number.desc()", cascade="all, delete-orphan"
    )
    reviews: Mapped[list[NeedReview]] = relationship(
        order_by="NeedReview.id.desc()", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Need {self.id} {self.status}>"

    @property
    def is_published(self) -> bool:
        return self.status == PUBLISHED

    @property
    def co_demanders(self) -> list[Organisation]:
        """The factories whose needs were merged into this one (联合需求方), each once."""
        seen: dict[int, Organisation] = {}
        for merged in self.merged_needs:
            if merged.owner_id != self.owner_id:
                seen.setdefault(merged.owner_id, merged.owner)
        return list(seen.values())

    @property
    def anonymous_owner_name(self) -> str:
        """ "某纺织化纤企业": how a summary_only owner appears before the NDA."""
        return f"某{self.industry.name_zh}企业"

    def as_record(self) -> dict[str, Any]:
        """The content as plain JSON-able values (version snapshots, change detection)."""
        record = {name: getattr(self, name) for name in CONTENT_FIELDS}
        record["delivery_date"] = self.delivery_date.isoformat() if self.delivery_date else None
        record["kpis"] = [kpi.as_record() for kpi in self.kpis]
        return record


class NeedKpi(db.Model):
    """A target indicator row: e.g. 出次率 6 % → 5.1 %, direction down."""

    __tablename__ = "need_kpis"
    __table_args__ = (sa.CheckConstraint(in_check("direction", KPI_DIRECTIONS), name="direction"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    indicator: Mapped[str] = mapped_column(sa.String(100))
    baseline: Mapped[float | None] = mapped_column(sa.Float)
    target: Mapped[float] = mapped_column(sa.Float)
    unit: Mapped[str] = mapped_column(sa.String(30), default="")
    direction: Mapped[str] = mapped_column(sa.String(4))

    need: Mapped[Need] = relationship(back_populates="kpis")

    def as_record(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "baseline": self.baseline,
            "target": self.target,
            "unit": self.unit,
            "direction": self.direction,
        }


class NeedVersion(db.Model):
    """A snapshot of the published content: version 1 at approval, one more per later edit."""

    __tablename__ = "need_versions"
    __table_args__ = (sa.UniqueConstraint("need_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    changed_fields: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    snapshot: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    actor: Mapped[User | None] = relationship()


class NeedReview(db.Model):
    """Every status action on a need: who, when, why (the review trail)."""

    __tablename__ = "need_reviews"
    __table_args__ = (sa.CheckConstraint(in_check("action", ACTIONS), name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(sa.String(16))
    from_status: Mapped[str] = mapped_column(sa.String(16))
    to_status: Mapped[str] = mapped_column(sa.String(16))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    at: Mapped[datetime] = mapped_column(default=clock.now)

    actor: Mapped[User | None] = relationship()


# What vendors do with a published need: views, NDA acceptances, follows, interest responses,
# and the invitations that open an invited_only need to a vendor organisation.


def _need_fk() -> Mapped[int]:
    return mapped_column(sa.ForeignKey("needs.id", ondelete="CASCADE"), index=True)


def _org_fk() -> Mapped[int]:
    return mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)


class NeedView(db.Model):
    """One row per (need, viewing organisation), its first and last visit."""

    __tablename__ = "need_views"
    __table_args__ = (sa.UniqueConstraint("need_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = _need_fk()
    organisation_id: Mapped[int] = _org_fk()
    first_seen: Mapped[datetime] = mapped_column(default=clock.now)
    last_seen: Mapped[datetime] = mapped_column(default=clock.now)
    count: Mapped[int] = mapped_column(default=1)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class NdaAcceptance(db.Model):
    """A vendor organisation accepted the confidentiality terms of a summary_only need (once)."""

    __tablename__ = "need_nda_acceptances"
    __table_args__ = (sa.UniqueConstraint("need_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = _need_fk()
    organisation_id: Mapped[int] = _org_fk()
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    terms_version: Mapped[str] = mapped_column(sa.String(20))
    accepted_at: Mapped[datetime] = mapped_column(default=clock.now)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    user: Mapped[User | None] = relationship()


class NeedInvitation(db.Model):
    """The owner opened an invited_only need to one vendor organisation."""

    __tablename__ = "need_invitations"
    __table_args__ = (sa.UniqueConstraint("need_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = _need_fk()
    organisation_id: Mapped[int] = _org_fk()
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class NeedFollow(db.Model):
    """A vendor user follows a need (notified when it changes)."""

    __tablename__ = "need_follows"
    __table_args__ = (sa.UniqueConstraint("need_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = _need_fk()
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = _org_fk()
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class NeedInterest(db.Model):
    """意向响应: a vendor organisation's interest in a need (one per organisation and need)."""

    __tablename__ = "need_interests"
    __table_args__ = (sa.UniqueConstraint("need_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = _need_fk()
    organisation_id: Mapped[int] = _org_fk()
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(sa.Text)
    contact: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    user: Mapped[User | None] = relationship()
