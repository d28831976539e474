"""The `accounts` blueprint; its view modules (account_views, recovery_views, token_views)
import `bp` from here, never from each other."""

from __future__ import annotations

from flask import Blueprint

from . import auth  # noqa: F401  (registers the user loader)

bp = Blueprint("accounts", __name__)
