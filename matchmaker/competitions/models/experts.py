"""专家库: an expert's profile kept by the organisers (fields, organisation, availability) and
the invitation that made the account. The expert's own account is a `User` with role "expert";
declared relations are `ExpertRelation` rows (reviews.py)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ... import clock
from ...accounts.models import User
from ...extensions import db
from ...scenarios.models import Industry, ScenarioCategory

AVAILABILITIES = ("available", "limited", "unavailable")

expert_categories = sa.Table(
    "expert_categories",
    db.metadata,
    sa.Column(
        "expert_id", sa.ForeignKey("expert_profiles.user_id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "category_id", sa.ForeignKey("scenario_categories.id", ondelete="CASCADE"), primary_key=True
    ),
)
expert_industries = sa.Table(
    "expert_industries",
    db.metadata,
    sa.Column(
        "expert_id", sa.ForeignKey("expert_profiles.user_id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("industry_id", sa.ForeignKey("industries.id", ondelete="CASCADE"), primary_key=True),
)


class ExpertProfile(db.Model):
    __tablename__ = "expert_profiles"
    __table_args__ = (
        sa.CheckConstraint(
            "availability IN ('available', 'limited', 'unavailable')", name="availability"
        ),
    )

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_name: Mapped[str] = mapped_column(sa.String(200), default="")  # 工作单位
    title: Mapped[str] = mapped_column(sa.String(100), default="")  # 职称
    expertise: Mapped[str] = mapped_column(sa.Text, default="")  # 研究方向与经验
    availability: Mapped[str] = mapped_column(sa.String(16), default="available")
    availability_note: Mapped[str] = mapped_column(sa.String(300), default="")
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    invited_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=clock.now, onupdate=clock.now
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    categories: Mapped[list[ScenarioCategory]] = relationship(
        secondary=expert_categories, order_by=ScenarioCategory.id
    )
    industries: Mapped[list[Industry]] = relationship(
        secondary=expert_industries, order_by=Industry.id
    )

    @property
    def id(self) -> int:  # the audit log names an object by `id`
        return self.user_id

    @property
    def pending_invitation(self) -> bool:
        return self.invited_at is not None and self.accepted_at is None

    def profile_text(self) -> str:
        """What the listing's text is matched against."""
        parts = [c.name_zh for c in self.categories] + [i.name_zh for i in self.industries]
        return " ".join([*parts, self.title, self.expertise, self.organisation_name])
