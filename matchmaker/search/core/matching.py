"""Matches with reasons: a stored document against the other kind, free text against both."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .classify import Classification
from .documents import Document, Filters, Match, SearchResult
from .encoders.base import Encoder
from .engine import Query, Ranked, SearchEngine
from .explain import explain_many
from .wording import plain

OTHER_KIND = {"need": "offering", "offering": "need"}
ENCODER_UNAVAILABLE = "encoder_unavailable"


def match_for(
    engine: SearchEngine,
    kind: str,
    doc_id: str,
    k: int = 10,
    filters: Filters | None = None,
    with_reasons: bool = True,
    floor: bool = True,
) -> SearchResult | None:
    """Documents of the other kind for a stored document (None when it is not indexed).

    With `floor`, results whose calibrated probability is below the lowest band are left
    out: nothing is recommended that is unlikely to be relevant."""
    found = engine.stored_query(kind, str(doc_id))
    if found is None:
        return None
    doc, query = found
    target = OTHER_KIND[kind]
    ranked = engine.rank(target, query, filters, k)
    matches = _matches(engine, target, ranked, doc if with_reasons else None, query, floor)
    return _result(matches, ranked.dense_used)


def match_many(
    engine: SearchEngine,
    kind: str,
    doc_ids: Sequence[str],
    k: int = 10,
    filters: Filters | None = None,
    floor: bool = True,
) -> dict[str, SearchResult]:
    """`match_for` (without reasons) for many stored documents in one batched ranking; ids
    that are not indexed are left out of the answer."""
    ids, queries, rows = engine.stored_queries(kind, [str(i) for i in doc_ids])
    target = OTHER_KIND[kind]
    ranked = engine.rank_many(target, queries, filters, k, rows)
    return {
        doc_id: _result(_matches(engine, target, r, None, query, floor), r.dense_used)
        for doc_id, query, r in zip(ids, queries, ranked, strict=True)
    }


@dataclass
class Neighbours:
    """A stored document's top k of the other kind as plain arrays (no `Match` objects), for
    figures over every document: their ids in rank order and each one's similarity — the
    dense cosine when dense ranking was used, else the lexical cosine."""

    ids: list[str]
    similarity: np.ndarray
    dense_available: bool
    notices: list[str] = field(default_factory=list)


def neighbours_many(
    engine: SearchEngine,
    kind: str,
    doc_ids: Sequence[str],
    k: int = 10,
    filters: Filters | None = None,
) -> dict[str, Neighbours]:
    """The ranking of `match_many` (with `floor=False`: all k kept), without building matches."""
    ids, queries, rows = engine.stored_queries(kind, [str(i) for i in doc_ids])
    target = OTHER_KIND[kind]
    docs = engine.collections[target].docs
    out = {}
    for doc_id, r in zip(ids, engine.rank_many(target, queries, filters, k, rows), strict=True):
        similarity = r.components["dense" if r.dense_used else "lexical"]
        notices = [] if r.dense_used else [ENCODER_UNAVAILABLE]
        found = [docs[p].id for p in r.positions.tolist()]
        out[doc_id] = Neighbours(found, similarity, r.dense_used, notices)
    return out


def search_text(
    engine: SearchEngine,
    encoder: Encoder | None,
    text: str,
    kinds: Sequence[str] = ("need", "offering"),
    k: int = 10,
    filters: Filters | None = None,
    floor: bool = True,
) -> SearchResult:
    """Free text over the given kinds, merged by score (the calibrated probability, which
    compares across kinds; the fused score when uncalibrated); reasons for the k kept only."""
    query = engine.text_query(text, encoder)
    # the reasons quote the user's words as the engine read them: without phone numbers or
    # addresses, in simplified characters (so the terms shared with the match are found)
    probe = Document(kind="need", id="", title="", text=plain(text))
    matches: list[Match] = []
    dense_used = True
    for kind in kinds:
        ranked = engine.rank(kind, query, filters, k)
        dense_used &= ranked.dense_used
        matches.extend(_matches(engine, kind, ranked, None, query, floor))
    matches.sort(key=lambda m: -m.score)
    kept = matches[:k]
    for kind in kinds:
        _add_reasons(engine, kind, [m for m in kept if m.kind == kind], probe, query)
    return _result(kept, dense_used)


def reasons_for(engine: SearchEngine, kind: str, doc_id: str, matches: Sequence[Match]) -> None:
    """Fill in the reasons of matches (of the other kind) ranked without them, e.g. after
    merging several rankings: only the results a page shows are explained."""
    found = engine.stored_query(kind, str(doc_id))
    if found is not None:
        doc, query = found
        _add_reasons(engine, OTHER_KIND[kind], list(matches), doc, query)


def _add_reasons(
    engine: SearchEngine, kind: str, matches: list[Match], source: Document, query: Query
) -> None:
    col = engine.collections[kind]
    positions = [col.position(m.id) for m in matches]
    pairs = [(m, p) for m, p in zip(matches, positions, strict=True) if p is not None]
    found = [(col.docs[p], col.taxonomy[p]) for _, p in pairs]
    if found:
        for (match, _), reasons in zip(
            pairs, explain_many(source, query.taxonomy, found, engine.lexical), strict=True
        ):
            match.reasons = reasons


def classify_text(engine: SearchEngine, encoder: Encoder | None, text: str) -> Classification:
    query = engine.text_query(text, encoder)
    return engine.classifier.classify(query.lexical, query.vector)


def _matches(
    engine: SearchEngine,
    kind: str,
    ranked: Ranked,
    source: Document | None,
    query: Query,
    floor: bool = True,
) -> list[Match]:
    col = engine.collections[kind]
    calibration = engine.calibration if ranked.probability is not None else None
    keep = list(range(len(ranked.positions)))
    if calibration is not None and floor:
        keep = [i for i in keep if ranked.probability[i] >= calibration.floor]
    found = [(col.docs[ranked.positions[i]], col.taxonomy[ranked.positions[i]]) for i in keep]
    reasons = [None] * len(found)
    if source is not None and found:  # reasons only for the results that are returned
        reasons = explain_many(source, query.taxonomy, found, engine.lexical)
    out = []
    for j, i in enumerate(keep):
        doc = found[j][0]
        components = {name: float(v[i]) for name, v in ranked.components.items()}
        fused = float(ranked.fused[i])
        match = Match(kind, doc.id, fused, components, reasons[j], fused=fused, document=doc)
        if calibration is not None:
            match.probability = round(float(ranked.probability[i]), 4)
            match.band = calibration.band(match.probability)
            match.score = match.probability
        out.append(match)
    return out


def _result(matches: list[Match], dense_used: bool) -> SearchResult:
    notices = [] if dense_used else [ENCODER_UNAVAILABLE]
    return SearchResult(matches=matches, dense_available=dense_used, notices=notices)
