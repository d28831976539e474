"""The solvers side of the matching engine: the offering document source, and "适合我的榜单".

An offering enters the index when it is approved and leaves it when it is retired: the
review transition calls `search.sync`, which indexes the committed state through the job
queue after the commit; `SOURCE` is what the indexing job and `flask search rebuild` read. The
vendor page is built here from the search results' stored fields (title, codes, status), so
this package never imports the needs package: needs are linked by id to the hall page, and
only needs stored with status "published" are listed (invited_only needs are stored under
another status by the needs package, and a summary_only need is stored with its public
summary only).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..search.app import service
from ..search.core.documents import Document, Filters, Kpi, Match
from ..search.core.registry import DocumentSource
from ..search.store import judgments
from .documents import offering_document
from .models import Offering
from .queries import published_offerings, vendor_published_offerings

log = logging.getLogger(__name__)
NEED_FILTERS = Filters(statuses=frozenset({"published"}))
PER_OFFERING = 20
_BETTER = {"down": "lower", "up": "higher"}


def _first(codes: list[str]) -> str | None:
    return codes[0] if len(codes) == 1 else None


def to_document(offering: Offering) -> Document:
    data = offering_document(offering)
    kpis = tuple(
        Kpi(k["indicator"], k["after"], k["unit"] or "", _BETTER.get(k["direction"]))
        for k in data["kpis"]
    )
    return Document(
        kind="offering",
        id=str(offering.id),
        title=data["title"],
        text=data["text"],
        industry=_first(data["industries"]),
        category=_first(data["categories"]),
        template=_first(data["templates"]),
        status=data["status"],
        budget=data["price_min"],
        deployment=frozenset(data["deployment_modes"] or ()),
        kpis=kpis,
        labels=tuple(data["labels"]),
    )


def load_documents() -> list[Document]:
    return [to_document(o) for o in published_offerings()]


def load_some(ids: Sequence[str]) -> list[Document]:
    """The documents of those of `ids` the public may see now (the others leave the index)."""
    return [to_document(o) for o in published_offerings([int(i) for i in ids])]


SOURCE = DocumentSource("offering", load_all=load_documents, load=load_some)


CLOSE_TO_BEST = 0.8  # an offering is listed for a need when it scores this share of the best


@dataclass
class NeedMatch:
    """One need for the vendor: its best match and which of the vendor's offerings matched."""

    need: Document
    match: Match
    scored: list[tuple[float, Offering]] = field(default_factory=list)

    @property
    def offerings(self) -> list[Offering]:
        """The vendor's offerings that match this need nearly as well as the best, best first."""
        ranked = sorted(self.scored, key=lambda pair: -pair[0])
        return [o for score, o in ranked if score >= CLOSE_TO_BEST * self.match.score]


@dataclass
class VendorMatches:
    items: list[NeedMatch]
    notices: list[str]
    verdicts: dict[str, str] = field(default_factory=dict)  # need id → the viewer's mark
    hidden: list[tuple[Document, int]] = field(default_factory=list)  # (need, offering id)


def recommendations_for(user, k: int = 30) -> VendorMatches:
    """适合我的榜单 for one vendor member: the needs they marked 不相关 left out (listed
    apart, with the offering id to undo with), their 已联系 marks by need id."""
    marks = judgments.verdicts(user.id, "offering")
    hidden = {str(n): o for (n, o), v in marks.items() if v == "irrelevant"}
    found = needs_for_vendor(user.organisation, k, frozenset(hidden))
    found.verdicts = {str(n): v for (n, _), v in marks.items() if v == "contacted"}
    docs = service.stored_documents("need", sorted(hidden))
    for need_id, offering_id in sorted(hidden.items()):
        if need_id in docs:
            found.hidden.append((docs[need_id], offering_id))
    return found


def needs_for_vendor(org, k: int = 30, hidden: frozenset[str] = frozenset()) -> VendorMatches:
    """Published needs matching any of the vendor's published offerings, best first, except
    the `hidden` need ids (those the user marked 不相关)."""
    best: dict[str, NeedMatch] = {}
    notices: list[str] = []
    for offering in vendor_published_offerings(org):
        result = service.match_for(
            "offering", offering.id, k=PER_OFFERING, filters=NEED_FILTERS, with_reasons=False
        )
        if result is None:
            continue
        notices += [n for n in result.notices if n not in notices]
        for match in result.matches:
            _merge(best, match, offering)
    items = sorted(best.values(), key=lambda item: -item.match.score)
    items = [i for i in items if i.match.id not in hidden][:k]
    for item in items:
        item.need = item.match.document or item.need
    items = [i for i in items if i.need.status == "published"]
    _explain(items)
    return VendorMatches(items, notices)


def _explain(items: list[NeedMatch]) -> None:
    """Reasons for the needs shown only, each from the offering that matched it best."""
    by_offering: dict[int, list[Match]] = {}
    for item in items:
        best = max(item.scored, key=lambda pair: pair[0])[1]
        by_offering.setdefault(best.id, []).append(item.match)
    for offering_id, matches in by_offering.items():
        service.add_reasons("offering", offering_id, matches)


def needs_for_offering(offering: Offering, k: int = 10) -> VendorMatches:
    """Published needs matching one published offering, best first (empty when the offering
    is not indexed or the index fails: the failure is logged)."""
    try:
        result = service.match_for("offering", offering.id, k=k, filters=NEED_FILTERS)
    except Exception:  # noqa: BLE001
        log.exception("matching failed for offering %s", offering.id)
        return VendorMatches([], [])
    if result is None:
        return VendorMatches([], [])
    items = []
    for match in result.matches:
        need = match.document
        if need is not None and need.status == "published":
            items.append(NeedMatch(need, match, [(match.score, offering)]))
    return VendorMatches(items, list(result.notices))


def _merge(best: dict[str, NeedMatch], match: Match, offering: Offering) -> None:
    found = best.get(match.id)
    if found is None:
        placeholder = Document("need", match.id, "", "")
        best[match.id] = NeedMatch(placeholder, match, [(match.score, offering)])
        return
    found.scored.append((match.score, offering))
    if match.score > found.match.score:
        found.match = match


PER_PAGE = 10


@dataclass
class MatchPage:
    """One page (10 a page) of a vendor's matching needs."""

    items: list[NeedMatch]
    notices: list[str]
    number: int
    pages: int
    total: int
    verdicts: dict[str, str] = field(default_factory=dict)  # need id → the viewer's mark
    hidden: list[tuple[Document, int]] = field(default_factory=list)  # marked 不相关

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_of(result: VendorMatches, raw_page: str | None) -> MatchPage | None:
    """The requested page of `result`; None when the page number is not a page (→ 404)."""
    total = len(result.items)
    pages = max(1, -(-total // PER_PAGE))
    if raw_page in (None, ""):
        number = 1
    elif raw_page.isdigit() and 1 <= int(raw_page) <= pages:
        number = int(raw_page)
    else:
        return None
    start = (number - 1) * PER_PAGE
    items = result.items[start : start + PER_PAGE]
    return MatchPage(items, result.notices, number, pages, total, result.verdicts, result.hidden)
