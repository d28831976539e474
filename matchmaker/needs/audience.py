"""Who hears about a need: its owner's members, and the vendors following its changes."""

from __future__ import annotations

from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from .models import NdaAcceptance, Need, NeedFollow, NeedView


def need_link(need: Need) -> str:
    """Site-relative link (services run outside requests too, e.g. the demo loader)."""
    return f"/needs/{need.id}"


def owner_members(need: Need) -> list[User]:
    return [user for user in need.owner.members if user.active]


def change_audience(need: Need, exclude_org_id: int | None = None) -> list[User]:
    """Followers, members of organisations that accepted the NDA or viewed the need."""
    follower_ids = select(NeedFollow.user_id).where(NeedFollow.need_id == need.id)
    org_ids = (
        select(NdaAcceptance.organisation_id)
        .where(NdaAcceptance.need_id == need.id)
        .union(select(NeedView.organisation_id).where(NeedView.need_id == need.id))
    )
    query = select(User).where(
        User.active.is_(True),
        (User.id.in_(follower_ids)) | (User.organisation_id.in_(org_ids)),
    )
    if exclude_org_id is not None:
        query = query.where(User.organisation_id != exclude_org_id)
    return list(db.session.scalars(query.order_by(User.id)))
