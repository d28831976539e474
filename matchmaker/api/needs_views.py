"""Needs: the listing hall, one need, create, update, submit; the need's matching offerings.

Each operation loads, authorises with `matchmaker.needs.access` and calls one service of
`matchmaker.needs.services`, exactly as the pages do.
"""

from __future__ import annotations

from flask_babel import gettext as _

from ..errors import NotAllowed, NotFound, ValidationFailed
from ..extensions import db
from ..needs import hall, services
from ..needs import search_documents as need_search
from ..needs.access import can_see, role_of
from ..needs.models import Need
from . import serialise
from .blueprint import TAGS, actor, api, page_meta, respond, signed_in_actor
from .schemas import MatchList, NeedIn, NeedListQuery, NeedOut, NeedPage, NeedPath

TAG = [TAGS["needs"]]


def visible_need(need_id: int) -> Need:
    """A need the caller may see; 404 otherwise (ids are not confirmed by guessing)."""
    need = db.session.get(Need, need_id)
    if need is None or not can_see(actor(), need):
        raise NotFound()
    return need


@api.get("/needs", tags=TAG, responses={200: NeedPage})
def list_needs(query: NeedListQuery):
    """Published needs the caller may see (the hall), filtered, 20 per page by default."""
    args = {k: str(v) for k, v in query.model_dump(exclude_none=True).items()}
    filters = hall.parse_filters(args)
    if filters.budget_reversed:  # the hall page ignores it with a notice; the API refuses it
        message = _(
            "预算下限（%(low)s 万元）不能高于上限（%(high)s 万元）。",
            low=filters.budget_min,
            high=filters.budget_max,
        )
        raise ValidationFailed(message, {"budget_min": [message]})
    try:
        page = hall.listing(actor(), filters, query.page, query.per_page)
    except hall.PageOutOfRange as err:
        raise NotFound(_("页码超出范围（共 %(n)s 页）。", n=err.args[1])) from None
    meta = page_meta(query.page, query.per_page, page.total)
    items = [serialise.need(actor(), need) for need in page.items]
    return respond(NeedPage(items=items, **meta))


@api.get("/needs/<int:need_id>", tags=TAG, responses={200: NeedOut})
def get_need(path: NeedPath):
    """One need: the summary for everyone who may see it, `details` for those who may read
    them (signed in; for summary_only needs after the organisation's NDA; owners, organisers)."""
    return respond(serialise.need(actor(), visible_need(path.need_id)))


def _content(body: NeedIn) -> tuple[dict, list[dict]]:
    fields = body.model_dump(exclude={"kpis", "submit"})
    return fields, [kpi.model_dump() for kpi in body.kpis]


@api.post("/needs", tags=TAG, responses={201: NeedOut})
def create_need(body: NeedIn):
    """A factory member creates a draft (and submits it at once with `submit: true`)."""
    user = signed_in_actor()
    fields, kpis = _content(body)
    need = services.create_need(user, fields, kpis, submit=body.submit)
    return respond(serialise.need(user, need), 201)


@api.put("/needs/<int:need_id>", tags=TAG, responses={200: NeedOut})
def update_need(path: NeedPath, body: NeedIn):
    """Replace the content of one of the caller's needs (a published one gets a new version)."""
    user = signed_in_actor()
    need = visible_need(path.need_id)
    fields, kpis = _content(body)
    services.update_need(user, need, fields, kpis, submit=body.submit)
    return respond(serialise.need(user, need))


@api.post("/needs/<int:need_id>/submit", tags=TAG, responses={200: NeedOut})
def submit_need(path: NeedPath):
    """Submit a draft or returned need for the organisers' review."""
    user = signed_in_actor()
    need = visible_need(path.need_id)
    services.submit_need(user, need)
    return respond(serialise.need(user, need))


@api.get("/needs/<int:need_id>/matches", tags=[TAGS["matching"]], responses={200: MatchList})
def need_matches(path: NeedPath):
    """推荐揭榜方: the published offerings that best match a published need (its owner's
    members and organisers only)."""
    user = signed_in_actor()
    need = visible_need(path.need_id)
    if role_of(user, need) is None:
        raise NotAllowed(_("只有需求所属企业和主办方可以查看推荐揭榜方。"))
    found = need_search.offerings_for(need) if need.is_published else None
    items = [serialise.match(m.document, m.match) for m in found.items] if found else []
    return respond(MatchList(items=items, notices=found.notices if found else []))
