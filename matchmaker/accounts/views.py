"""The accounts blueprint with every view module of the accounts registered on it."""

from . import account_views, recovery_views, token_views  # noqa: F401
from .blueprint import bp

__all__ = ["bp"]
