"""The needs blueprint with every view module of the needs registered on it."""

from . import approval_views, factory_views, hall_views  # noqa: F401
from .blueprint import bp

__all__ = ["bp"]
