"""Organisations (factory | vendor | organiser) and the users who act for them.

Membership rules:
- factory_member / vendor_member users belong to an organisation of the matching kind;
- organiser and admin users belong to the organiser organisation (admins may have none);
- experts (评审专家) are independent reviewers and normally have no organisation; they may
  be attached to the organiser organisation when they are its staff. A database CHECK
  allows a NULL organisation only for experts and admins.

Permission predicates live here as properties so that templates, views and services ask the
same question; the anonymous user (`AnonymousUser`) answers False to all of them.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db

ORG_KINDS = ("factory", "vendor", "organiser")
ORG_STATUSES = ("pending", "approved", "rejected")
ROLES = ("factory_member", "vendor_member", "expert", "organiser", "admin")
MEMBER_ROLE_FOR_KIND = {"factory": "factory_member", "vendor": "vendor_member"}
STAFF_ROLES = ("organiser", "admin")
# The vendor digest of newly published matching needs (我的账户): how often a member gets it.
DIGEST_FREQUENCIES = ("daily", "weekly", "off")
DEFAULT_DIGEST_FREQUENCY = "daily"


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Organisation(db.Model):
    __tablename__ = "organisations"
    __table_args__ = (
        sa.CheckConstraint(_in("kind", ORG_KINDS), name="kind"),
        sa.CheckConstraint(_in("status", ORG_STATUSES), name="status"),
        sa.CheckConstraint("kind = 'organiser' OR credit_code IS NOT NULL", name="credit_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    name: Mapped[str] = mapped_column(sa.String(200))
    # 统一社会信用代码; NULL only for the organiser (a government body may register without one).
    credit_code: Mapped[str | None] = mapped_column(sa.String(18), unique=True)
    contact_name: Mapped[str] = mapped_column(sa.String(100), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(30), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    district: Mapped[str] = mapped_column(sa.String(100), default="")
    town: Mapped[str] = mapped_column(sa.String(100), default="")  # 镇街
    status: Mapped[str] = mapped_column(sa.String(16), default="pending", index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL", use_alter=True)
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    review_note: Mapped[str] = mapped_column(sa.Text, default="")  # reason for a rejection
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)

    members: Mapped[list[User]] = relationship(
        back_populates="organisation", foreign_keys="User.organisation_id"
    )
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.kind} {self.status}>"

    @property
    def is_approved(self) -> bool:
        return self.status == "approved"

    @property
    def is_pending(self) -> bool:
        return self.status == "pending"

    @property
    def is_factory(self) -> bool:
        return self.kind == "factory"

    @property
    def is_vendor(self) -> bool:
        return self.kind == "vendor"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(_in("role", ROLES), name="role"),
        sa.CheckConstraint("email = lower(email)", name="email_lower"),
        sa.CheckConstraint(
            "organisation_id IS NOT NULL OR role IN ('expert', 'admin')", name="organisation"
        ),
        sa.CheckConstraint(_in("digest_frequency", DIGEST_FREQUENCIES), name="digest_frequency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # always lower-case
    name: Mapped[str] = mapped_column(sa.String(100))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[str] = mapped_column(sa.String(20))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Carried in every session and remember-me cookie (`get_id`); bumping it ends them all
    # (logout, 退出所有设备, password change, an organiser disabling the account).
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    # Vendor members: the digest's frequency, and when it last looked for new needs.
    digest_frequency: Mapped[str] = mapped_column(
        sa.String(8), default=DEFAULT_DIGEST_FREQUENCY, server_default=DEFAULT_DIGEST_FREQUENCY
    )
    digest_checked_at: Mapped[datetime | None]
    # When the address was proved: by the link in the verification mail (self-registered
    # members start NULL: they may log in but not publish until they verify), or at creation
    # for accounts made by the CLI or an invitation (set by the service that creates them).
    email_verified_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    organisation: Mapped[Organisation | None] = relationship(
        back_populates="members", foreign_keys=[organisation_id]
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"

    # Flask-Login: a deactivated user cannot log in and is logged out on the next request.
    @property
    def is_active(self) -> bool:
        return bool(self.active)

    def get_id(self) -> str:
        """Session id "<id>:<session generation>", stored in the session and in the remember-me
        cookie; `auth.load_user` accepts it only while the generation is current."""
        return f"{self.id}:{self.session_generation or 0}"

    def end_sessions(self) -> None:
        """Invalidate every session and remember-me cookie of this user (not committed)."""
        self.session_generation = (self.session_generation or 0) + 1

    def set_password(self, password_hash: str) -> None:
        """A new password hash; every session of the old password ends with it."""
        self.password_hash = password_hash
        self.end_sessions()

    @property
    def is_organiser(self) -> bool:
        """Organiser staff (主办方) or administrator."""
        return self.role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_expert(self) -> bool:
        return self.role == "expert"

    @property
    def is_factory_member(self) -> bool:
        return self.role == "factory_member"

    @property
    def is_vendor_member(self) -> bool:
        return self.role == "vendor_member"

    @property
    def is_member_of_approved_org(self) -> bool:
        return self.organisation is not None and self.organisation.is_approved

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def publish_blocker(self) -> str | None:
        """Why this user may not publish or submit: "inactive", "role", "unverified" (the
        e-mail address is not verified yet), "unapproved" (the organisation is not approved);
        None when it may."""
        if not self.active:
            return "inactive"
        if self.is_organiser:
            return None
        if not (self.is_factory_member or self.is_vendor_member):
            return "role"
        if not self.is_email_verified:
            return "unverified"
        return None if self.is_member_of_approved_org else "unapproved"

    @property
    def can_publish(self) -> bool:
        """May publish needs (factories) or offerings (vendors), submit applications: active
        organisers, and members with a verified e-mail address of an approved organisation."""
        return self.publish_blocker is None

    @property
    def can_review_organisations(self) -> bool:
        return self.active and self.is_organiser


class AnonymousUser(AnonymousUserMixin):
    """What `current_user` is before login: every permission predicate is False."""

    role = None
    organisation = None
    organisation_id = None
    is_organiser = False
    is_admin = False
    is_expert = False
    is_factory_member = False
    is_vendor_member = False
    is_member_of_approved_org = False
    can_publish = False
    publish_blocker = "anonymous"
    is_email_verified = False
    can_review_organisations = False
