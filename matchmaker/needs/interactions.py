"""What vendors do with a published need: views, NDA acceptances, follows, interest
responses, and the invitations that open an invited_only need to a vendor organisation."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..accounts.models import Organisation, User
from ..extensions import db


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
