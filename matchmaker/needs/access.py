"""Who may see what of a need. One place, used by views, services and listing queries.

- Others' drafts, submitted, returned, closed and withdrawn needs do not exist for them (404),
  and neither does an invited_only need for a vendor organisation that is not invited.
- A need one may see but not act on answers 403 to the action (e.g. editing another
  factory's published need).
- The hall and the summary of public and summary_only needs are open to anonymous visitors;
  the details (pain point, process, data, KPIs, files) need a login, and for summary_only
  needs an NDA acceptance by the viewer's organisation. Owners and organisers see everything,
  except that a factory's own drafts stay hidden from organisers: organisers see only the drafts
  organisers created for a factory (survey imports, `is_organiser_draft`), and may submit those
  for review on the factory's behalf.
- `visible_needs` is `can_see` as a WHERE clause: the one query rule of every list of needs (the
  hall, the need page's loader, the organisers' exports).
- What shows a need's content elsewhere (a listing's KPIs and owners, `competitions.disclosure`)
  asks `can_see_details` / `owner_label` here rather than deciding again; only `LISTABLE`
  confidentiality levels may go on a public listing.
"""

from __future__ import annotations

from sqlalchemy import Select, exists, false, or_, select

from ..accounts.models import STAFF_ROLES, User
from ..extensions import db
from .models import NdaAcceptance, Need, NeedInvitation
from .states import DRAFT, ORGANISER, OWNER, PUBLIC, allowed_actions


def role_of(user, need: Need) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "active", False):
        return None
    if user.is_organiser:
        return ORGANISER
    if user.is_factory_member and user.organisation_id == need.owner_id:
        return OWNER
    return None


def is_invited(user, need: Need) -> bool:
    org_id = getattr(user, "organisation_id", None)
    if org_id is None:
        return False
    query = select(NeedInvitation.id).where(
        NeedInvitation.need_id == need.id, NeedInvitation.organisation_id == org_id
    )
    return db.session.scalar(query) is not None


def has_accepted_nda(user, need: Need) -> bool:
    org_id = getattr(user, "organisation_id", None)
    if org_id is None:
        return False
    query = select(NdaAcceptance.id).where(
        NdaAcceptance.need_id == need.id, NdaAcceptance.organisation_id == org_id
    )
    return db.session.scalar(query) is not None


def can_see(user, need: Need) -> bool:
    role = role_of(user, need)
    if role == OWNER:
        return True
    if role == ORGANISER:
        # a factory's own draft is its work in progress; an imported one is the organisers'
        return need.status != DRAFT or is_organiser_draft(need)
    if need.status not in PUBLIC:
        return False
    if need.confidentiality == "invited_only":
        return is_invited(user, need)
    return True


def is_organiser_draft(need: Need) -> bool:
    """A draft an organiser created for the factory (e.g. by importing a needs survey)."""
    author = need.author
    return need.status == DRAFT and author is not None and author.is_organiser


def actions_for(user, need: Need) -> list[str]:
    """The status actions `user` may take on `need` now (buttons and service checks)."""
    role = role_of(user, need)
    actions = allowed_actions(need.status, role)
    if role == ORGANISER and not is_organiser_draft(need):
        actions = [a for a in actions if a != "submit"]
    return actions


def can_see_details(user, need: Need) -> bool:
    if role_of(user, need) is not None:
        return can_see(user, need)
    if not getattr(user, "is_authenticated", False) or not can_see(user, need):
        return False
    if need.confidentiality == "summary_only":
        return has_accepted_nda(user, need)
    return True


def owner_label(user, need: Need) -> str:
    if need.confidentiality == "summary_only" and not can_see_details(user, need):
        return need.anonymous_owner_name
    return need.owner.name


def is_vendor(user) -> bool:
    """Vendor actions (NDA, follow, interest) need an active member of an approved vendor."""
    return bool(getattr(user, "is_vendor_member", False) and getattr(user, "can_publish", False))


def _staff_authored():
    """Needs whose author is organiser staff (SQL for `is_organiser_draft`'s author test)."""
    return Need.author_id.in_(select(User.id).where(User.role.in_(STAFF_ROLES)))


def visible_needs(user):
    """A WHERE clause: the needs `user` may see, `can_see` in SQL.

    The one query rule behind every list of needs: the hall, the need page's loader and the
    organisers' exports (a factory's own draft stays out of them, as its page is 404).
    """
    active = getattr(user, "is_authenticated", False) and getattr(user, "active", False)
    if active and user.is_organiser:
        return or_(Need.status != DRAFT, _staff_authored())
    org_id = getattr(user, "organisation_id", None)
    own = (
        Need.owner_id == org_id
        if active and org_id is not None and user.is_factory_member
        else false()
    )
    invited = (
        exists().where(NeedInvitation.need_id == Need.id, NeedInvitation.organisation_id == org_id)
        if org_id is not None
        else false()
    )
    shown = Need.status.in_(PUBLIC) & or_(Need.confidentiality != "invited_only", invited)
    return or_(own, shown)


def visible_needs_query(user) -> Select:
    """`SELECT needs` restricted to what `user` may see (see `visible_needs`)."""
    return select(Need).where(visible_needs(user))


def visible_in_hall(user):
    """A WHERE clause: published needs this user may see in the hall."""
    return visible_needs(user) & Need.status.in_(PUBLIC)


# Confidentiality levels a public listing (榜单) may carry: an invited_only need exists only for
# the vendors its owner invited, so it never goes on a page everyone can open.
LISTABLE = ("public", "summary_only")


def may_be_listed(need: Need) -> bool:
    return need.confidentiality in LISTABLE


def can_see_details_of_all(user, needs) -> bool:
    """Whether `user` may see the details of every need in `needs`: what a listing built from
    them may show of their KPIs (the need page's rule, `can_see_details`, applied to each)."""
    return all(can_see_details(user, need) for need in needs)
