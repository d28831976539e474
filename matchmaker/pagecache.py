"""A per-process cache of whole pages as anonymous visitors see them.

Anonymous visitors of the listing hall and of a need page all get the same HTML, so each
gunicorn worker keeps the rendered bytes, keyed on the URL (path and query) and the locale,
and serves them again while the page's *content stamp* is unchanged: a callable that returns
a small value read by one cheap aggregate query (row count, latest `updated_at`, …) that
changes whenever what the page shows changes. Entries also expire after
`PAGE_CACHE_SECONDS` (default 30), the bound for anything the stamp does not see (an
organisation renamed). Logged-in users, requests carrying flashed messages and non-200
responses are never cached, so nothing personal is ever shared; `PAGE_CACHE_SECONDS=0`
turns the cache off. The response still passes through every `after_request` hook
(security headers).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from flask import current_app, make_response, request, session
from flask_login import current_user

from .i18n import current_locale

MAX_ENTRIES = 512

_lock = threading.Lock()
_pages: OrderedDict[tuple, tuple[float, object, bytes, str]] = OrderedDict()


def clear() -> None:
    with _lock:
        _pages.clear()


def _cacheable() -> bool:
    return (
        request.method == "GET"
        and not current_user.is_authenticated
        and "_flashes" not in session
        and current_app.config.get("PAGE_CACHE_SECONDS", 30) > 0
    )


def _lookup(key: tuple, stamp) -> tuple[bytes, str] | None:
    with _lock:
        found = _pages.get(key)
        if found is None:
            return None
        expires, seen, body, mimetype = found
        if seen != stamp or expires < time.monotonic():
            del _pages[key]
            return None
        _pages.move_to_end(key)
        return body, mimetype


def _store(key: tuple, stamp, body: bytes, mimetype: str) -> None:
    expires = time.monotonic() + current_app.config.get("PAGE_CACHE_SECONDS", 30)
    with _lock:
        _pages[key] = (expires, stamp, body, mimetype)
        _pages.move_to_end(key)
        while len(_pages) > MAX_ENTRIES:
            _pages.popitem(last=False)


def anonymous_page(stamp: Callable[..., object]):
    """Decorate a GET view: anonymous visitors get the cached page while `stamp(**view_args)`
    returns what it returned when the page was rendered."""

    def decorate(view):
        @wraps(view)
        def wrapper(**kwargs):
            if not _cacheable():
                return view(**kwargs)
            key = (request.endpoint, request.full_path, current_locale())
            current = stamp(**kwargs)
            found = _lookup(key, current)
            if found is not None:
                return make_response(found[0], 200, {"Content-Type": found[1]})
            response = make_response(view(**kwargs))
            if response.status_code == 200 and not response.direct_passthrough:
                _store(key, current, response.get_data(), response.content_type)
            return response

        return wrapper

    return decorate
