"""The organiser's review of submitted needs: approve (publish), return with comments, reject."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth import require_organiser
from ..errors import ValidationFailed
from ..extensions import db
from ..notifications.services import notify
from .audience import need_link, owner_members
from .models import Need
from .services import apply_transition
from .states import SUBMITTED


def review_queue(actor) -> list[Need]:
    require_organiser(actor)
    query = select(Need).where(Need.status == SUBMITTED)
    return list(db.session.scalars(query.order_by(Need.submitted_at, Need.id)))


def approve_need(actor, need: Need, comment: str = "") -> Need:
    require_organiser(actor)
    apply_transition(actor, need, "approve", comment)
    notify(
        owner_members(need),
        "need_approved",
        _l("您的需求“%(title)s”已通过审核并发布", title=need.title),
        comment,
        need_link(need),
    )
    db.session.commit()  # apply_transition queued its indexing for after this commit
    return need


def return_need(actor, need: Need, comment: str) -> Need:
    require_organiser(actor)
    _require_comment(comment, _("请填写退回修改的意见。"))
    apply_transition(actor, need, "return", comment)
    notify(
        owner_members(need),
        "need_returned",
        _l("您的需求“%(title)s”被退回修改", title=need.title),
        comment,
        need_link(need),
    )
    db.session.commit()
    return need


def reject_need(actor, need: Need, comment: str) -> Need:
    require_organiser(actor)
    _require_comment(comment, _("请填写不予发布的理由。"))
    apply_transition(actor, need, "reject", comment)
    notify(
        owner_members(need),
        "need_rejected",
        _l("您的需求“%(title)s”未通过审核", title=need.title),
        comment,
        need_link(need),
    )
    db.session.commit()
    return need


def _require_comment(comment: str, message: str) -> None:
    if not (comment or "").strip():
        raise ValidationFailed(fields={"comment": [message]})
