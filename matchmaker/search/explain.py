"""Why a match: shared taxonomy, the best sentence pair, the KPI the offering reached.

Reasons are structured data; pages turn them into words later. The sentence pair is found
with the lexical model (character 1–2-gram cosine): cheap enough for every result, with no
encoding at request time.
"""

from __future__ import annotations

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


def explain(
    query: Document,
    query_tax: TaxCodes,
    match: Document,
    match_tax: TaxCodes,
    lexical: LexicalModel,
) -> Reasons:
    need, offering = (query, match) if query.kind == "need" else (match, query)
    return Reasons(
        shared=shared_taxonomy(query_tax, match_tax),
        sentence_pair=best_sentence_pair(query.full_text, match.full_text, lexical),
        kpis=kpi_reasons(need.kpis, offering.kpis) if need.kind != offering.kind else (),
    )


def shared_taxonomy(a: TaxCodes, b: TaxCodes) -> tuple[SharedTaxonomy, ...]:
    out = []
    for level in ("template", "category", "industry"):
        code = getattr(a, level)
        if code and code == getattr(b, level):
            inferred = level in a.inferred or level in b.inferred
            out.append(SharedTaxonomy(level=level, code=code, inferred=inferred))
    return tuple(out)


def best_sentence_pair(query_text: str, match_text: str, lexical: LexicalModel):
    left, right = split_sentences(query_text), split_sentences(match_text)
    if not left or not right:
        return None
    rows = lexical.transform(left + right)
    sims = (rows[: len(left)] @ rows[len(left) :].T).toarray()
    i, j = divmod(int(sims.argmax()), sims.shape[1])
    return SentencePair(
        query_sentence=left[i], match_sentence=right[j], similarity=float(sims[i, j])
    )


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
