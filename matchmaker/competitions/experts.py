"""专家库: organisers invite experts by e-mail, keep their profiles (fields, organisation,
availability), deactivate and reactivate them; the expert-assignment page asks for
suggestions: experts whose profile fits the listing's text, with their current load.

The invitation creates the expert's account with a random password nobody knows and mails a
link (a signed token under its own salt, bound to that password hash, valid
recovery.INVITE_MAX_AGE) where the expert sets the password: the link dies once used.

Suggestions (`suggest_experts`) rank the active experts by the lexical similarity of the
listing's text (title, description, its needs' titles, goals and fields) to each expert's
profile text (`search.lexical.similarities`), plus a bonus for each of the listing's
categories and industries the expert covers; each row carries the expert's current load
(listings assigned and still before their ranking) and the reasons for a conflict of interest
(a conflicted expert is shown, marked, and `panel.assign_expert` still refuses them). An
expert whose invitation is still pending is shown marked 待接受邀请 and is not assignable yet.

Relations: besides those the expert declares (我的评审), an organiser records the ones they know
of (`record_relation`: an approved enterprise and a note such as 配偶任职于该企业); both kinds
count alike in the conflict checks. One relation per (expert, organisation): recording one that
exists, of either kind, changes nothing. Recording one never recuses the expert silently: the
assignments it now conflicts with are returned for the organiser to adjust.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import clock
from ..accounts import recovery, sessions
from ..accounts.models import Organisation, User
from ..accounts.passwords import hash_password
from ..accounts.signals import account_mail
from ..accounts.strength import password_error
from ..errors import ValidationFailed
from ..extensions import db
from ..scenarios.models import Industry, ScenarioCategory
from ..search.core.lexical import similarities
from . import audit, panel, stages
from . import statuses as st
from .access import require_organiser
from .models import AVAILABILITIES, ExpertAssignment, ExpertProfile, ExpertRelation, Listing
from .panel import conflicts

FIELD_BONUS = 0.15  # per category or industry of the listing the expert covers
SUGGESTIONS = 10
INVITE_PATH = "/rounds/experts/invitation/{token}"
OPEN_STAGES = (stages.PUBLISHED, stages.ACCEPTING, stages.UNDER_REVIEW)


@dataclass
class ProfileData:
    name: str
    organisation_name: str = ""
    title: str = ""
    expertise: str = ""
    availability: str = "available"
    availability_note: str = ""
    category_ids: list[int] = field(default_factory=list)
    industry_ids: list[int] = field(default_factory=list)


def _profile_errors(data: ProfileData) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("此项为必填项。")]
    if data.availability not in AVAILABILITIES:
        errors["availability"] = [_("请选择可参与评审的情况。")]
    return errors


def _apply(profile: ExpertProfile, data: ProfileData) -> None:
    profile.user.name = data.name.strip()
    profile.organisation_name = data.organisation_name.strip()
    profile.title = data.title.strip()
    profile.expertise = data.expertise.strip()
    profile.availability = data.availability
    profile.availability_note = data.availability_note.strip()
    ids = data.category_ids or [0]
    profile.categories = list(
        db.session.scalars(sa.select(ScenarioCategory).where(ScenarioCategory.id.in_(ids)))
    )
    ids = data.industry_ids or [0]
    profile.industries = list(db.session.scalars(sa.select(Industry).where(Industry.id.in_(ids))))


def _send_invitation(profile: ExpertProfile) -> None:
    user = profile.user
    link = recovery.public_link(
        INVITE_PATH.format(token=recovery.password_token(user, recovery.INVITE_SALT))
    )
    body = _l(
        "%(name)s，您好：\n\n主办方邀请您加入揭榜挂帅平台的评审专家库。请在 %(days)d 天内打开下面的链接"
        "设置登录密码（登录邮箱：%(email)s），链接只能使用一次：\n\n%(link)s\n\n"
        "如果您不认识发出邀请的主办方，请忽略此邮件。",
        name=user.name,
        days=recovery.INVITE_MAX_AGE.days,
        email=user.email,
        link=link,
    )
    account_mail.send(user, subject=_l("评审专家邀请"), body=body)
    profile.invited_at = clock.now()


def invite_expert(actor, email: str, data: ProfileData) -> ExpertProfile:
    """A new expert account and profile; the invitation mail sets the password."""
    require_organiser(actor)
    email = (email or "").strip().lower()
    errors = _profile_errors(data)
    if not email or "@" not in email or len(email) > 254:
        errors["email"] = [_("请输入有效的邮箱地址。")]
    elif db.session.scalar(sa.select(User.id).where(User.email == email)):
        errors["email"] = [_("该邮箱已有账户，不能再邀请。")]
    if errors:
        raise ValidationFailed(fields=errors)
    user = User(
        email=email,
        name=data.name.strip(),
        role="expert",
        password_hash=hash_password(secrets.token_urlsafe(32)),  # nobody knows it
    )
    profile = ExpertProfile(user=user, invited_by_id=actor.id)
    db.session.add_all([user, profile])
    _apply(profile, data)
    db.session.flush()
    _send_invitation(profile)
    audit.record(actor, "invite_expert", profile, after={"email": email})
    db.session.commit()
    return profile


def resend_invitation(actor, profile: ExpertProfile) -> bool:
    """A new link for an invitation not yet accepted (the old link keeps working too)."""
    require_organiser(actor)
    if not profile.pending_invitation or not profile.user.active:
        return False
    _send_invitation(profile)
    db.session.commit()
    return True


def invited_expert(token: str) -> User | None:
    return recovery.user_for_password_token(token, recovery.INVITE_SALT, recovery.INVITE_MAX_AGE)


def accept_invitation(token: str, password: str) -> User:
    """The invited expert sets the password: the link dies, the address counts as verified."""
    user = invited_expert(token)
    if user is None:
        raise ValidationFailed(_("邀请链接无效或已过期，请联系主办方重新发送。"))
    error = password_error(password, [user.email, user.name])
    if error:
        raise ValidationFailed(fields={"new_password": [error]})
    user.set_password(hash_password(password))
    user.email_verified_at = user.email_verified_at or clock.now()
    profile = db.session.get(ExpertProfile, user.id)
    if profile is not None and profile.accepted_at is None:
        profile.accepted_at = clock.now()
    db.session.commit()
    return user


def profile_of(expert: User) -> ExpertProfile:
    """The expert's profile, created empty for experts made before the pool (not committed)."""
    profile = db.session.get(ExpertProfile, expert.id)
    if profile is None:
        profile = ExpertProfile(user=expert)
        db.session.add(profile)
    return profile


def update_profile(actor, expert: User, data: ProfileData) -> ExpertProfile:
    require_organiser(actor)
    errors = _profile_errors(data)
    if errors:
        raise ValidationFailed(fields=errors)
    profile = profile_of(expert)
    _apply(profile, data)
    audit.record(actor, "update_expert", profile, after={"availability": data.availability})
    db.session.commit()
    return profile


def set_active(actor, expert: User, active: bool) -> None:
    """Deactivate (cannot log in, sessions end, not suggested nor assignable) or reactivate."""
    require_organiser(actor)
    if active:
        sessions.enable_user(actor, expert)
    else:
        sessions.disable_user(actor, expert)


def pool() -> list[ExpertProfile]:
    """Every expert with a profile (made on first sight for older experts), by name."""
    experts = db.session.scalars(sa.select(User).where(User.role == "expert").order_by(User.name))
    profiles = [profile_of(expert) for expert in experts]
    db.session.commit()
    return profiles


def pending_invitations() -> set[int]:
    """Ids of the experts whose invitation is not accepted yet (not assignable)."""
    query = sa.select(ExpertProfile.user_id).where(
        ExpertProfile.invited_at.is_not(None), ExpertProfile.accepted_at.is_(None)
    )
    return set(db.session.scalars(query))


def loads() -> dict[int, int]:
    """Expert id → listings assigned and still open (before the ranking is complete)."""
    query = (
        sa.select(ExpertAssignment.expert_id, sa.func.count())
        .join(Listing, Listing.id == ExpertAssignment.listing_id)
        .where(ExpertAssignment.status == st.ASSIGNED, Listing.stage.in_(OPEN_STAGES))
        .group_by(ExpertAssignment.expert_id)
    )
    return dict(db.session.execute(query).all())


@dataclass
class Suggestion:
    profile: ExpertProfile
    score: float
    load: int
    conflicts: list[str]
    matched_fields: list[str]


def listing_text(listing: Listing) -> str:
    parts = [listing.title, listing.description or ""]
    for need in listing.needs:
        parts += [need.title, need.goal or "", need.pain_point or ""]
        parts += [need.category.name_zh, need.industry.name_zh]
    return " ".join(parts)


def suggest_experts(listing: Listing, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """The active, available experts not yet on the listing, best fit first (see the module
    docstring); conflicted ones stay in the list, marked."""
    assigned = {
        a.expert_id
        for a in db.session.scalars(
            sa.select(ExpertAssignment).where(ExpertAssignment.listing_id == listing.id)
        )
    }
    candidates = [
        p
        for p in pool()
        if p.user.active and p.availability != "unavailable" and p.user_id not in assigned
    ]
    if not candidates:
        return []
    scores = similarities(listing_text(listing), [p.profile_text() for p in candidates])
    category_ids = {need.category_id for need in listing.needs}
    industry_ids = {need.industry_id for need in listing.needs}
    load_of = loads()
    rows = []
    for profile, score in zip(candidates, scores, strict=True):
        fields = [c.name_zh for c in profile.categories if c.id in category_ids]
        fields += [i.name_zh for i in profile.industries if i.id in industry_ids]
        rows.append(
            Suggestion(
                profile=profile,
                score=float(score) + FIELD_BONUS * len(fields),
                load=load_of.get(profile.user_id, 0),
                conflicts=conflicts(profile.user, listing),
                matched_fields=fields,
            )
        )
    rows.sort(key=lambda row: (-row.score, row.load, row.profile.user.name))
    return rows[:limit]


# -- relations recorded by the organisers ----------------------------------------------------

NOTE_MAX = 300
_LABELLED = re.compile(r"^(?P<name>.*)（(?P<code>[0-9A-Za-z]{18})）$")
RELATED_KINDS = ("factory", "vendor")


def organisation_label(org: Organisation) -> str:
    """How the picker shows an enterprise, and what it reads back: 名称（统一社会信用代码）."""
    return f"{org.name}（{org.credit_code}）"


def relation_organisations() -> list[Organisation]:
    """The enterprises a relation may name: approved factories and vendors, by name."""
    query = (
        sa.select(Organisation)
        .where(Organisation.status == "approved", Organisation.kind.in_(RELATED_KINDS))
        .order_by(Organisation.name, Organisation.id)
    )
    return list(db.session.scalars(query))


def find_organisation(text: str) -> Organisation | None:
    """The approved enterprise the picker's text names: its label, its credit code, or its name
    when exactly one approved enterprise bears it."""
    text = (text or "").strip()
    if not text:
        return None
    labelled = _LABELLED.match(text)
    code = labelled["code"] if labelled else text
    query = sa.select(Organisation).where(
        Organisation.status == "approved", Organisation.kind.in_(RELATED_KINDS)
    )
    org = db.session.scalar(query.where(Organisation.credit_code == code.upper()))
    if org is not None:
        return org
    named = list(db.session.scalars(query.where(Organisation.name == text).limit(2)))
    return named[0] if len(named) == 1 else None


@dataclass
class Recorded:
    relation: ExpertRelation
    added: bool  # False: the relation was already there (declared or recorded)
    conflicted: list[tuple[ExpertAssignment, list[str]]]  # assignments to adjust


def record_relation(actor, expert: User, organisation: str, note: str) -> Recorded:
    """An organiser records a relation of the expert with an approved enterprise."""
    require_organiser(actor)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    org = find_organisation(organisation)
    if not (organisation or "").strip():
        errors["organisation"] = [_("请选择关联单位。")]
    elif org is None:
        errors["organisation"] = [
            _("未找到该单位：请从列表中选择一家已审核通过的企业，或输入其统一社会信用代码。")
        ]
    if not note:
        errors["note"] = [_("请写明关联关系，如“配偶任职于该企业”。")]
    elif len(note) > NOTE_MAX:
        errors["note"] = [_("不能超过 %(max)d 个字符。", max=NOTE_MAX)]
    if errors:
        raise ValidationFailed(fields=errors)
    relation, added = panel.add_relation(actor, expert.id, org, note, actor.id)
    db.session.commit()
    conflicted = [
        (assignment, reasons)
        for assignment, reasons in panel.conflicted_assignments(expert)
        if org.id in panel.involved_organisations(assignment.listing)
    ]
    return Recorded(relation, added, conflicted)


REMOVED, ABSENT, DECLARED = "removed", "absent", "declared"


def remove_relation(actor, expert: User, organisation_id: int) -> str:
    """An organiser removes a relation an organiser recorded: REMOVED; ABSENT when there is
    none (a second click); DECLARED when the expert declared it (only they may withdraw it)."""
    require_organiser(actor)
    relation = panel.relation_with(expert.id, organisation_id)
    if relation is None:
        return ABSENT
    if not relation.recorded:
        return DECLARED
    before = {"expert_id": expert.id, "organisation_id": organisation_id, "note": relation.note}
    audit.record(actor, "remove_relation", relation, before=before)
    db.session.delete(relation)
    db.session.commit()
    return REMOVED


def all_relations() -> list[ExpertRelation]:
    """Every expert's relations (the pool's table), oldest first."""
    query = sa.select(ExpertRelation).order_by(ExpertRelation.declared_at, ExpertRelation.id)
    return list(db.session.scalars(query))
