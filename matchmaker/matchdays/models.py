"""A matchmaking day (供需对接会), its registrations, partner choices and meetings."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..accounts.models import Organisation
from ..extensions import db
from .states import CANCELLED, CHOICES, DRAFT, KINDS, MEETING_STATES, OUTCOMES, PUBLISHED, STATUSES


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class MatchDay(db.Model):
    __tablename__ = "match_days"
    __table_args__ = (
        sa.CheckConstraint(_in("status", STATUSES), name="status"),
        sa.CheckConstraint("slot_minutes BETWEEN 5 AND 120", name="slot_minutes"),
        sa.CheckConstraint("slot_count BETWEEN 1 AND 40", name="slot_count"),
        sa.CheckConstraint("tables BETWEEN 1 AND 200", name="tables"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    venue: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    day: Mapped[date] = mapped_column(sa.Date)
    starts_at: Mapped[time] = mapped_column(sa.Time)  # Beijing time of the first slot
    slot_minutes: Mapped[int] = mapped_column(sa.Integer, default=20)
    slot_count: Mapped[int] = mapped_column(sa.Integer, default=12)
    tables: Mapped[int] = mapped_column(sa.Integer, default=10)
    registration_closes_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    status: Mapped[str] = mapped_column(sa.String(16), default="draft", index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)
    scheduled_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    schedule_note: Mapped[str] = mapped_column(sa.String(400), default="")

    registrations: Mapped[list[MatchDayRegistration]] = relationship(
        back_populates="match_day", cascade="all, delete-orphan", order_by="MatchDayRegistration.id"
    )

    def slot_label(self, slot: int) -> str:
        start = datetime.combine(self.day, self.starts_at) + timedelta(
            minutes=slot * self.slot_minutes
        )
        end = start + timedelta(minutes=self.slot_minutes)
        return f"{start:%H:%M}–{end:%H:%M}"

    def span_label(self) -> str:
        """From the first slot's start to the last one's end, e.g. "09:00–13:00"."""
        first, last = self.slot_label(0), self.slot_label(self.slot_count - 1)
        return f"{first.split('–')[0]}–{last.split('–')[1]}"

    @property
    def slots(self) -> list[int]:
        return list(range(self.slot_count))

    def registration_open(self, now: datetime | None = None) -> bool:
        now = now or clock.now()
        closes = self.registration_closes_at
        if closes.tzinfo is None:
            closes = closes.replace(tzinfo=now.tzinfo)
        return self.status == PUBLISHED and now < closes

    def has_begun(self, now: datetime | None = None) -> bool:
        local = clock.local_now() if now is None else now.astimezone(clock.LOCAL_TZ)
        return local.date() >= self.day

    def phase(self, now: datetime | None = None) -> str:
        """Where the day stands for a reader, by status and date (the badge on its pages):
        draft, cancelled, open (registration open), closed (deadline passed, not yet
        scheduled), scheduled, today (the day itself) or held (a past day)."""
        if self.status in (DRAFT, CANCELLED):
            return self.status
        if self.has_begun(now):
            local = clock.local_now() if now is None else now.astimezone(clock.LOCAL_TZ)
            return "today" if local.date() == self.day else "held"
        if self.registration_open(now):
            return "open"
        return "closed" if self.status == PUBLISHED else "scheduled"


class MatchDayRegistration(db.Model):
    """An organisation's registration: what it brings (need or offering ids), when it is free."""

    __tablename__ = "match_day_registrations"
    __table_args__ = (
        sa.UniqueConstraint(
            "match_day_id", "organisation_id", name="uq_match_day_registrations_org"
        ),
        sa.CheckConstraint(_in("kind", KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_day_id: Mapped[int] = mapped_column(
        sa.ForeignKey("match_days.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(16))
    item_ids: Mapped[list] = mapped_column(sa.JSON, default=list)  # need or offering ids
    slots: Mapped[list] = mapped_column(sa.JSON, default=list)  # available slot numbers
    registered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)

    match_day: Mapped[MatchDay] = relationship(back_populates="registrations")
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    choices: Mapped[list[MatchDayChoice]] = relationship(
        cascade="all, delete-orphan", order_by="MatchDayChoice.id"
    )


class MatchDayChoice(db.Model):
    """A registered party's wish for (or refusal of) a partner organisation."""

    __tablename__ = "match_day_choices"
    __table_args__ = (
        sa.UniqueConstraint("registration_id", "partner_id", name="uq_match_day_choices_partner"),
        sa.CheckConstraint(_in("choice", CHOICES), name="choice"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("match_day_registrations.id", ondelete="CASCADE"), index=True
    )
    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    choice: Mapped[str] = mapped_column(sa.String(16))


class MatchDayMeeting(db.Model):
    """A 1:1 meeting (proposed by the scheduler, pinned by the organiser) or a removed pair."""

    __tablename__ = "match_day_meetings"
    __table_args__ = (
        sa.UniqueConstraint(
            "match_day_id", "factory_id", "vendor_id", name="uq_match_day_meetings_pair"
        ),
        sa.CheckConstraint(_in("state", MEETING_STATES), name="state"),
        sa.CheckConstraint(
            "factory_outcome IS NULL OR " + _in("factory_outcome", OUTCOMES), name="factory_outcome"
        ),
        sa.CheckConstraint(
            "vendor_outcome IS NULL OR " + _in("vendor_outcome", OUTCOMES), name="vendor_outcome"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_day_id: Mapped[int] = mapped_column(
        sa.ForeignKey("match_days.id", ondelete="CASCADE"), index=True
    )
    factory_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    vendor_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    slot: Mapped[int] = mapped_column(sa.Integer)
    table_no: Mapped[int] = mapped_column(sa.Integer)  # 0-based; shown as 1, 2, …
    state: Mapped[str] = mapped_column(sa.String(16), default="proposed")
    need_id: Mapped[int | None] = mapped_column(sa.ForeignKey("needs.id", ondelete="SET NULL"))
    offering_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("offerings.id", ondelete="SET NULL")
    )
    score: Mapped[float | None] = mapped_column(sa.Float)
    band: Mapped[str | None] = mapped_column(sa.String(16))
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)  # short reason texts
    value: Mapped[int] = mapped_column(sa.Integer, default=0)
    factory_outcome: Mapped[str | None] = mapped_column(sa.String(16))
    vendor_outcome: Mapped[str | None] = mapped_column(sa.String(16))

    factory: Mapped[Organisation] = relationship(foreign_keys=[factory_id], lazy="joined")
    vendor: Mapped[Organisation] = relationship(foreign_keys=[vendor_id], lazy="joined")

    @property
    def interested(self) -> bool:
        return "interest" in (self.factory_outcome, self.vendor_outcome)

    @property
    def overlap_only(self) -> bool:
        """Scored by the taxonomy stand-in (no engine match, so no band and no reasons), and
        the two share something: the agenda says 领域相近 rather than nothing."""
        return self.band is None and not self.reasons and bool(self.score)
