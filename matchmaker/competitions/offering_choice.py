"""Which of a vendor's offerings the apply form proposes for a listing: the best fit.

The matching engine ranks the published offerings for each of the listing's needs (the need
page's 推荐揭榜方 query, `needs.search_documents`); within one query the fused scores compare,
so the vendor's offering with the highest score for any of the listing's needs wins. When the
engine has no score for any of them (index not built, need not indexed, engine failing),
taxonomy overlap decides: a shared scenario template counts most, then category, then
industry. Ties keep the vendor's own order.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from ..needs.search_documents import VENDOR_FILTERS
from ..search.app import service
from ..solvers.models import Offering
from .models import Listing

log = logging.getLogger(__name__)
CANDIDATES = 200  # offerings ranked per need: the engine's own candidate pool


def engine_scores(listing: Listing, offerings: Sequence[Offering]) -> dict[int, float]:
    """offering id → its best score over the listing's needs (absent: the engine has none)."""
    wanted = {str(o.id): o.id for o in offerings}
    scores: dict[int, float] = {}
    for need in listing.needs:
        try:
            result = service.match_for(
                "need", need.id, k=CANDIDATES, filters=VENDOR_FILTERS, with_reasons=False
            )
        except Exception:  # noqa: BLE001  (the form still opens, on the fallback)
            log.exception("matching failed for need %s", need.id)
            continue
        for match in result.matches if result is not None else ():
            if match.id in wanted:
                key = wanted[match.id]
                scores[key] = max(scores.get(key, float("-inf")), match.score)
    return scores


def overlap_score(listing: Listing, offering: Offering) -> int:
    templates = {t.id for t in offering.templates}
    categories = {c.id for c in offering.categories}
    industries = {i.id for i in offering.industries}
    return sum(
        4 * (need.template_id in templates)
        + 2 * (need.category_id in categories)
        + (need.industry_id in industries)
        for need in listing.needs
    )


def best_offering(listing: Listing, offerings: Sequence[Offering]) -> Offering | None:
    if len(offerings) < 2:
        return offerings[0] if offerings else None
    scores = engine_scores(listing, offerings)
    if scores:
        return max(offerings, key=lambda o: scores.get(o.id, float("-inf")))
    return max(offerings, key=lambda o: overlap_score(listing, o))
