"""The needs side of the matching engine: the need document source, and the need page's matches.

A need enters the index when it is published and leaves it when it ends: `apply_transition`
(every status change) and the edit of a published need call `search.sync`, which indexes
the committed state through the job queue after the commit; `SOURCE` is what the indexing
job and `flask search rebuild` read (`create_app` hands it to `search.init_app`). The text indexed for
a summary_only or invited_only need is only what its public summary shows
(`hall.need_document`); an invited_only need is stored with status "invited_only", so the
vendor pages and free-text search (which filter on "published") never list it, while its
owner still gets matches for it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import jobs
from ..accounts.models import User
from ..extensions import db
from ..scenarios.models import ScenarioTemplate
from ..search.app import service
from ..search.core.documents import Document, Filters, Kpi, Match
from ..search.core.registry import DocumentSource
from ..search.store import judgments
from .hall import need_document, published_needs
from .models import Need
from .states import PUBLISHED

log = logging.getLogger(__name__)
INVITED_STATUS = "invited_only"
VENDOR_FILTERS = Filters(statuses=frozenset({PUBLISHED}))
_BETTER = {"down": "lower", "up": "higher"}


def to_document(need: Need) -> Document:
    data = need_document(need)
    status = data["status"]
    if status == PUBLISHED and need.confidentiality == INVITED_STATUS:
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


def load_some(ids: Sequence[str]) -> list[Document]:
    """The documents of those of `ids` that are published now (the others leave the index)."""
    query = select(Need).where(Need.id.in_([int(i) for i in ids]), Need.status == PUBLISHED)
    return [to_document(need) for need in db.session.scalars(query.order_by(Need.id))]


SOURCE = DocumentSource("need", load_all=load_documents, load=load_some)


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


def draft_text(need: Need) -> str:
    """What the owner's draft page compares with the published needs (near-duplicates)."""
    return need_document(need, include_confidential=True)["text"]


@jobs.task(label=_l("预先计算草稿的匹配向量"))
def remember_draft_job(need_id: int) -> None:
    """Encode an unpublished need's text once and keep the vector by content hash, so its
    owner's draft page (now or after a return) finds it stored instead of encoding 4,000
    characters per view."""
    need = db.session.get(Need, need_id)
    if need is not None and need.status != PUBLISHED:
        service.remember_text(draft_text(need))


def remember_draft(need: Need) -> None:
    """After saving an unpublished need: queue `remember_draft_job` for the commit (a request
    never waits for the encoder)."""
    jobs.enqueue_after_commit(remember_draft_job, need.id)


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
    verdict: str | None = None  # the viewing user's 已联系 mark ("contacted"), if any


@dataclass
class NeedMatches:
    items: list[MatchedOffering]
    notices: list[str]
    indexed: bool
    hidden: list[Document] = field(default_factory=list)  # marked 不相关 by the viewer


@dataclass
class JudgmentRow:
    at: object
    user: object  # accounts.models.User or None
    side: str
    verdict: str
    offering_id: int
    offering_title: str


def judgments_of(need: Need) -> list[JudgmentRow]:
    """Every 不相关 / 已联系 on the need's recommendations, newest first (for organisers)."""
    rows = judgments.for_need(need.id)
    users = {
        u.id: u
        for u in db.session.scalars(select(User).where(User.id.in_({r.user_id for r in rows})))
    }
    docs = service.stored_documents("offering", [r.offering_id for r in rows if r.offering_id])
    out = []
    for row in rows:
        doc = docs.get(str(row.offering_id)) if row.offering_id else None
        title = doc.title if doc is not None else f"#{row.offering_id}"
        out.append(
            JudgmentRow(row.updated_at, users.get(row.user_id), row.side, row.verdict,
                        row.offering_id, title)
        )  # fmt: skip
    return out


def offerings_for(need: Need, k: int = 10, user_id: int | None = None) -> NeedMatches:
    """The need page's "推荐揭榜方": ranked published offerings with their stored fields.
    With `user_id`, the offerings that user marked 不相关 are left out (and listed apart for
    undo) and the 已联系 marks come along."""
    verdicts = {}
    if user_id is not None:
        verdicts = {str(o): v for (_, o), v in judgments.verdicts(user_id, "need", need.id).items()}
    hidden = {o for o, v in verdicts.items() if v == "irrelevant"}
    result = matches_for(need, k + len(hidden))
    if result is None:
        return NeedMatches([], [], indexed=False)
    items = []
    for match in result.matches:
        doc = match.document if match.id not in hidden else None
        if doc is not None and len(items) < k:
            items.append(MatchedOffering(doc, match, verdicts.get(match.id)))
    gone = service.stored_documents("offering", sorted(hidden))
    return NeedMatches(
        items, list(result.notices), True, [gone[o] for o in sorted(hidden) if o in gone]
    )
