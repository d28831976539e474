"""Vendors engage with a published need (view, NDA, follow, interest); the owner invites
vendor organisations to an invited_only need and sees who engaged."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..accounts.models import Organisation
from ..errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from ..extensions import db
from ..notifications.services import notify
from . import states
from .access import can_see, can_see_details, is_vendor, role_of
from .audience import need_link, owner_members
from .choices import NDA_TERMS_VERSION
from .models import NdaAcceptance, Need, NeedFollow, NeedInterest, NeedInvitation, NeedView


def _require_vendor_on_published(actor, need: Need) -> None:
    if not can_see(actor, need):
        raise NotFound()
    if not is_vendor(actor):
        raise NotAllowed(_("只有审核通过的揭榜方（AI 服务商）可以执行此操作。"))
    if not need.is_published:
        raise InvalidTransition(_("该需求已不在揭榜中。"))


def record_view(actor, need: Need) -> None:
    """Count a vendor organisation's visit: one row per organisation, last_seen updated."""
    if not is_vendor(actor) or not need.is_published:
        return
    now = clock.now()
    view = db.session.scalar(
        select(NeedView).where(
            NeedView.need_id == need.id, NeedView.organisation_id == actor.organisation_id
        )
    )
    if view is None:
        db.session.add(
            NeedView(
                need_id=need.id,
                organisation_id=actor.organisation_id,
                first_seen=now,
                last_seen=now,
            )
        )
    else:
        view.last_seen, view.count = now, view.count + 1
    _commit_ignoring_race()


def _commit_ignoring_race() -> bool:
    """Commit; a unique-constraint race with a concurrent request means it is already there."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def accept_nda(actor, need: Need) -> NdaAcceptance:
    _require_vendor_on_published(actor, need)
    if need.confidentiality != "summary_only":
        raise InvalidTransition(_("该需求无需签署保密承诺。"))
    existing = _org_row(NdaAcceptance, need, actor.organisation_id)
    if existing is not None:
        return existing
    acceptance = NdaAcceptance(
        need_id=need.id,
        organisation_id=actor.organisation_id,
        user_id=actor.id,
        terms_version=NDA_TERMS_VERSION,
    )
    db.session.add(acceptance)
    try:
        db.session.flush()  # now, before any query autoflushes it outside this guard
    except IntegrityError:  # a concurrent accept of the same organisation came first
        db.session.rollback()
        return _org_row(NdaAcceptance, need, actor.organisation_id)
    notify(
        owner_members(need),
        "need_nda_accepted",
        _l(
            "%(org)s 已签署您的需求“%(title)s”的保密承诺",
            org=actor.organisation.name,
            title=need.title,
        ),
        "",
        need_link(need),
    )
    _commit_ignoring_race()
    return acceptance


def _org_row(model, need: Need, org_id: int):
    return db.session.scalar(
        select(model).where(model.need_id == need.id, model.organisation_id == org_id)
    )


def follow_need(actor, need: Need) -> None:
    _require_vendor_on_published(actor, need)
    if is_following(actor, need):
        return
    db.session.add(
        NeedFollow(need_id=need.id, user_id=actor.id, organisation_id=actor.organisation_id)
    )
    _commit_ignoring_race()


def unfollow_need(actor, need: Need) -> None:
    if not can_see(actor, need):
        raise NotFound()
    follow = db.session.scalar(
        select(NeedFollow).where(NeedFollow.need_id == need.id, NeedFollow.user_id == actor.id)
    )
    if follow is not None:
        db.session.delete(follow)
        db.session.commit()


def is_following(actor, need: Need) -> bool:
    query = select(NeedFollow.id).where(
        NeedFollow.need_id == need.id, NeedFollow.user_id == actor.id
    )
    return db.session.scalar(query) is not None


def send_interest(actor, need: Need, message: str, contact: str = "") -> NeedInterest:
    """意向响应: one per vendor organisation and need; the owner is notified."""
    _require_vendor_on_published(actor, need)
    if not can_see_details(actor, need):
        raise NotAllowed(_("请先签署保密承诺。"))
    if not (message or "").strip():
        raise ValidationFailed(fields={"message": [_("请填写响应内容。")]})
    if _org_row(NeedInterest, need, actor.organisation_id) is not None:
        raise ValidationFailed(fields={"message": [_("贵机构已对该需求提交过意向响应。")]})
    interest = NeedInterest(
        need_id=need.id,
        organisation_id=actor.organisation_id,
        user_id=actor.id,
        message=message.strip(),
        contact=(contact or "").strip(),
    )
    db.session.add(interest)
    notify(
        owner_members(need),
        "need_interest",
        _l(
            "%(org)s 对您的需求“%(title)s”提交了意向响应",
            org=actor.organisation.name,
            title=need.title,
        ),
        interest.message,
        need_link(need),
    )
    if not _commit_ignoring_race():
        raise ValidationFailed(fields={"message": [_("贵机构已对该需求提交过意向响应。")]})
    return interest


def find_vendor(query: str) -> Organisation | None:
    """An approved vendor organisation by exact name or 统一社会信用代码."""
    text = (query or "").strip()
    if not text:
        return None
    statement = select(Organisation).where(
        Organisation.kind == "vendor",
        Organisation.status == "approved",
        or_(Organisation.name == text, Organisation.credit_code == text.upper()),
    )
    return db.session.scalar(statement)


def invite_vendor(actor, need: Need, query: str) -> NeedInvitation:
    if role_of(actor, need) != states.OWNER:
        raise NotAllowed()
    if need.status in states.FINAL:
        raise InvalidTransition()
    vendor = find_vendor(query)
    if vendor is None:
        raise ValidationFailed(
            fields={"vendor": [_("未找到该揭榜方，请填写准确的机构名称或统一社会信用代码。")]}
        )
    existing = _org_row(NeedInvitation, need, vendor.id)
    if existing is not None:
        return existing
    invitation = NeedInvitation(need_id=need.id, organisation_id=vendor.id, invited_by_id=actor.id)
    db.session.add(invitation)
    notify(
        [user for user in vendor.members if user.active],
        "need_invitation",
        _l("您受邀查看需求“%(title)s”", title=need.title),
        need.owner.name,
        need_link(need),
    )
    _commit_ignoring_race()
    return invitation


@dataclass
class Engagement:
    views: list[NeedView]
    ndas: list[NdaAcceptance]
    interests: list[NeedInterest]
    follows: list[NeedFollow]
    invitations: list[NeedInvitation]


def engagement(need: Need) -> Engagement:
    def rows(model, order):
        return list(
            db.session.scalars(select(model).where(model.need_id == need.id).order_by(order))
        )

    return Engagement(
        views=rows(NeedView, NeedView.last_seen.desc()),
        ndas=rows(NdaAcceptance, NdaAcceptance.accepted_at),
        interests=rows(NeedInterest, NeedInterest.created_at),
        follows=rows(NeedFollow, NeedFollow.created_at),
        invitations=rows(NeedInvitation, NeedInvitation.created_at),
    )


def engagement_counts(need_ids: list[int]) -> dict[int, dict[str, int]]:
    """{need id: {"views", "ndas", "interests", "follows"}} for the "my needs" table."""
    counts: dict[int, dict[str, int]] = {
        need_id: dict.fromkeys(("views", "ndas", "interests", "follows"), 0) for need_id in need_ids
    }
    for key, model in (
        ("views", NeedView),
        ("ndas", NdaAcceptance),
        ("interests", NeedInterest),
        ("follows", NeedFollow),
    ):
        query = (
            select(model.need_id, func.count())
            .where(model.need_id.in_(need_ids))
            .group_by(model.need_id)
        )
        for need_id, count in db.session.execute(query):
            counts[need_id][key] = count
    return counts
