"""Free-text search over published needs and offerings (the /search page and the API).

Only documents stored with status "published" are searched: an invited_only need is stored
under another status by the needs package and never appears; a summary_only need is indexed
with its public summary only. Results carry the stored fields (title, kind, id) for links.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..search.app import service
from ..search.core.documents import Document, Filters, Match

log = logging.getLogger(__name__)
MAX_QUERY = 200
RESULTS = 20
POOL = 200  # facets count over this many best matches, not only the page shown
SNIPPET = 60  # characters either side of the first highlighted term
FACETS = ("kind", "industry", "category")
PUBLISHED = Filters(statuses=frozenset({"published"}))


@dataclass
class Hit:
    document: Document
    match: Match


@dataclass
class SearchPage:
    query: str
    hits: list[Hit] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    message: str = ""
    total: int = 0  # hits after the chosen facets, before the page cut
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # name → (value, count)
    chosen: dict[str, str] = field(default_factory=dict)  # facet name → chosen value

    def snippet(self, hit: Hit) -> Markup:
        return snippet(hit.document.text, self.query)


def highlight_terms(query: str, text: str) -> list[str]:
    """The parts of the query to mark in `text`: each whitespace-separated word found in it, and
    for Chinese words not found whole, their two-character pieces that are."""
    terms: list[str] = []
    for word in query.split():
        if word.lower() in text.lower():
            terms.append(word)
        else:
            terms += [word[i : i + 2] for i in range(len(word) - 1) if word[i : i + 2] in text]
    return sorted(set(terms), key=len, reverse=True)


def snippet(text: str, query: str) -> Markup:
    """A window of the document's public text around the first term of the query, escaped, with
    the terms wrapped in <mark>. Stored texts of summary_only needs hold only the public summary."""
    text = " ".join((text or "").split())
    terms = highlight_terms(query, text)
    if not terms:
        return Markup(escape(text[: 2 * SNIPPET])) + ("…" if len(text) > 2 * SNIPPET else "")
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, first.start() - SNIPPET) if first else 0
    window = text[start : start + 2 * SNIPPET + (first.end() - first.start() if first else 0)]
    out = Markup("…") if start else Markup("")
    last = 0
    for found in pattern.finditer(window):
        out += escape(window[last : found.start()]) + Markup("<mark>%s</mark>") % found.group(0)
        last = found.end()
    out += escape(window[last:])
    return out + ("…" if start + len(window) < len(text) else "")


def _facet_value(doc: Document, name: str) -> str | None:
    return getattr(doc, name, None)


def parse_facets(args) -> dict[str, str]:
    """The chosen facets from query arguments (unknown names and over-long values ignored)."""
    return {
        name: str(args.get(name)).strip()
        for name in FACETS
        if args.get(name) and len(str(args.get(name))) <= 40
    }


def run_search(raw: str | None, chosen: dict[str, str] | None = None) -> SearchPage:
    query = (raw or "").strip()
    if not query:
        return SearchPage(query, message=_("请输入要搜索的内容。"))
    if len(query) > MAX_QUERY:
        message = _("搜索内容过长，请不超过 %(max)d 个字。", max=MAX_QUERY)
        return SearchPage(query[:MAX_QUERY], message=message)
    try:
        result = service.search_text(
            query, k=POOL if chosen is not None else RESULTS, filters=PUBLISHED
        )
    except Exception:  # noqa: BLE001  (a broken index must not break the page)
        log.exception("free-text search failed")
        return SearchPage(query, message=_("搜索暂时不可用，请稍后再试。"))
    hits = []
    for match in result.matches:
        doc = match.document
        if doc is not None and doc.status == "published":
            hits.append(Hit(doc, match))
    page = SearchPage(query, hits, list(result.notices), total=len(hits))
    if chosen is not None:
        page.chosen = {k: v for k, v in chosen.items() if k in FACETS}
        page.facets = {
            name: Counter(
                v for h in hits if (v := _facet_value(h.document, name)) is not None
            ).most_common()
            for name in FACETS
        }
        kept = [
            h for h in hits if all(_facet_value(h.document, k) == v for k, v in page.chosen.items())
        ]
        page.total, page.hits = len(kept), kept[:RESULTS]
    if not page.hits:  # nothing at all, or nothing above the calibrated floor
        page.message = _("暂无足够匹配的结果：没有找到确实相关的需求或方案，请换个说法再试。")
    return page
