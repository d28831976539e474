"""Why a match: shared taxonomy, the best sentence pair, the KPI the offering reached.

Reasons are structured data; pages turn them into words later. The sentence pair is found
with the lexical model (character 1–2-gram cosine): cheap enough for every result, with no
encoding at request time.
"""

from __future__ import annotations

from collections.abc import Sequence

from .collection import TaxCodes
from .documents import (
    Document,
    Kpi,
    KpiReason,
    Reasons,
    SentencePair,
    SharedTaxonomy,
    split_sentences,
)
from .lexical import LexicalModel, normalise

KPI_NAME_OVERLAP = 0.5  # bigram Jaccard above which two KPI names mean the same metric


def explain_many(
    query: Document,
    query_tax: TaxCodes,
    matches: Sequence[tuple[Document, TaxCodes]],
    lexical: LexicalModel,
) -> list[Reasons]:
    """Reasons for each match; the sentences of all matches are scored in one product."""
    pairs = best_sentence_pairs(query.full_text, [doc.full_text for doc, _ in matches], lexical)
    out = []
    for (doc, tax), pair in zip(matches, pairs, strict=True):
        need, offering = (query, doc) if query.kind == "need" else (doc, query)
        kpis = kpi_reasons(need.kpis, offering.kpis) if need.kind != offering.kind else ()
        out.append(Reasons(shared_taxonomy(query_tax, tax), pair, kpis))
    return out


def explain(query, query_tax, match, match_tax, lexical) -> Reasons:
    return explain_many(query, query_tax, [(match, match_tax)], lexical)[0]


def shared_taxonomy(a: TaxCodes, b: TaxCodes) -> tuple[SharedTaxonomy, ...]:
    out = []
    for level in ("template", "category", "industry"):
        code = getattr(a, level)
        if code and code == getattr(b, level):
            inferred = level in a.inferred or level in b.inferred
            out.append(SharedTaxonomy(level=level, code=code, inferred=inferred))
    return tuple(out)


def best_sentence_pairs(
    query_text: str, texts: Sequence[str], lexical: LexicalModel
) -> list[SentencePair | None]:
    """For each text, its sentence closest to any sentence of the query (char-gram cosine)."""
    left = split_sentences(query_text)
    parts = [split_sentences(t) for t in texts]
    flat = [s for p in parts for s in p]
    if not left or not flat:
        return [None] * len(texts)
    rows = lexical.transform(left + flat)
    sims = (rows[: len(left)] @ rows[len(left) :].T).toarray()
    out, start = [], 0
    for sentences in parts:
        block = sims[:, start : start + len(sentences)]
        start += len(sentences)
        if block.size == 0:
            out.append(None)
            continue
        i, j = divmod(int(block.argmax()), block.shape[1])
        out.append(SentencePair(left[i], sentences[j], float(block[i, j])))
    return out


def kpi_reasons(targets: tuple[Kpi, ...], achieved: tuple[Kpi, ...]) -> tuple[KpiReason, ...]:
    out = []
    for target in targets:
        best = max(achieved, key=lambda a: _name_overlap(target.metric, a.metric), default=None)
        if best is None or _name_overlap(target.metric, best.metric) < KPI_NAME_OVERLAP:
            continue
        out.append(
            KpiReason(
                metric=target.metric,
                target=target,
                achieved=best,
                meets_target=_meets(target, best),
            )
        )
    return tuple(out)


def _meets(target: Kpi, achieved: Kpi) -> bool | None:
    better = target.better or achieved.better
    if target.value is None or achieved.value is None or better not in ("lower", "higher"):
        return None
    if target.unit and achieved.unit and target.unit != achieved.unit:
        return None
    if better == "lower":
        return achieved.value <= target.value
    return achieved.value >= target.value


def _bigrams(text: str) -> set[str]:
    t = normalise(text).replace(" ", "")
    return {t[i : i + 2] for i in range(len(t) - 1)} or {t}


def _name_overlap(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / max(1, len(x | y))
