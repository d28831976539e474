"""答疑: vendors' questions on a listing and their answers.

Rules (each refusal a domain error: 403 not allowed, 409 not now, 422 bad text):
- Asking: a member of an approved vendor organisation, while the listing accepts applications
  (`applications.accepts_drafts`: from 发榜 until the round's window closes). Questions close
  with the window; questions already asked may still be answered afterwards.
- Answering: organisers; the members of the listing's factories too when the organiser has
  allowed it on that listing (`Listing.factory_answers`). One answer per question.
- Reading: an answer is public (everyone who may see the listing) unless it is private; the
  asker is never named to anyone but organisers. The asker's organisation sees its own
  questions, answered or not, private answers included; those who may answer see them all.
- A public answer notifies the asker, the vendors following the listing's needs and the
  applicants; a private one only the asker's organisation.
- A repeated question (same organisation, listing and text) or a repeated identical answer
  changes nothing (double submits).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from .. import clock
from ..errors import InvalidTransition, NotAllowed, ValidationFailed
from ..extensions import db
from ..needs.models import NeedFollow
from ..notifications.services import notify
from . import audit
from . import statuses as st
from .access import organisers, require_organiser
from .applications import accepts_drafts
from .models import Application, Listing, ListingQuestion

MIN_QUESTION, MAX_QUESTION, MAX_ANSWER = 5, 1000, 3000


def _text(value: str, field: str, minimum: int, maximum: int) -> str:
    text = (value or "").strip()
    if len(text) < minimum:
        raise ValidationFailed(fields={field: [_("请至少写 %(n)s 个字。", n=minimum)]})
    if len(text) > maximum:
        raise ValidationFailed(fields={field: [_("不能超过 %(n)s 个字。", n=maximum)]})
    return text


def can_ask(user, listing: Listing) -> bool:
    return bool(getattr(user, "is_vendor_member", False) and user.can_publish) and accepts_drafts(
        listing
    )


def can_answer(user, listing: Listing) -> bool:
    if not getattr(user, "active", False):
        return False
    if getattr(user, "is_organiser", False):
        return True
    factory = getattr(user, "is_factory_member", False)
    return listing.factory_answers and factory and listing.is_owned_by(user)


def _link(listing: Listing) -> str:
    return f"/rounds/listings/{listing.id}#qa"


def ask(actor, listing: Listing, body: str) -> ListingQuestion:
    if not getattr(actor, "is_vendor_member", False):
        raise NotAllowed(_("只有服务商可以就榜单提问。"))
    if not actor.can_publish:
        raise NotAllowed(_("贵机构通过审核后才能提问。"))
    if not accepts_drafts(listing):
        raise InvalidTransition(_("该榜单的揭榜已截止，答疑随之关闭。"))
    text = _text(body, "body", MIN_QUESTION, MAX_QUESTION)
    twin = db.session.scalar(
        select(ListingQuestion).where(
            ListingQuestion.listing_id == listing.id,
            ListingQuestion.organisation_id == actor.organisation_id,
            ListingQuestion.body == text,
        )
    )
    if twin is not None:
        return twin
    question = ListingQuestion(
        listing_id=listing.id,
        asker_id=actor.id,
        organisation_id=actor.organisation_id,
        body=text,
    )
    db.session.add(question)
    audit.record(actor, "ask_question", question, None, {"listing_id": listing.id})
    answerers = organisers() + (listing.owner_users() if listing.factory_answers else [])
    notify(answerers, "question_asked", _l("榜单收到新的答疑提问"), listing.title, _link(listing))
    db.session.commit()
    return question


def _audience(question: ListingQuestion) -> list:
    """Who hears of a public answer: the asker's organisation, followers, applicants."""
    listing = question.listing
    need_ids = [need.id for need in listing.needs]
    follows = db.session.scalars(select(NeedFollow).where(NeedFollow.need_id.in_(need_ids)))
    applications = db.session.scalars(
        select(Application).where(
            Application.listing_id == listing.id, Application.status != st.WITHDRAWN
        )
    )
    users = list(question.organisation.members)
    users += [follow.user for follow in follows]
    users += [user for application in applications for user in application.lead_users()]
    return users


def answer(actor, question: ListingQuestion, text: str, private: bool = False) -> bool:
    """Answer once; False when the same answer is already there (a double submit)."""
    listing = question.listing
    if not can_answer(actor, listing):
        raise NotAllowed(_("您不能回答该榜单的问题。"))
    reply = _text(text, "answer", 1, MAX_ANSWER)
    if question.is_answered:
        if question.answer == reply and question.answer_private == bool(private):
            return False
        raise InvalidTransition(_("该问题已经回答过了。"))
    question.answer, question.answer_private = reply, bool(private)
    question.answered_by_id, question.answered_at = actor.id, clock.now()
    audit.record(actor, "answer_question", question, None, {"private": bool(private)})
    audience = list(question.organisation.members) if private else _audience(question)
    audience = [user for user in audience if user.id != actor.id]
    notify(audience, "question_answered", _l("榜单答疑有新回复"), listing.title, _link(listing))
    db.session.commit()
    return True


def set_factory_answers(actor, listing: Listing, allowed: bool) -> bool:
    """The organiser lets (or stops) the listing's factories answer; False when unchanged."""
    require_organiser(actor)
    if listing.factory_answers == bool(allowed):
        return False
    before = {"factory_answers": listing.factory_answers}
    listing.factory_answers = bool(allowed)
    audit.record(actor, "qa_settings", listing, before, {"factory_answers": bool(allowed)})
    db.session.commit()
    return True


def visible(viewer, listing: Listing) -> list[ListingQuestion]:
    """The questions this viewer may read on the listing, oldest first."""
    query = select(ListingQuestion).where(ListingQuestion.listing_id == listing.id)
    if not can_answer(viewer, listing):
        public = ListingQuestion.answered_at.is_not(None) & ~ListingQuestion.answer_private
        org_id = getattr(viewer, "organisation_id", None)
        mine = ListingQuestion.organisation_id == org_id if org_id else None
        query = query.where(or_(public, mine) if mine is not None else public)
    return list(db.session.scalars(query.order_by(ListingQuestion.asked_at, ListingQuestion.id)))


def public_answered(listing: Listing) -> list[ListingQuestion]:
    """What any viewer (and the API) reads: the public answers."""
    query = select(ListingQuestion).where(
        ListingQuestion.listing_id == listing.id,
        ListingQuestion.answered_at.is_not(None),
        ~ListingQuestion.answer_private,
    )
    return list(db.session.scalars(query.order_by(ListingQuestion.answered_at, ListingQuestion.id)))


def unanswered_count(listing: Listing) -> int:
    """How many of the listing's questions wait for an answer (the console listing page)."""
    query = select(func.count(ListingQuestion.id)).where(
        ListingQuestion.listing_id == listing.id, ListingQuestion.answered_at.is_(None)
    )
    return db.session.scalar(query) or 0
