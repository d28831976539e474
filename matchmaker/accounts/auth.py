"""Flask-Login wiring: user loader, login view, anonymous user, Chinese login message."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..extensions import db, login_manager
from .models import AnonymousUser, User

MAX_ID = 2**63  # larger ids are no ids (and would overflow the database driver)

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("请先登录后再访问此页面。")
login_manager.login_message_category = "warning"
# Flash the message as a plain string in the request's language (a lazy string cannot
# be stored in the session).
login_manager.localize_callback = str
login_manager.anonymous_user = AnonymousUser


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session id from `User.get_id` ("<id>:<generation>"); None (logged out)
    when the user has been deactivated or the generation has moved on since the session
    began (logout, 退出所有设备, password change, account disabled)."""
    user_id, _sep, generation = (session_id or "").partition(":")
    try:
        key, generation_number = int(user_id), int(generation)
    except (TypeError, ValueError):
        return None
    if not 0 < key < MAX_ID:
        return None
    user = db.session.get(User, key)
    if user is None or not user.active:
        return None
    if generation_number != (user.session_generation or 0):
        return None
    return user
