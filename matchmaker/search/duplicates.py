"""Near-duplicate needs: for one text, and clusters among a set.

Similarity is the mean of the dense cosine (passage vs passage) and the character
1–2-gram cosine; the lexical cosine alone when there is no vector.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .encoders.base import Encoder
from .engine import SearchEngine

DUPLICATE_THRESHOLD = 0.8
BLOCK = 1024


@dataclass(frozen=True)
class Duplicate:
    id: str
    similarity: float


def near_duplicates(
    engine: SearchEngine,
    encoder: Encoder | None,
    text: str,
    kind: str = "need",
    k: int = 10,
    threshold: float = DUPLICATE_THRESHOLD,
    exclude: Sequence[str] = (),
) -> list[Duplicate]:
    col = engine.collections[kind]
    query = engine.text_query(text, encoder, as_document=True)
    positions = np.flatnonzero(col.alive)
    sims = col.lexical.scores(query.lexical)[positions].astype(np.float64)
    if query.vector is not None and col.dense is not None:
        has = col.has_vector[positions]
        dense = np.zeros(len(positions))
        dense[has] = col.dense.vectors(positions[has]) @ query.vector
        sims = np.where(has, (sims + dense) / 2, sims)
    order = np.argsort(-sims)
    skip = {str(e) for e in exclude}
    out = []
    for i in order:
        if sims[i] < threshold or len(out) >= k:
            break
        doc_id = col.docs[positions[i]].id
        if doc_id not in skip:
            out.append(Duplicate(doc_id, float(sims[i])))
    return out


def duplicate_clusters(
    engine: SearchEngine,
    kind: str = "need",
    ids: Sequence[str] | None = None,
    threshold: float = DUPLICATE_THRESHOLD,
) -> list[list[str]]:
    """Groups (of two or more) linked by similarity ≥ threshold, largest first."""
    col = engine.collections[kind]
    if ids is None:
        positions = np.flatnonzero(col.alive)
    else:
        found = (col.position(i) for i in ids)
        positions = np.array(sorted(p for p in found if p is not None), dtype=np.int64)
    parent = list(range(len(positions)))
    for a, b in _similar_pairs(col, positions, threshold):
        _union(parent, a, b)
    groups: dict[int, list[str]] = {}
    for i, pos in enumerate(positions):
        groups.setdefault(_find(parent, i), []).append(col.docs[pos].id)
    clusters = [sorted(g) for g in groups.values() if len(g) > 1]
    return sorted(clusters, key=lambda g: (-len(g), g))


def similarity_matrix(engine: SearchEngine, kind: str, ids: Sequence[str]) -> np.ndarray:
    """Pairwise similarities of the given live documents (in the order of `ids`; a small set)."""
    col = engine.collections[kind]
    positions = np.array([col.position(str(i)) for i in ids], dtype=np.int64)
    if not len(positions):
        return np.zeros((0, 0))
    return next(_similarity_blocks(col, positions, block=len(positions)))[1]


def _similarity_blocks(col, positions: np.ndarray, block: int = BLOCK):
    """(start, rows start..start+block against all) similarity blocks of `positions`."""
    lex = col.lexical_rows(positions)
    vecs = None
    if col.dense is not None and len(positions) and col.has_vector[positions].all():
        vecs = col.dense.vectors(positions)
    for start in range(0, len(positions), block):
        rows = slice(start, start + block)
        sims = (lex[rows] @ lex.T).toarray()
        if vecs is not None:
            sims = (sims + vecs[rows] @ vecs.T) / 2
        yield start, sims


def _similar_pairs(col, positions: np.ndarray, threshold: float):
    for start, sims in _similarity_blocks(col, positions):
        rows, cols = np.nonzero(sims >= threshold)
        for r, c in zip(rows + start, cols, strict=True):
            if r < c:
                yield int(r), int(c)


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], a: int, b: int) -> None:
    parent[_find(parent, a)] = _find(parent, b)
