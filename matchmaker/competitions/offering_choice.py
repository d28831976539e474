"""Which of a vendor's offerings the apply form proposes for a listing: the best fit.

The matching engine scores each published offering against the needs (as 适合我的榜单 does,
through `solvers.search_documents.needs_for_offering`); the offering whose best score over the
listing's needs is highest wins. When the index has no score for any of them (not built, a
need not indexed, the engine failing), taxonomy overlap decides: a shared scenario template
counts most, then category, then industry. Ties keep the vendor's own order.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..solvers.models import Offering
from ..solvers.search_documents import needs_for_offering
from .models import Listing

CANDIDATES = 50  # needs asked per offering (the engine ranks 200 candidates anyway)


def engine_scores(listing: Listing, offerings: Sequence[Offering]) -> dict[int, float]:
    """offering id → its best matching score over the listing's needs (absent: no score)."""
    wanted = {str(n.id) for n in listing.needs}
    scores: dict[int, float] = {}
    for offering in offerings:
        found = needs_for_offering(offering, k=CANDIDATES).items
        hits = [item.match.score for item in found if item.match.id in wanted]
        if hits:
            scores[offering.id] = max(hits)
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
