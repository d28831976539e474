"""Moving an offering through its life cycle (see `states`), with history and notifications.

submit_offering(vendor_member, offering)            draft/returned → submitted
approve_offering(organiser, offering, comment)      submitted → published
return_offering(organiser, offering, comment)       submitted → returned (comment required)
reject_offering(organiser, offering, comment)       submitted → retired  (comment required)
retire_offering(actor, offering, comment)           → retired (vendor, or organiser)
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import clock
from ..accounts.models import STAFF_ROLES, User
from ..accounts.recovery import publish_refusal
from ..errors import InvalidTransition, NotAllowed, ValidationFailed
from ..extensions import db
from ..notifications.services import notify
from ..search.app.sync import sync
from . import states
from .models import Offering, OfferingReview

MAX_COMMENT = 2000
# Links carried by notifications (the views serve these paths; a test checks they resolve).
OFFERING_PATH = "/solutions/{id}"
REVIEW_PATH = "/console/offerings/{id}"


def submit_offering(actor, offering: Offering, comment: str = "") -> Offering:
    if offering.belongs_to(actor) and not getattr(actor, "can_publish", False):
        raise NotAllowed(publish_refusal(actor, _("贵机构通过主办方审核后才能提交方案。")))
    return transition(actor, offering, states.SUBMIT, comment)


def approve_offering(actor, offering: Offering, comment: str = "") -> Offering:
    return transition(actor, offering, states.APPROVE, comment)


def return_offering(actor, offering: Offering, comment: str) -> Offering:
    return transition(actor, offering, states.RETURN, comment)


def reject_offering(actor, offering: Offering, comment: str) -> Offering:
    return transition(actor, offering, states.REJECT, comment)


def retire_offering(actor, offering: Offering, comment: str = "") -> Offering:
    return transition(actor, offering, states.RETIRE, comment)


def role_of(actor, offering: Offering) -> str:
    if not getattr(actor, "is_active", False):
        raise NotAllowed()
    if getattr(actor, "is_organiser", False):
        return states.ORGANISER
    if offering.belongs_to(actor):
        return states.VENDOR
    raise NotAllowed()


def transition(actor, offering: Offering, action: str, comment: str = "") -> Offering:
    role = role_of(actor, offering)
    comment = (comment or "").strip()
    if action in states.COMMENT_REQUIRED and not comment:
        raise ValidationFailed(fields={"comment": [_("请填写意见，告诉揭榜方需要修改什么。")]})
    if len(comment) > MAX_COMMENT:
        raise ValidationFailed(
            fields={"comment": [_("不能超过 %(max)d 个字符。", max=MAX_COMMENT)]}
        )
    # Lock the row (PostgreSQL) so that two reviewers cannot both act on one submission.
    db.session.refresh(offering, with_for_update=True)
    try:
        target = states.next_status(offering.status, action, role)
    except states.TransitionRefused as refused:
        if refused.reason == "wrong_role":
            raise NotAllowed() from refused
        raise InvalidTransition() from refused
    _record(actor, offering, action, target, comment)
    _notify(actor, offering, action, comment)
    db.session.commit()
    return offering


def _record(actor, offering: Offering, action: str, target: str, comment: str) -> None:
    now = clock.now()
    offering.reviews.append(
        OfferingReview(
            action=action,
            from_status=offering.status,
            to_status=target,
            actor_id=actor.id,
            comment=comment,
            at=now,
        )
    )
    if states.PUBLISHED in (offering.status, target):
        sync("offering", [offering.id])  # indexed or removed after the commit
    offering.status = target
    if action == states.SUBMIT:
        offering.submitted_at = now
    elif action == states.APPROVE:
        offering.published_at = now


def _vendor_members(offering: Offering) -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.organisation_id == offering.organisation_id))
    )


def _organisers() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role.in_(STAFF_ROLES))))


def _notify(actor, offering: Offering, action: str, comment: str) -> None:
    link = OFFERING_PATH.format(id=offering.id)
    title = offering.title
    if action == states.SUBMIT:
        notify(
            _organisers(),
            "offering_submitted",
            _l("新方案待审核：%(title)s", title=title),
            _l("%(vendor)s 提交了方案，请审核。", vendor=offering.organisation.name),
            REVIEW_PATH.format(id=offering.id),
        )
        return
    if getattr(actor, "is_organiser", False):
        messages = {
            states.APPROVE: _l("您的方案“%(title)s”已通过审核并公开发布。", title=title),
            states.RETURN: _l("您的方案“%(title)s”被退回修改。", title=title),
            states.REJECT: _l("您的方案“%(title)s”未通过审核。", title=title),
            states.RETIRE: _l("您的方案“%(title)s”已被主办方下架。", title=title),
        }
        body = _l("审核意见：%(comment)s", comment=comment) if comment else ""
        notify(_vendor_members(offering), f"offering_{action}", messages[action], body, link)
