"""Vendor profiles (with case studies) and offerings (with KPIs, tags and review history)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..accounts.models import Organisation, User
from ..extensions import db
from ..scenarios.models import Industry, ScenarioCategory, ScenarioTemplate
from . import states

TAG_KINDS = ("tech", "deployment")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _link(name: str, left: tuple[str, str], right: tuple[str, str]) -> sa.Table:
    """An association table (column, referenced table) × 2 with a composite primary key;
    a template merge drops the rows that would collide (scenarios.references)."""
    return db.Table(
        name,
        *(
            sa.Column(column, sa.ForeignKey(f"{target}.id", ondelete="CASCADE"), primary_key=True)
            for column, target in (left, right)
        ),
    )


profile_industries = _link(
    "vendor_profile_industries", ("profile_id", "vendor_profiles"), ("industry_id", "industries")
)
offering_categories = _link(
    "offering_categories", ("offering_id", "offerings"), ("category_id", "scenario_categories")
)
offering_templates = _link(
    "offering_templates", ("offering_id", "offerings"), ("template_id", "scenario_templates")
)
offering_industries = _link(
    "offering_industries", ("offering_id", "offerings"), ("industry_id", "industries")
)


class VendorProfile(db.Model):
    """One per vendor organisation: who they are, what they have done."""

    __tablename__ = "vendor_profiles"
    __table_args__ = (
        sa.CheckConstraint("team_size IS NULL OR team_size >= 0", name="team_size"),
        sa.CheckConstraint(
            "rd_staff IS NULL OR (rd_staff >= 0 AND (team_size IS NULL OR rd_staff <= team_size))",
            name="rd_staff",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    introduction: Mapped[str] = mapped_column(sa.Text, default="")
    qualifications: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    qualification_note: Mapped[str] = mapped_column(sa.String(300), default="")
    team_size: Mapped[int | None]
    rd_staff: Mapped[int | None]
    founded_year: Mapped[int | None]
    service_areas: Mapped[str] = mapped_column(sa.String(500), default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    contact_name: Mapped[str] = mapped_column(sa.String(100), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(30), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    organisation: Mapped[Organisation] = relationship()
    industries: Mapped[list[Industry]] = relationship(
        secondary=profile_industries, order_by=Industry.position
    )
    case_studies: Mapped[list[CaseStudy]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="CaseStudy.position"
    )


class CaseStudy(db.Model):
    """A delivered project: for whom, which scenario, what was done, what it measured."""

    __tablename__ = "case_studies"
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("vendor_profiles.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    customer_type: Mapped[str] = mapped_column(sa.String(100))
    template_id: Mapped[int | None] = mapped_column(sa.ForeignKey("scenario_templates.id"))
    work_done: Mapped[str] = mapped_column(sa.Text, default="")
    result: Mapped[str] = mapped_column(sa.String(300), default="")
    year: Mapped[int | None]

    profile: Mapped[VendorProfile] = relationship(back_populates="case_studies")
    template: Mapped[ScenarioTemplate | None] = relationship()


class Offering(db.Model):
    """A vendor's solution, reviewed by the organiser before the public sees it."""

    __tablename__ = "offerings"
    __table_args__ = (
        sa.CheckConstraint(_in("status", states.STATUSES), name="status"),
        sa.CheckConstraint("price_min IS NULL OR price_min >= 0", name="price_min"),
        sa.CheckConstraint(
            "price_min IS NULL OR price_max IS NULL OR price_min <= price_max", name="price_range"
        ),
        sa.CheckConstraint("delivery_weeks IS NULL OR delivery_weeks > 0", name="delivery_weeks"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    kpi_note: Mapped[str] = mapped_column(sa.Text, default="")
    price_min: Mapped[float | None]  # 万元
    price_max: Mapped[float | None]
    delivery_weeks: Mapped[int | None]
    references_text: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(16), default=states.DRAFT, index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()
    categories: Mapped[list[ScenarioCategory]] = relationship(
        secondary=offering_categories, order_by=ScenarioCategory.position
    )
    templates: Mapped[list[ScenarioTemplate]] = relationship(
        secondary=offering_templates, order_by=ScenarioTemplate.code
    )
    industries: Mapped[list[Industry]] = relationship(
        secondary=offering_industries, order_by=Industry.position
    )
    kpis: Mapped[list[OfferingKpi]] = relationship(
        cascade="all, delete-orphan", order_by="OfferingKpi.position"
    )
    tags: Mapped[list[OfferingTag]] = relationship(cascade="all, delete-orphan")
    reviews: Mapped[list[OfferingReview]] = relationship(
        back_populates="offering", cascade="all, delete-orphan", order_by="OfferingReview.id"
    )

    def __repr__(self) -> str:
        return f"<Offering {self.id} {self.status}>"

    def codes(self, kind: str) -> list[str]:
        return sorted(tag.code for tag in self.tags if tag.kind == kind)

    @property
    def tech_tags(self) -> list[str]:
        return self.codes("tech")

    @property
    def deployment_modes(self) -> list[str]:
        return self.codes("deployment")

    def set_codes(self, kind: str, codes) -> None:
        wanted = set(codes)
        self.tags = [t for t in self.tags if t.kind != kind or t.code in wanted] + [
            OfferingTag(kind=kind, code=code) for code in sorted(wanted - set(self.codes(kind)))
        ]

    @property
    def is_published(self) -> bool:
        return self.status == states.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return states.is_editable(self.status)

    def belongs_to(self, user) -> bool:
        return bool(
            getattr(user, "is_vendor_member", False)
            and user.organisation_id == self.organisation_id
        )

    def can_view(self, user) -> bool:
        """Published offerings are public; others only for their vendor and organisers."""
        public = self.is_published and self.organisation.is_approved
        return public or self.belongs_to(user) or getattr(user, "is_organiser", False)


class OfferingTag(db.Model):
    """A technology tag or a deployment mode of an offering (filterable on every backend)."""

    __tablename__ = "offering_tags"
    __table_args__ = (sa.CheckConstraint(_in("kind", TAG_KINDS), name="kind"),)
    offering_id: Mapped[int] = mapped_column(
        sa.ForeignKey("offerings.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(30), primary_key=True, index=True)


class OfferingKpi(db.Model):
    """A measured result: indicator went from `before` to `after` (unit, better direction)."""

    __tablename__ = "offering_kpis"
    __table_args__ = (sa.CheckConstraint(_in("direction", ("up", "down")), name="direction"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(
        sa.ForeignKey("offerings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    indicator: Mapped[str] = mapped_column(sa.String(100))
    before: Mapped[float]
    after: Mapped[float]
    unit: Mapped[str] = mapped_column(sa.String(30), default="")
    direction: Mapped[str] = mapped_column(sa.String(4))


class OfferingReview(db.Model):
    """Append-only history of an offering: who did what, when, and why."""

    __tablename__ = "offering_reviews"
    __table_args__ = (sa.CheckConstraint(_in("action", states.ACTIONS), name="action"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(
        sa.ForeignKey("offerings.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(16))
    from_status: Mapped[str] = mapped_column(sa.String(16))
    to_status: Mapped[str] = mapped_column(sa.String(16))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    at: Mapped[datetime] = mapped_column(default=clock.now)

    offering: Mapped[Offering] = relationship(back_populates="reviews")
    actor: Mapped[User | None] = relationship()
