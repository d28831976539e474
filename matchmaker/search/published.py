"""Free-text search over published needs and offerings (the /search page and the API).

Only documents stored with status "published" are searched: an invited_only need is stored
under another status by the needs package and never appears; a summary_only need is indexed
with its public summary only. Results carry the stored fields (title, kind, id) for links.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask_babel import gettext as _

from . import service
from .documents import Document, Filters, Match

log = logging.getLogger(__name__)
MAX_QUERY = 200
RESULTS = 20
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


def run_search(raw: str | None) -> SearchPage:
    query = (raw or "").strip()
    if not query:
        return SearchPage(query, message=_("请输入要搜索的内容。"))
    if len(query) > MAX_QUERY:
        message = _("搜索内容过长，请不超过 %(max)d 个字。", max=MAX_QUERY)
        return SearchPage(query[:MAX_QUERY], message=message)
    try:
        result = service.search_text(query, k=RESULTS, filters=PUBLISHED)
    except Exception:  # noqa: BLE001  (a broken index must not break the page)
        log.exception("free-text search failed")
        return SearchPage(query, message=_("搜索暂时不可用，请稍后再试。"))
    hits = []
    for match in result.matches:
        doc = service.stored_document(match.kind, match.id)
        if doc is not None and doc.status == "published":
            hits.append(Hit(doc, match))
    page = SearchPage(query, hits, list(result.notices))
    if not hits:  # nothing at all, or nothing above the calibrated floor
        page.message = _("暂无足够匹配的结果：没有找到确实相关的需求或方案，请换个说法再试。")
    return page
