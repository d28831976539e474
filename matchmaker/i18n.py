"""Locale selection: zh-CN unless the user picked another language.

Pages: the header switch (kept in the session and, for a signed-in user, on the account, so
that notifications and mails reach them in it). The API: the request's Accept-Language
(zh → Chinese, en → English), since it has no session.
"""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale

SESSION_KEY = "lang"


def select_locale() -> str:
    """The session's language (the API's: Accept-Language); the default outside a request
    (CLI, services under test)."""
    if has_request_context() and request.path.startswith("/api/"):
        return accepted_locale(request.headers.get("Accept-Language", ""))
    chosen = session.get(SESSION_KEY) if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def accepted_locale(header: str) -> str:
    """The first language of an Accept-Language header (by quality) that we have: "zh-CN",
    "zh-Hans", "zh" → Chinese; "en-US", "en" → English; nothing we have → the default."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    ranked = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip().lower()))
    for _q, _p, tag in sorted(ranked):
        if tag.startswith("zh") or tag == "*":
            return default
        if tag.startswith("en") and "en" in current_app.config["LANGUAGES"]:
            return "en"
    return default


def set_locale(code: str) -> bool:
    if code not in current_app.config["LANGUAGES"]:
        return False
    session[SESSION_KEY] = code
    return True


def user_locale(user) -> str:
    """The language a user reads notifications and mails in: their choice, else the default."""
    chosen = getattr(user, "locale", None)
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def settle_for(user) -> bool:
    """At sign-in: a language picked in this session before signing in becomes the account's;
    otherwise the account's language becomes the session's. True when the account changed
    (the caller commits)."""
    chosen = session.get(SESSION_KEY)
    if chosen in current_app.config["LANGUAGES"]:
        if user.locale != chosen:
            user.locale = chosen
            return True
        return False
    if user.locale in current_app.config["LANGUAGES"]:
        session[SESSION_KEY] = user.locale
    return False


def current_locale() -> str:
    """The language of the page being rendered ("zh", "en"…); the default outside a request."""
    return str(get_locale() or "zh")


def is_english() -> bool:
    return current_locale().startswith("en")
