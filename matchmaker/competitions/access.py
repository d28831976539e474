"""Who may see what: the questions views and services share (answers never leak existence)."""

from __future__ import annotations

from sqlalchemy import select

from ..auth import (
    is_active_organiser,
    require_organiser,  # noqa: F401  (access.require_organiser, used across the package)
)
from ..extensions import db
from . import statuses as st
from .models import Application, ExpertAssignment, Listing


def organisers() -> list:
    """Who hears about the programme's events: organiser staff and administrators."""
    from ..accounts.models import User

    query = select(User).where(User.role.in_(("organiser", "admin")), User.active)
    return list(db.session.scalars(query))


def organiser_role(actor) -> str | None:
    """The machines' organiser role for an active organiser, else none (their 403)."""
    return st.ORGANISER if is_active_organiser(actor) else None


def assignment_of(expert, listing: Listing) -> ExpertAssignment | None:
    if not getattr(expert, "is_expert", False):
        return None
    return db.session.scalar(
        select(ExpertAssignment).where(
            ExpertAssignment.listing_id == listing.id, ExpertAssignment.expert_id == expert.id
        )
    )


def is_active_reviewer(user, listing: Listing) -> bool:
    assignment = assignment_of(user, listing)
    return assignment is not None and assignment.active


def can_view_application(user, application: Application) -> bool:
    if getattr(user, "is_organiser", False) or application.involves(user):
        return True
    reviewable = application.status in (st.ELIGIBLE, st.SUBMITTED)
    return reviewable and is_active_reviewer(user, application.listing)


def can_view_delivery(user, listing: Listing, application: Application) -> bool:
    """The award, its voucher and its milestones: organiser, factory owners, the winning team."""
    return (
        getattr(user, "is_organiser", False)
        or listing.is_owned_by(user)
        or application.involves(user)
    )
