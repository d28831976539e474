"""Near-duplicate needs: for one text, and clusters among a set.

Similarity is the mean of the dense cosine (passage vs passage) and the character
1–2-gram cosine; the lexical cosine alone when there is no vector.

Clusters never build the n × n products. A pair reaches the threshold t only if its lexical
cosine reaches `floor` = 2t − 1 (its dense cosine is at most 1; without vectors, t itself).
Candidate pairs come from **prefix filtering** of the lexical rows (Bayardo et al., "Scaling up
all pairs similarity search", 2007): each row's terms are ordered rarest first (one global
order), and its *prefix* runs until what follows can contribute no more than ¾ of the floor to
any dot product (bounded by the rest's norm, and by the rest's weights times each term's
largest weight in the set). Two rows reaching `floor` share a prefix term, so the pairs of
rows sharing one — one sparse product of the prefix matrices per block of rows, over rare
terms with short posting lists — contain every qualifying pair; the same product gives each
pair the dot product of its prefixes, which plus the bound of the rest bounds its lexical
cosine, and a pair whose bound plus its dense cosine cannot reach 2t is dropped. Exact on the
flat index and on HNSW alike, however many copies a need has. Only the remaining pairs are
scored exactly (vectorised: sparse row products for the lexical cosine, one einsum for the
dense one), and the clusters are the connected components of the qualifying pairs.

The dense vectors do not help to find candidates: e5's passage cosines between the demo's
needs lie in 0.86–0.92 (1st to 90th percentile), far above any useful 2t − 1, so a k-nearest-
neighbour or range search at 2t − 1 returns nearly every pair (README "Duplicate needs").
`exhaustive_pairs` keeps the all-pairs computation for the tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .encoders.base import Encoder
from .engine import SearchEngine

DUPLICATE_THRESHOLD = 0.8
BLOCK = 1024  # rows per block of similarities or of shared prefix terms
PAIR_CHUNK = 50_000  # candidate pairs scored at a time
# The lexical floor is lowered by this much: float32 cosines may exceed the exact ones.
FLOOR_MARGIN = 1e-4
# A row's prefix runs until what follows it is bounded by this share of the lexical floor:
# longer prefixes than the least filtering needs, whose products bound each pair tightly. At
# 50× the demo (t = 0.8): share 1 leaves 1.15 M candidate pairs, 0.75 leaves 76 k (73.5 k qualify).
PREFIX_SHARE = 0.75


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
    if exhaustive:
        found = list(exhaustive_pairs(col, positions, threshold))
        a = np.array([p[0] for p in found], dtype=np.int64)
        b = np.array([p[1] for p in found], dtype=np.int64)
        sims = np.array([p[2] for p in found], dtype=np.float64)
    else:
        a, b, sims = pair_arrays(col, positions, threshold)
    if not len(a):
        return []
    n = len(positions)
    graph = sp.coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    best = np.zeros(n)
    np.maximum.at(best, a, sims)
    np.maximum.at(best, b, sims)
    members = np.unique(np.concatenate([a, b]))
    groups: dict[int, list[int]] = {}
    for i, label in zip(members.tolist(), labels[members].tolist(), strict=True):
        groups.setdefault(label, []).append(i)
    out = []
    for group in groups.values():
        ids = [col.docs[positions[i]].id for i in group]
        best_of = {doc_id: float(best[i]) for doc_id, i in zip(ids, group, strict=True)}
        out.append((sorted(ids), best_of))
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
    """The pairs of `exhaustive_pairs` from candidates only (see the module docstring), as
    (i, j, similarity) with i < j indexes into `positions`."""
    a, b, sims = pair_arrays(col, positions, threshold)
    return list(zip(a.tolist(), b.tolist(), sims.tolist(), strict=True))


def pair_arrays(col, positions: np.ndarray, threshold: float):
    """`candidate_pairs` as arrays (i, j, similarity), sorted by (i, j)."""
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    if len(positions) < 2:
        return empty
    dense = col.dense is not None and bool(col.has_vector[positions].all())
    lex = col.lexical_rows(positions)
    floor = (2 * threshold - 1 if dense else threshold) - FLOOR_MARGIN
    if floor <= 0:  # no pair can be ruled out lexically: all pairs
        found = list(exhaustive_pairs(col, positions, threshold))
        if not found:
            return empty
        a, b, s = (np.array(x) for x in zip(*found, strict=True))
        return a.astype(np.int64), b.astype(np.int64), s.astype(np.float64)
    a, b, bound = prefix_candidates(lex, floor)
    cosines = None
    if dense:  # (lexical + dense) / 2 ≥ t needs a lexical cosine ≥ 2t − dense
        vecs = col.dense.vectors(positions)
        cosines = np.einsum("ij,ij->i", vecs[a], vecs[b])
        keep = bound + cosines >= 2 * threshold - FLOOR_MARGIN
        a, b, cosines = a[keep], b[keep], cosines[keep]
    sims = _pair_similarities(lex, cosines, a, b)
    keep = sims >= threshold
    return a[keep], b[keep], sims[keep].astype(np.float64)


def prefix_candidates(
    rows: sp.csr_matrix, floor: float, share: float | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j, sorted) of non-negative rows whose dot product may reach `floor`, with an
    upper bound of it: every pair that reaches `floor` is among them (prefix filtering, see
    the module docstring). Each row's prefix is kept until its remaining terms are bounded by
    `share` × floor; a pair's bound is the dot product of their prefixes plus the remainder
    bound of the row whose prefix ends earlier in the global order."""
    share = PREFIX_SHARE if share is None else share
    rows = sp.csr_matrix(rows, dtype=np.float64, copy=True)
    rows.sort_indices()
    n = rows.shape[0]
    prefix, last, rest = _prefixes(rows, floor * share)
    transposed = prefix.T.tocsr()
    out_a, out_b, out_bound = [], [], []
    for start in range(0, n, BLOCK):
        shared = (prefix[start : start + BLOCK] @ transposed).tocoo()
        i, j = shared.row.astype(np.int64) + start, shared.col.astype(np.int64)
        upper = shared.data + np.where(last[i] <= last[j], rest[i], rest[j])
        keep = (j > i) & (upper >= floor)
        out_a.append(i[keep])
        out_b.append(j[keep])
        out_bound.append(upper[keep])
    a, b, bound = np.concatenate(out_a), np.concatenate(out_b), np.concatenate(out_bound)
    order = np.lexsort((b, a))
    return a[order], b[order], bound[order] + FLOOR_MARGIN


def _prefixes(rows: sp.csr_matrix, limit: float):
    """Each row's prefix, as a matrix of its weights there: its rarest terms (by document
    frequency among the rows, ties by term) up to the last one from which the row's remaining
    weights could still contribute `limit` or more to a dot product with any row of the set;
    with, per row, the global rank of its last prefix term (-1: none) and the bound of what
    follows (its norm, and its weights times each term's largest weight in the set)."""
    n, n_terms = rows.shape
    lengths = np.diff(rows.indptr)
    row_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
    df = np.bincount(rows.indices, minlength=n_terms)
    rank = np.empty(n_terms, dtype=np.int64)
    rank[np.lexsort((np.arange(n_terms), df))] = np.arange(n_terms)
    order = np.argsort(row_of * n_terms + rank[rows.indices], kind="stable")
    terms, weights = rows.indices[order], rows.data[order]
    largest = np.zeros(n_terms)
    np.maximum.at(largest, rows.indices, rows.data)
    # each entry's bound: of itself and the terms after it in its row (in the global order)
    bound = np.minimum(
        np.sqrt(_suffix_sums(weights * weights, rows.indptr)),
        _suffix_sums(weights * largest[terms], rows.indptr),
    )
    counts = np.bincount(row_of[bound >= limit], minlength=n)
    inside = np.arange(len(bound)) - np.repeat(rows.indptr[:-1], lengths) < counts[row_of]
    last = np.full(n, -1, dtype=np.int64)
    has = counts > 0
    last[has] = rank[terms[rows.indptr[:-1][has] + counts[has] - 1]]
    rest = np.zeros(n)
    follows = counts < lengths
    rest[follows] = bound[rows.indptr[:-1][follows] + counts[follows]]
    indptr = np.concatenate([[0], np.cumsum(counts)])
    prefix = sp.csr_matrix((weights[inside], terms[inside], indptr), shape=(n, n_terms))
    return prefix, last, rest


def _suffix_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """For each entry, the sum of it and the entries after it in its own row."""
    if not len(values):
        return values
    total = np.cumsum(values[::-1])[::-1]  # sums to the end of the whole array
    ends = np.repeat(indptr[1:], np.diff(indptr))
    after_row = np.append(total, 0.0)[ends]
    return np.maximum(total - after_row, 0.0)


def _pair_similarities(lex: sp.csr_matrix, cosines, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Exact similarities of the pairs (a[k], b[k]) of rows (with their dense `cosines`, when
    given), in chunks of bounded memory."""
    sims = np.empty(len(a), dtype=np.float32)
    for start in range(0, len(a), PAIR_CHUNK):
        i, j = a[start : start + PAIR_CHUNK], b[start : start + PAIR_CHUNK]
        part = np.asarray(lex[i].multiply(lex[j]).sum(axis=1)).ravel()
        if cosines is not None:
            part = (part + cosines[start : start + len(i)]) / 2
        sims[start : start + len(i)] = part
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
