"""Ranking metrics and the fitting of fusion weights. Pure functions, no I/O.

Grades: 2 solves the need, 1 partly, missing irrelevant. nDCG uses gains 2^grade − 1 and a
log2(rank + 1) discount; recall and MRR count grade ≥ 1 as relevant.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np

METRICS = ("p@1", "mrr", "recall@5", "recall@10", "ndcg@10")
Qrels = Mapping[str, int]


def precision_at_1(ranking: Sequence[str], qrels: Qrels) -> float:
    return 1.0 if ranking and qrels.get(ranking[0], 0) >= 1 else 0.0


def reciprocal_rank(ranking: Sequence[str], qrels: Qrels) -> float:
    for i, doc in enumerate(ranking):
        if qrels.get(doc, 0) >= 1:
            return 1.0 / (i + 1)
    return 0.0


def recall_at(ranking: Sequence[str], qrels: Qrels, k: int) -> float:
    relevant = {d for d, g in qrels.items() if g >= 1}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranking[:k])) / len(relevant)


def ndcg_at(ranking: Sequence[str], qrels: Qrels, k: int) -> float:
    def dcg(grades: Sequence[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted((g for g in qrels.values() if g > 0), reverse=True))
    if ideal == 0:
        return 0.0
    return dcg([qrels.get(d, 0) for d in ranking]) / ideal


def metrics(ranking: Sequence[str], qrels: Qrels) -> dict[str, float]:
    return {
        "p@1": precision_at_1(ranking, qrels),
        "mrr": reciprocal_rank(ranking, qrels),
        "recall@5": recall_at(ranking, qrels, 5),
        "recall@10": recall_at(ranking, qrels, 10),
        "ndcg@10": ndcg_at(ranking, qrels, 10),
    }


def mean_metrics(
    rankings: Mapping[str, Sequence[str]], qrels: Mapping[str, Qrels]
) -> dict[str, float]:
    """Means over the queries that have at least one relevant document."""
    judged = [q for q in rankings if any(g >= 1 for g in qrels.get(q, {}).values())]
    if not judged:
        return dict.fromkeys(METRICS, 0.0)
    per_query = [metrics(rankings[q], qrels[q]) for q in judged]
    return {m: round(sum(p[m] for p in per_query) / len(judged), 4) for m in METRICS}


def weight_grid(step: float, names: Sequence[str]) -> list[dict[str, float]]:
    """Every weighting of `names` on the simplex with the given step."""
    n = round(1 / step)
    out = []
    for cut in _compositions(n, len(names)):
        out.append({name: c / n for name, c in zip(names, cut, strict=True)})
    return out


def _compositions(total: int, parts: int):
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


def fit_weights(
    score: Callable[[dict[str, float]], float], names: Sequence[str], step: float = 0.05
) -> tuple[dict[str, float], float]:
    """The weighting with the best `score`; ties go to the earliest in grid order."""
    best, best_value = None, -np.inf
    for weights in weight_grid(step, names):
        value = score(weights)
        if value > best_value + 1e-12:
            best, best_value = weights, value
    return best, float(best_value)
