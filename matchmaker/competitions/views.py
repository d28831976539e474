"""The blueprint with every view module of the rounds registered on it."""

from . import (  # noqa: F401
    award_views,
    console_views,
    document_views,
    expert_views,
    file_views,
    pool_views,
    public_views,
    question_views,
    vendor_views,
)
from .blueprint import bp

__all__ = ["bp"]
