"""View guards shared by every blueprint.

Feature packages must not import `accounts` sideways, so guards ask the logged-in user for
its permission predicates by name (`is_organiser`, `can_publish`, …), which the accounts
models define and the anonymous user answers with False.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from .errors import NotAllowed
from .extensions import login_manager


def is_active_organiser(user) -> bool:
    """Organiser staff (or an administrator) whose account is active: the services' own check,
    for actors that did not come through a view guard (jobs, commands, other services)."""
    return bool(getattr(user, "is_organiser", False) and getattr(user, "active", False))


def require_organiser(actor) -> None:
    """NotAllowed unless `actor` is an active organiser."""
    if not is_active_organiser(actor):
        raise NotAllowed()


def require(predicate: str) -> Callable:
    """Decorator: log in first (401 → login page), then 403 unless `current_user.<predicate>`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not getattr(current_user, predicate, False):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


organiser_required = require("is_organiser")
