"""Ending sessions server-side, and disabling accounts.

A session (and a remember-me cookie) names its user as "<id>:<session generation>"
(`User.get_id`); `auth.load_user` refuses it once the user's generation has moved on. The
generation goes up at logout and at 退出所有设备 (so a copied session or remember-me cookie
no longer opens anything), at a password change (`services.change_password`) and when an
organiser disables the account. One counter per user: logging out ends the user's sessions
on every device.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from ..errors import InvalidTransition, NotAllowed
from ..extensions import db
from .models import User
from .signals import account_changed


def end_all_sessions(actor: User) -> None:
    """Logout and 退出所有设备: every session and remember-me cookie of `actor` ends."""
    if actor is None or not getattr(actor, "id", None):
        return
    db.session.execute(
        sa.update(User)
        .where(User.id == actor.id)
        .values(session_generation=User.session_generation + 1)
    )
    db.session.commit()


def disable_user(actor: User, user: User) -> None:
    """An organiser disables an account: it cannot log in, its sessions and remember-me
    cookies end at once, its API tokens stop working (inactive users' tokens are refused)."""
    if not actor.can_review_organisations:
        raise NotAllowed()
    if user.id == actor.id:
        raise InvalidTransition(_("不能停用自己的账户。"))
    if user.is_admin and not actor.is_admin:
        raise NotAllowed()
    if user.active:
        user.active = False
        user.end_sessions()
        _audit(actor, user, "disable_account", active=False)
        db.session.commit()


def enable_user(actor: User, user: User) -> None:
    """An organiser re-enables an account; the user logs in again (old sessions stay ended)."""
    if not actor.can_review_organisations or (user.is_admin and not actor.is_admin):
        raise NotAllowed()
    if not user.active:
        user.active = True
        _audit(actor, user, "enable_account", active=True)
        db.session.commit()


def _audit(actor: User, user: User, action: str, active: bool) -> None:
    account_changed.send(
        actor, user=user, action=action, before={"active": not active}, after={"active": active}
    )


USERS_PER_PAGE = 20
MAX_QUERY = 100


def users_query(actor: User, text: str = "") -> sa.Select:
    """账户管理: the accounts an organiser looks through, newest first, found by a part of the
    e-mail address or the name."""
    if not actor.can_review_organisations:
        raise NotAllowed()
    query = sa.select(User).order_by(User.id.desc())
    text = (text or "").strip().lower()[:MAX_QUERY]
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            sa.or_(User.email.like(pattern, escape="\\"), User.name.like(pattern, escape="\\"))
        )
    return query
