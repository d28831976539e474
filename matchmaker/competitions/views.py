"""The blueprint with every view module of the rounds registered on it."""

from . import award_views, console_views, expert_views, public_views, vendor_views  # noqa: F401
from .blueprint import bp

__all__ = ["bp"]
