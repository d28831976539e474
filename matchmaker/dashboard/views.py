"""The dashboard blueprint with every view module of the organiser console registered on it
(the voucher ledger's pages are their own blueprint, `ledger_views.bp`)."""

from . import console_views, queue_views  # noqa: F401
from .blueprint import bp

__all__ = ["bp"]
