"""The vendor side's pages: importing this module registers every route on `bp`."""

from . import lifecycle_views, public_views, vendor_views  # noqa: F401
from .blueprint import bp

__all__ = ["bp"]
