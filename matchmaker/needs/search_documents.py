"""The needs side of the matching engine: documents for the index, kept in step after commits.

A need enters the index when it is published and leaves it when it ends. The text indexed for
a summary_only or invited_only need is only what its public summary shows
(`hall.need_document`); an invited_only need is stored with status "invited_only", so the
vendor pages and free-text search (which filter on "published") never list it, while its
owner still gets matches for it. Indexing never fails the business action: errors are
logged and `flask search rebuild` catches up.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..scenarios.models import ScenarioTemplate
from ..search import registry, service
from ..search.documents import Document, Filters, Kpi, Match
from ..search.status_hook import sync_on_status_change
from .hall import need_document, published_needs
from .models import Need

log = logging.getLogger(__name__)
INVITED_STATUS = "invited_only"
VENDOR_FILTERS = Filters(statuses=frozenset({"published"}))
_BETTER = {"down": "lower", "up": "higher"}


def to_document(need: Need) -> Document:
    data = need_document(need)
    status = data["status"]
    if status == "published" and need.confidentiality == INVITED_STATUS:
        status = INVITED_STATUS
    public = need.confidentiality == "public"
    kpis = tuple(
        Kpi(k.indicator, k.target, k.unit or "", _BETTER.get(k.direction)) for k in need.kpis
    )
    return Document(
        kind="need",
        id=str(need.id),
        title=data["title"],
        text=data["text"],
        industry=data["industry"],
        category=data["category"],
        template=data["template"],
        status=status,
        town=data["town"] or None,
        budget=data["budget_max"] or data["budget_min"],
        kpis=kpis if public else (),
        labels=tuple(data["labels"]),
    )


def load_documents() -> list[Document]:
    return [to_document(need) for need in published_needs()]


def load_templates() -> list[dict]:
    query = select(ScenarioTemplate).where(ScenarioTemplate.status == "active")
    return [
        {
            "code": t.code,
            "industry": t.industry.code,
            "category": t.category.code,
            "title": t.title_zh,
            "pain_point": t.pain_point_zh,
            "example": t.example_zh,
        }
        for t in db.session.scalars(query.order_by(ScenarioTemplate.position, ScenarioTemplate.id))
    ]


def register() -> None:
    registry.register_document_source("need", load_documents)
    registry.register_template_source(load_templates)
    # Every committed status change re-indexes, whichever package made it (an award closes
    # the listing's needs in competitions): no call site can forget.
    sync_on_status_change(Need, sync, frozenset({"published"}))


def sync(need: Need) -> None:
    """After the commit: index a published need, remove one that is not (never raises)."""
    try:
        if need.status == "published":
            service.index_documents([to_document(need)])
        else:
            service.remove("need", [need.id])
    except Exception:  # noqa: BLE001  (the index catches up on `flask search rebuild`)
        db.session.rollback()
        log.exception("search index update failed for need %s", need.id)


def matches_for(need: Need, k: int = 10):
    """Ranked published offerings for a need, or None when the need is not indexed."""
    try:
        return service.match_for("need", need.id, k=k, filters=VENDOR_FILTERS)
    except Exception:  # noqa: BLE001
        log.exception("matching failed for need %s", need.id)
        return None


@dataclass
class MatchedOffering:
    document: Document
    match: Match


@dataclass
class NeedMatches:
    items: list[MatchedOffering]
    notices: list[str]
    indexed: bool


def offerings_for(need: Need, k: int = 10) -> NeedMatches:
    """The need page's "推荐揭榜方": ranked published offerings with their stored fields."""
    result = matches_for(need, k)
    if result is None:
        return NeedMatches([], [], indexed=False)
    items = []
    for match in result.matches:
        doc = service.stored_document("offering", match.id)
        if doc is not None:
            items.append(MatchedOffering(doc, match))
    return NeedMatches(items, list(result.notices), indexed=True)


register()
