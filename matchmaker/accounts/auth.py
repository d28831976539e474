"""Flask-Login wiring: user loader, login view, anonymous user, Chinese login message."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..extensions import db, login_manager
from .models import AnonymousUser, User

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("请先登录后再访问此页面。")
login_manager.login_message_category = "warning"
# Flash the message as a plain string in the request's language (a lazy string cannot
# be stored in the session).
login_manager.localize_callback = str
login_manager.anonymous_user = AnonymousUser


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session id from `User.get_id`; None (logged out) when the user has been
    deactivated or has changed password since the session began."""
    user_id, _sep, fingerprint = (session_id or "").partition(":")
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None or not user.active or not user.matches_session(fingerprint):
        return None
    return user
