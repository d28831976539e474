"""Drafts organisers created for factories (survey imports): the console's 导入草稿 list and
handing a draft over to its factory.

Organisers see these drafts (needs.access.is_organiser_draft) and may submit one for review on
the factory's behalf from its page (then approve it in the review queue); or they hand it over:
the factory's members are told that a draft awaits them under 我的需求.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.models import STAFF_ROLES, User
from ..competitions import audit
from ..errors import InvalidTransition, ValidationFailed
from ..extensions import db
from ..needs import states as need_states
from ..needs.access import is_organiser_draft
from ..needs.audience import need_link, owner_members
from ..needs.models import Need
from ..notifications.services import notify


def organiser_drafts() -> list[Need]:
    """Every draft an organiser created, oldest first."""
    query = (
        select(Need)
        .join(User, Need.author_id == User.id)
        .where(Need.status == need_states.DRAFT, User.role.in_(STAFF_ROLES))
        .order_by(Need.created_at, Need.id)
    )
    return list(db.session.scalars(query))


def hand_over(actor, need: Need) -> int:
    """Tell the factory's members that the draft awaits them; returns how many were told."""
    if not is_organiser_draft(need):
        raise InvalidTransition(_("只能移交主办方导入的草稿。"))
    members = owner_members(need)
    if not members:
        raise ValidationFailed(_("该企业还没有账号，无法移交；可由主办方代为提交审核。"))
    notify(
        members,
        "need_draft_handed_over",
        _l("主办方为贵单位导入了需求草稿“%(title)s”", title=need.title),
        _l("请在“我的需求”中完善后提交审核。"),
        need_link(need),
    )
    audit.record(actor, "need.hand_over", need, after={"notified": [u.id for u in members]})
    db.session.commit()
    return len(members)
