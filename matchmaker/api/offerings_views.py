"""Offerings: the public directory, one offering, create and update a draft (vendor
members); the published needs that match an offering. Services: `matchmaker.solvers`."""

from __future__ import annotations

from flask_babel import gettext as _

from ..errors import NotAllowed, NotFound
from ..extensions import db
from ..solvers import queries
from ..solvers.models import Offering
from ..solvers.offerings import OfferingData, create_offering, update_offering
from ..solvers.search_documents import needs_for_offering
from . import serialise
from .blueprint import TAGS, actor, api, page_meta, respond, signed_in_actor
from .schemas import (
    MatchList,
    OfferingIn,
    OfferingListQuery,
    OfferingOut,
    OfferingPage,
    OfferingPath,
)

TAG = [TAGS["offerings"]]


def visible_offering(offering_id: int) -> Offering:
    """Published offerings for everyone; others for their vendor and organisers; else 404."""
    offering = db.session.get(Offering, offering_id)
    if offering is None or not offering.can_view(actor()):
        raise NotFound()
    return offering


@api.get("/offerings", tags=TAG, responses={200: OfferingPage})
def list_offerings(query: OfferingListQuery):
    """Published offerings of approved vendors, newest first, filtered by codes."""
    filters = queries.parse_filters(query.model_dump(exclude_none=True))
    page = queries.directory_page(filters, query.page, query.per_page)
    meta = page_meta(query.page, query.per_page, page.total)
    return respond(OfferingPage(items=[serialise.offering(o) for o in page.items], **meta))


@api.get("/offerings/<int:offering_id>", tags=TAG, responses={200: OfferingOut})
def get_offering(path: OfferingPath):
    return respond(serialise.offering(visible_offering(path.offering_id)))


def _data(body: OfferingIn) -> OfferingData:
    values = body.model_dump()
    values["kpis"] = [kpi.model_dump() for kpi in body.kpis]
    return OfferingData(**values)


@api.post("/offerings", tags=TAG, responses={201: OfferingOut})
def create_offering_(body: OfferingIn):
    """A vendor member creates a draft offering (submitted for review on the pages)."""
    offering = create_offering(signed_in_actor(), _data(body))
    return respond(serialise.offering(offering), 201)


@api.put("/offerings/<int:offering_id>", tags=TAG, responses={200: OfferingOut})
def update_offering_(path: OfferingPath, body: OfferingIn):
    """Replace a draft or returned offering of the caller's vendor."""
    user = signed_in_actor()
    offering = visible_offering(path.offering_id)
    update_offering(user, offering, _data(body))
    return respond(serialise.offering(offering))


@api.get(
    "/offerings/<int:offering_id>/matches", tags=[TAGS["matching"]], responses={200: MatchList}
)
def offering_matches(path: OfferingPath):
    """Published needs that match a published offering (its vendor's members, organisers)."""
    user = signed_in_actor()
    offering = visible_offering(path.offering_id)
    if not (offering.belongs_to(user) or user.is_organiser):
        raise NotAllowed(_("只有方案所属服务商和主办方可以查看匹配的需求。"))
    found = needs_for_offering(offering)
    items = [serialise.match(m.need, m.match) for m in found.items]
    return respond(MatchList(items=items, notices=found.notices))
