"""Who may see and do what on a matchmaking day (answers never leak existence)."""

from __future__ import annotations

from ..auth import is_active_organiser as is_organiser
from ..auth import require_organiser  # noqa: F401  (access.require_organiser)
from .models import MatchDay, MatchDayMeeting
from .states import PUBLIC


def can_see(user, day: MatchDay) -> bool:
    """Published and scheduled days are public; drafts and cancelled days are the organisers'."""
    return day.status in PUBLIC or is_organiser(user)


def party_kind(user) -> str | None:
    """ "factory" or "vendor" for a member of an approved organisation of that kind, else None."""
    if not getattr(user, "active", False) or not getattr(user, "is_member_of_approved_org", False):
        return None
    if user.is_factory_member:
        return "factory"
    if user.is_vendor_member:
        return "vendor"
    return None


def side_in(user, meeting: MatchDayMeeting) -> str | None:
    """ "factory" / "vendor" when the user's organisation is that side of the meeting."""
    org = getattr(user, "organisation_id", None)
    if not getattr(user, "active", False) or org is None:
        return None
    if org == meeting.factory_id and user.is_factory_member:
        return "factory"
    if org == meeting.vendor_id and user.is_vendor_member:
        return "vendor"
    return None
