"""Locale selection: zh-CN unless the user picked another language with the header switch."""

from __future__ import annotations

from flask import current_app, has_request_context, session

SESSION_KEY = "lang"


def select_locale() -> str:
    """The session's language; the default outside a request (CLI, services under test)."""
    chosen = session.get(SESSION_KEY) if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def set_locale(code: str) -> bool:
    if code not in current_app.config["LANGUAGES"]:
        return False
    session[SESSION_KEY] = code
    return True
