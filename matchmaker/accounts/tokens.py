"""Personal access tokens for the JSON API (`Authorization: Bearer mm_…`).

The secret is shown once, when it is created; the database keeps only its SHA-256 (a
high-entropy random secret needs no slow hash) and a short prefix to tell tokens apart.
A token acts as its user and never as more: the same permission rules apply, and it stops
working when it is revoked or expires, when the user changes password (every token is
revoked then), when the user is deactivated, or while the user's
organisation is not approved.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..errors import NotFound, ValidationFailed
from ..extensions import db
from .models import User

TOKEN_PREFIX = "mm_"
MAX_NAME = 100
MAX_TOKENS = 20  # live tokens per user
EXPIRY_DAYS = (0, 30, 90, 365)  # 0 = never
LAST_USED_GRANULARITY = timedelta(minutes=1)  # at most one write per token per minute


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(MAX_NAME))
    prefix: Mapped[str] = mapped_column(sa.String(16))  # "mm_" + 8 characters, for display
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # sha256 hex
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}>"

    def is_live(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(actor, name: str, expires_in_days: int = 0) -> tuple[ApiToken, str]:
    """A new token for `actor`; returns it with the secret, which is never stored."""
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name or len(name) > MAX_NAME:
        errors["name"] = [_("请填写令牌名称（不超过 %(n)s 个字符）。", n=MAX_NAME)]
    if expires_in_days not in EXPIRY_DAYS:
        errors["expires_in_days"] = [_("请选择有效期。")]
    if len(live_tokens(actor)) >= MAX_TOKENS:
        errors["name"] = [_("有效令牌已达 %(n)s 个，请先撤销不用的令牌。", n=MAX_TOKENS)]
    if errors:
        raise ValidationFailed(fields=errors)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken(
        user_id=actor.id,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 8],
        token_hash=hash_secret(secret),
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    db.session.add(token)
    db.session.commit()
    return token, secret


def live_tokens(user) -> list[ApiToken]:
    now = clock.now()
    query = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    return [t for t in db.session.scalars(query.order_by(ApiToken.id.desc())) if t.is_live(now)]


def tokens_of(user) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(db.session.scalars(query))


def revoke_token(actor, token_id: int) -> ApiToken:
    """Revoke one of the actor's own tokens (another user's token does not exist for them)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != actor.id:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        db.session.commit()
    return token


def revoke_all_tokens(user) -> int:
    """Revoke every live token of `user` in the caller's transaction (not committed); how many."""
    live = live_tokens(user)
    now = clock.now()
    for token in live:
        token.revoked_at = now
    return len(live)


def user_for_secret(secret: str) -> User | None:
    """The user a bearer secret acts as, or None (unknown, revoked, expired token; inactive
    user; a member of an organisation that is not approved)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    now = clock.now()
    if token is None or not token.is_live(now):
        return None
    user = token.user
    if not user.active or (user.organisation is not None and not user.is_member_of_approved_org):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        token.last_used_at = now
        db.session.commit()
    return user
