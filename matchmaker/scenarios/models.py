"""Industries, the typical scenario categories, the demand-scenario templates, and their audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .miit_stages import STAGE_CODES, STAGES

TEMPLATE_STATUSES = ("active", "retired", "merged")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Localized:
    """`obj.label('name')` → the zh or en variant of a bilingual column pair."""

    def label(self, field: str, locale: str = "zh") -> str:
        english = getattr(self, f"{field}_en", None)
        if locale.startswith("en") and english:
            return english
        return getattr(self, f"{field}_zh")


class Industry(Localized, db.Model):
    __tablename__ = "industries"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<Industry {self.code}>"


class ScenarioCategory(Localized, db.Model):
    __tablename__ = "scenario_categories"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    description_zh: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<ScenarioCategory {self.code}>"


class ScenarioTemplate(Localized, db.Model):
    __tablename__ = "scenario_templates"
    __table_args__ = (
        CheckConstraint(_in("stage", STAGE_CODES), name="stage"),
        CheckConstraint(_in("status", TEMPLATE_STATUSES), name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    industry_id: Mapped[int] = mapped_column(ForeignKey("industries.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("scenario_categories.id"), index=True)
    stage: Mapped[str] = mapped_column(String(30))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    pain_point_zh: Mapped[str] = mapped_column(Text, default="")
    data_zh: Mapped[str] = mapped_column(Text, default="")
    example_zh: Mapped[str] = mapped_column(Text, default="")
    kpis: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(10), default="active")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("scenario_templates.id"))
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    industry: Mapped[Industry] = relationship(lazy="joined")
    category: Mapped[ScenarioCategory] = relationship(lazy="joined")
    merged_into: Mapped[ScenarioTemplate | None] = relationship(remote_side=[id])

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    def stage_label(self, locale: str = "zh") -> str:
        zh, en = STAGES[self.stage]
        return en if locale.startswith("en") else zh

    def as_record(self) -> dict[str, Any]:
        """A plain description (for the audit trail and for the search package)."""
        return {
            "code": self.code,
            "industry": self.industry.code if self.industry else None,
            "category": self.category.code if self.category else None,
            "stage": self.stage,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "pain_point_zh": self.pain_point_zh,
            "data_zh": self.data_zh,
            "example_zh": self.example_zh,
            "kpis": list(self.kpis or []),
            "position": self.position,
            "status": self.status,
        }

    def __repr__(self) -> str:
        return f"<ScenarioTemplate {self.code}>"


class TaxonomyChange(db.Model):
    """Append-only audit trail of every curation action."""

    __tablename__ = "taxonomy_changes"
    __table_args__ = (
        CheckConstraint(_in("entity", ("industry", "category", "template")), name="entity"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(20))
    entity_code: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")

    # By name: accounts is a sibling package that scenarios does not import.
    actor: Mapped[Any] = relationship("User", lazy="joined")
