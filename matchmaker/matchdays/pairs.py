"""What a factory and a vendor registered for a day are worth to each other: the matching
engine's calibrated score between the factory's needs and the vendor's offerings (the need
page's 推荐揭榜方 query, `needs.search_documents`), the best need × offering pair, its band and
its reasons.

When the engine has no score for a pair (index not built, a need not indexed, the engine
failing), taxonomy overlap stands in: a shared scenario template 0.5, category 0.3, industry
0.15; no band, no reasons. Reasons are stored with the meeting as plain data (the template
renders them): shared taxonomy levels, the closest sentence pair, the KPIs.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..needs.models import Need
from ..needs.search_documents import VENDOR_FILTERS
from ..search.app import service
from ..solvers.models import Offering
from .models import MatchDayRegistration

log = logging.getLogger(__name__)
CANDIDATES = 500  # offerings ranked per need
OVERLAP = (("template", 0.5), ("category", 0.3), ("industry", 0.15))


@dataclass
class PairScore:
    score: float | None
    band: str | None = None
    need_id: int | None = None
    offering_id: int | None = None
    match: object = None  # the engine's Match (for reasons), when it had one
    reasons: list[dict] = field(default_factory=list)

    @property
    def overlap_only(self) -> bool:
        """The score is the taxonomy stand-in (no engine match) and they share something."""
        return self.match is None and bool(self.score)


def _engine_matches(need_ids: Sequence[int]) -> dict[int, dict[int, object]]:
    """need id → {offering id: Match} for every need the engine can rank."""
    out: dict[int, dict[int, object]] = {}
    for need_id in need_ids:
        try:
            result = service.match_for(
                "need",
                need_id,
                k=CANDIDATES,
                filters=VENDOR_FILTERS,
                with_reasons=False,
                floor=False,
            )
        except Exception:  # noqa: BLE001  (the day is still scheduled, on the fallback)
            log.exception("matching failed for need %s", need_id)
            continue
        if result is not None:
            out[need_id] = {int(m.id): m for m in result.matches}
    return out


def _overlap(need: Need, offering: Offering) -> float:
    shared = {
        "template": need.template_id in {t.id for t in offering.templates},
        "category": need.category_id in {c.id for c in offering.categories},
        "industry": need.industry_id in {i.id for i in offering.industries},
    }
    return max((score for level, score in OVERLAP if shared[level]), default=0.0)


def score_pairs(
    factories: Sequence[MatchDayRegistration], vendors: Sequence[MatchDayRegistration]
) -> dict[tuple[int, int], PairScore]:
    """(factory organisation id, vendor organisation id) → the best need × offering pair."""
    need_ids = sorted({int(i) for r in factories for i in r.item_ids})
    offering_ids = sorted({int(i) for r in vendors for i in r.item_ids})
    needs = {n.id: n for n in db.session.scalars(select(Need).where(Need.id.in_(need_ids)))}
    offerings = {
        o.id: o for o in db.session.scalars(select(Offering).where(Offering.id.in_(offering_ids)))
    }
    engine = _engine_matches(list(needs))
    scores: dict[tuple[int, int], PairScore] = {}
    for f in factories:
        for v in vendors:
            best = PairScore(None)
            for n in (int(i) for i in f.item_ids if int(i) in needs):
                for o in (int(i) for i in v.item_ids if int(i) in offerings):
                    best = _better(best, n, o, engine.get(n, {}).get(o), needs, offerings)
            scores[f.organisation_id, v.organisation_id] = best
    return scores


def _better(best: PairScore, n: int, o: int, match, needs, offerings) -> PairScore:
    if match is not None:
        if best.match is None or match.score > (best.score or 0):
            return PairScore(match.score, match.band, n, o, match)
        return best
    if best.match is not None:
        return best
    score = _overlap(needs[n], offerings[o])
    if best.need_id is None or score > (best.score or 0):
        return PairScore(score, None, n, o)
    return best


def explain(pair: PairScore) -> list[dict]:
    """The engine's reasons for a pair as plain data (empty without an engine match)."""
    if pair.match is None or pair.need_id is None:
        return []
    try:
        service.add_reasons("need", pair.need_id, [pair.match])
    except Exception:  # noqa: BLE001
        log.exception("reasons failed for need %s", pair.need_id)
        return []
    reasons = pair.match.reasons
    if reasons is None:
        return []
    out: list[dict] = [{"kind": "shared", "level": s.level, "code": s.code} for s in reasons.shared]
    out += [{"kind": "kpi", "metric": k.metric, "meets": k.meets_target} for k in reasons.kpis]
    if reasons.sentence_pair is not None:
        sp = reasons.sentence_pair
        out.append({"kind": "sentence", "need": sp.query_sentence, "offering": sp.match_sentence})
    return out
