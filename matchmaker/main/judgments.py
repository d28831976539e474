"""不相关 / 已联系 on a recommendation: who may judge which pair (the rows are search's).

A factory member judges offerings recommended for the organisation's published need (the
need page's 推荐揭榜方); a vendor member judges needs in 适合我的榜单, paired with one of the
organisation's published offerings. The side comes from who the user is. Organisers and
experts see judgments, never give them. A 不相关 pair is hidden from that user's
recommendations until undone.
"""

from __future__ import annotations

from flask_babel import gettext as _

from ..errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from ..extensions import db
from ..needs import states as need_states
from ..needs.access import can_see, role_of
from ..needs.models import Need
from ..needs.states import OWNER
from ..search.store import judgments
from ..solvers import states as offering_states
from ..solvers.models import Offering

UNDO = "undo"
VERDICTS = (*judgments.VERDICTS, UNDO)


def side_of(user) -> str | None:
    if getattr(user, "is_factory_member", False):
        return "need"
    if getattr(user, "is_vendor_member", False):
        return "offering"
    return None


def judge(actor, need_id: int, offering_id: int, verdict: str | None) -> tuple[str, str]:
    """Record the actor's verdict (or undo it); (side, verdict). Twice = once."""
    if verdict not in VERDICTS:
        raise ValidationFailed(_("请选择“不相关”或“已联系”。"))
    side = side_of(actor)
    if side is None or not actor.active:
        raise NotAllowed(_("只有需求方和揭榜方成员可以标记推荐结果。"))
    need, offering = db.session.get(Need, need_id), db.session.get(Offering, offering_id)
    if need is None or offering is None:
        raise NotFound()
    if side == "need":
        _check_factory(actor, need, offering)
    else:
        _check_vendor(actor, need, offering)
    judgments.record(actor.id, need.id, offering.id, side, None if verdict == UNDO else verdict)
    return side, verdict


def _check_factory(actor, need: Need, offering: Offering) -> None:
    if not can_see(actor, need):
        raise NotFound()
    if role_of(actor, need) != OWNER:
        raise NotAllowed(_("只能标记本机构需求的推荐结果。"))
    if offering.status != offering_states.PUBLISHED:
        raise NotFound()
    if need.status != need_states.PUBLISHED:
        raise InvalidTransition(_("需求发布后才有推荐结果。"))


def _check_vendor(actor, need: Need, offering: Offering) -> None:
    if offering.organisation_id != actor.organisation_id:
        raise NotAllowed(_("只能用本机构的方案标记推荐结果。"))
    if need.status != need_states.PUBLISHED or not can_see(actor, need):
        raise NotFound()
    if offering.status != offering_states.PUBLISHED:
        raise InvalidTransition(_("方案发布后才有推荐结果。"))
