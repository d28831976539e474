"""Near-duplicate needs: for one text, and clusters among a set.

Similarity is the mean of the dense cosine (passage vs passage) and the character
1–2-gram cosine; the lexical cosine alone when there is no vector.

Clusters never build the n × n products: a pair can reach the threshold t only if its dense
cosine reaches 2t − 1 (the lexical cosine is at most 1), so candidate pairs come from a
k-nearest-neighbour search per document in the vector index (k doubled until the k-th
neighbour falls below 2t − 1: exact on the flat index), on HNSW (past its threshold, where
the search is approximate) plus the best pairs by the lexical posting lists of each
document's rarest terms; without vectors, the posting lists of all its terms (exact). Only the candidates are then scored exactly.
`exhaustive_pairs` keeps the old all-pairs computation for the tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .encoders.base import Encoder
from .engine import SearchEngine

DUPLICATE_THRESHOLD = 0.8
BLOCK = 1024
FIRST_K = 16  # neighbours asked first per document; doubled while the last still qualifies
LEXICAL_BUDGET = 2_000  # postings read per document for lexical candidates beside the vectors
LEXICAL_K = 10  # lexical candidates kept per document beside the vectors


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
    return [ids for ids, _ in scored_clusters(col, positions, threshold)]


def scored_clusters(
    col, positions: np.ndarray, threshold: float, exhaustive: bool = False
) -> list[tuple[list[str], dict[str, float]]]:
    """Clusters as (sorted ids, each member's highest similarity to another member),
    largest first. A member's highest similarity is that of one of its pairs ≥ threshold."""
    pairs = exhaustive_pairs(col, positions, threshold) if exhaustive else (
        candidate_pairs(col, positions, threshold)
    )  # fmt: skip
    parent = list(range(len(positions)))
    best: dict[int, float] = {}
    for a, b, sim in pairs:
        _union(parent, a, b)
        best[a], best[b] = max(best.get(a, 0.0), sim), max(best.get(b, 0.0), sim)
    groups: dict[int, list[int]] = {}
    for i in best:
        groups.setdefault(_find(parent, i), []).append(i)
    out = []
    for members in groups.values():
        ids = sorted(col.docs[positions[i]].id for i in members)
        out.append((ids, {col.docs[positions[i]].id: best[i] for i in members}))
    return sorted(out, key=lambda c: (-len(c[0]), c[0]))


def exhaustive_pairs(col, positions: np.ndarray, threshold: float):
    """Every pair (i < j, indexes into `positions`) with similarity ≥ threshold, from the
    full blocks of similarities (n² work: the reference for `candidate_pairs`)."""
    for start, sims in _similarity_blocks(col, positions):
        rows, cols = np.nonzero(sims >= threshold)
        for r, c in zip(rows + start, cols, strict=True):
            if r < c:
                yield int(r), int(c), float(sims[r - start, c])


def candidate_pairs(col, positions: np.ndarray, threshold: float) -> list:
    """The pairs of `exhaustive_pairs` from candidates only (see the module docstring)."""
    n = len(positions)
    if n < 2:
        return []
    dense = col.dense is not None and bool(col.has_vector[positions].all())
    cands: set[tuple[int, int]] = set()
    index_of = np.full(len(col.docs), -1, dtype=np.int64)
    index_of[positions] = np.arange(n)
    if dense:
        _dense_candidates(col, positions, index_of, 2 * threshold - 1, cands)
        if col.dense.is_hnsw:  # the flat index is exact; HNSW's misses are made up lexically
            _lexical_candidates(col, positions, index_of, cands, LEXICAL_BUDGET, LEXICAL_K)
    else:
        _lexical_candidates(col, positions, index_of, cands, floor=threshold)
    if not cands:
        return []
    pairs = np.array(sorted(cands), dtype=np.int64)
    sims = _pair_similarities(col, positions, pairs, dense)
    keep = sims >= threshold
    return [(int(a), int(b), float(s)) for (a, b), s in zip(pairs[keep], sims[keep], strict=True)]


def _dense_candidates(col, positions, index_of, radius: float, out: set) -> None:
    allowed = np.zeros(len(col.docs), dtype=bool)
    allowed[positions] = True
    vectors = col.dense.vectors(positions)
    todo, k = np.arange(len(positions)), FIRST_K
    while len(todo):
        k_now = min(k, len(positions))
        again = []
        for i, (scores, ids) in zip(
            todo, col.dense.search_many(vectors[todo], k_now, allowed), strict=True
        ):
            for score, pos in zip(scores, ids, strict=True):
                j = index_of[pos]
                if score >= radius and j >= 0 and j != i:
                    out.add((min(i, j), max(i, j)))
            if len(scores) == k_now and k_now < len(positions) and scores[-1] >= radius:
                again.append(i)  # its k-th neighbour still qualifies: ask for more
        todo, k = np.array(again, dtype=np.int64), k * 2


def _lexical_candidates(
    col, positions, index_of, out: set, budget=None, k=None, floor: float = 0.0
) -> None:
    """With `floor` and no budget: every pair whose lexical cosine reaches it (exact). With a
    `budget`: the `k` best by the document's rarest terms (a supplement to the vectors)."""
    rows = col.lexical_rows(positions)
    inside = np.zeros(len(col.docs), dtype=bool)
    inside[positions] = True
    for i in range(len(positions)):
        scores = col.lexical.scores(rows[i], budget=budget)[: len(inside)]
        scores = np.where(inside[: len(scores)], scores, 0.0)
        hits = np.flatnonzero(scores >= floor) if floor > 0 else np.flatnonzero(scores > 0)
        if k is not None and len(hits) > k:
            hits = hits[np.argpartition(-scores[hits], k)[:k]]
        for pos in hits:
            j = index_of[pos] if pos < len(index_of) else -1
            if j >= 0 and j != i:
                out.add((min(i, j), max(i, j)))


def _pair_similarities(col, positions, pairs: np.ndarray, dense: bool) -> np.ndarray:
    lex = col.lexical_rows(positions)
    sims = np.asarray(lex[pairs[:, 0]].multiply(lex[pairs[:, 1]]).sum(axis=1)).ravel()
    if dense:
        vecs = col.dense.vectors(positions)
        sims = (sims + np.einsum("ij,ij->i", vecs[pairs[:, 0]], vecs[pairs[:, 1]])) / 2
    return sims


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


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], a: int, b: int) -> None:
    parent[_find(parent, a)] = _find(parent, b)
