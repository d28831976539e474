"""One kind's searchable documents: metadata by position, dense and lexical rows, filter columns.

Positions only grow: an upsert appends a new position and kills the old one, a removal kills
it. Dead positions are excluded inside every search (bitmaps) and dropped by the next
rebuild. Nothing here knows of Flask or of the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .documents import Document, Filters
from .index import HNSW_THRESHOLD, DenseIndex
from .lexical import LexicalModel, LexicalRows


@dataclass(frozen=True)
class TaxCodes:
    """Effective taxonomy codes of a document: its own, or the classifier's where it had none."""

    industry: str | None = None
    category: str | None = None
    template: str | None = None
    inferred: frozenset[str] = frozenset()  # levels supplied by the classifier


class Collection:
    def __init__(self, kind: str, lexical: LexicalModel, dim: int | None) -> None:
        self.kind = kind
        self.lexical_model = lexical
        self.dim = dim
        self.docs: list[Document] = []
        self.taxonomy: list[TaxCodes] = []
        self.positions: dict[str, int] = {}
        self._alive = np.zeros(0, dtype=bool)
        self._has_vector = np.zeros(0, dtype=bool)
        self.dense = DenseIndex(dim) if dim else None
        self.lexical = LexicalRows(lexical.n_terms)
        self._columns: dict[str, np.ndarray] | None = None

    @classmethod
    def build(
        cls,
        kind: str,
        lexical: LexicalModel,
        docs: Sequence[Document],
        vectors: np.ndarray | None,
        taxonomy: Sequence[TaxCodes],
        lex_rows: sp.csr_matrix | None = None,
        hnsw_threshold: int = HNSW_THRESHOLD,
        dense: DenseIndex | None = None,
    ) -> Collection:
        """A fresh collection; `vectors` rows align with `docs` (NaN rows: no vector);
        `dense`, when given, is their index built already (see `build_dense`)."""
        dim = vectors.shape[1] if vectors is not None else None
        col = cls(kind, lexical, dim)
        if vectors is not None:
            has = ~np.isnan(vectors[:, 0])
            col.dense = dense or build_dense(vectors, hnsw_threshold)
        col._append(docs, taxonomy, lex_rows)
        if vectors is not None:
            col._has_vector[: len(docs)] = has
        return col

    def __len__(self) -> int:
        return int(self._alive.sum())

    @property
    def alive(self) -> np.ndarray:
        return self._alive

    @property
    def has_vector(self) -> np.ndarray:
        return self._has_vector

    def position(self, doc_id: str) -> int | None:
        return self.positions.get(str(doc_id))

    def upsert(
        self,
        docs: Sequence[Document],
        vectors: np.ndarray | None,
        taxonomy: Sequence[TaxCodes],
        lex_rows: sp.csr_matrix | None = None,
    ) -> None:
        self.remove([d.id for d in docs])
        start = len(self.docs)
        self._append(docs, taxonomy, lex_rows)
        if vectors is not None and self.dense is not None and len(docs):
            has = ~np.isnan(vectors[:, 0])
            self.dense.add(vectors[has], start + np.flatnonzero(has))
            self._has_vector[start:] = has

    def remove(self, ids: Sequence[str]) -> None:
        for doc_id in ids:
            pos = self.positions.pop(str(doc_id), None)
            if pos is not None:
                self._alive[pos] = False

    def _append(self, docs, taxonomy, lex_rows: sp.csr_matrix | None) -> None:
        start = len(self.docs)
        self.docs.extend(docs)
        self.taxonomy.extend(taxonomy)
        for i, doc in enumerate(docs):
            self.positions[doc.id] = start + i
        grow = np.ones(len(docs), dtype=bool)
        self._alive = np.concatenate([self._alive, grow])
        self._has_vector = np.concatenate([self._has_vector, np.zeros(len(docs), bool)])
        if docs:
            if lex_rows is None:
                lex_rows = self.lexical_model.transform([d.full_text for d in docs])
            self.lexical.append(lex_rows)
        self._columns = None

    def lexical_rows(self, positions: Sequence[int]) -> sp.csr_matrix:
        return self.lexical.rows(positions)

    def columns(self) -> dict[str, np.ndarray]:
        """Filter and taxonomy columns as arrays (cached until the next change)."""
        if self._columns is None:
            self._columns = _columns(self.docs, self.taxonomy)
        return self._columns

    def allowed(self, filters: Filters | None) -> np.ndarray:
        """Bool mask by position: alive and accepted by the hard filters."""
        mask = self._alive.copy()
        if filters is None:
            return mask
        c = self.columns()
        if filters.statuses is not None:
            mask &= np.isin(c["status"], list(filters.statuses))
        mask &= _passes(c["industry"], filters.industries)
        mask &= _passes(c["town"], filters.towns)
        budget = c["budget"]
        if filters.max_budget is not None:
            mask &= np.isnan(budget) | (budget <= filters.max_budget)
        if filters.min_budget is not None:
            mask &= np.isnan(budget) | (budget >= filters.min_budget)
        if filters.deployment:
            wanted = filters.deployment
            mask &= np.fromiter((not d or bool(d & wanted) for d in c["deployment"]), bool)
        return mask


def build_dense(vectors: np.ndarray, hnsw_threshold: int = HNSW_THRESHOLD) -> DenseIndex:
    """The dense index of a collection's rows (NaN rows: no vector), ids = positions."""
    has = ~np.isnan(vectors[:, 0])
    return DenseIndex.build(vectors[has], np.flatnonzero(has), hnsw_threshold)


def _passes(column: np.ndarray, allowed: frozenset[str] | None) -> np.ndarray:
    if allowed is None:
        return np.ones(len(column), dtype=bool)
    return (column == "") | np.isin(column, list(allowed))


def _columns(docs: Sequence[Document], taxonomy: Sequence[TaxCodes]) -> dict[str, np.ndarray]:
    def obj(values) -> np.ndarray:
        out = np.empty(len(docs), dtype=object)
        out[:] = list(values)
        return out

    def text(values) -> np.ndarray:
        return np.array([v or "" for v in values], dtype=str)

    return {
        "status": text(d.status for d in docs),
        "industry": text(d.industry for d in docs),
        "town": text(d.town for d in docs),
        "budget": np.array([np.nan if d.budget is None else d.budget for d in docs], float),
        "deployment": obj(d.deployment for d in docs),
        "tax_industry": obj(t.industry for t in taxonomy),
        "tax_category": obj(t.category for t in taxonomy),
        "tax_template": obj(t.template for t in taxonomy),
    }
