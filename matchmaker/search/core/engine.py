"""The in-memory matching engine: both kinds' collections, the lexical model, the classifier.

Pure: no Flask, no database. `SearchEngine.build` makes one from documents and their stored
vectors (the DB-backed holder and the evaluation both use it); `rank` is the one hybrid
ranking path that matching, free-text search and evaluation share.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from . import confidence
from . import profile as template_profile
from .classify import TemplateClassifier
from .collection import Collection, TaxCodes, build_dense
from .documents import KINDS, Document, Filters, Template
from .encoders.base import Encoder
from .index import HNSW_THRESHOLD
from .lexical import POSTINGS_BUDGET, LexicalModel
from .ranking import DEFAULT_WEIGHTS, FALLBACK_WEIGHTS, Weights, fuse, taxonomy_scores
from .wording import query_text, strip_noise

CANDIDATES = 200  # per component, before fusion
RANK_BLOCK = 128  # queries whose sparse products `rank_many` computes together
log = logging.getLogger(__name__)
_missing_calibration: set[str] = set()


@dataclass
class Ranked:
    positions: np.ndarray
    fused: np.ndarray
    components: dict[str, np.ndarray]
    dense_used: bool
    # Calibrated probability that each result is relevant (None without a calibration file)
    probability: np.ndarray | None = None


@dataclass
class Query:
    vector: np.ndarray | None
    lexical: sp.csr_matrix
    taxonomy: TaxCodes
    mode: str = "text"  # "text": encoded as a query; "stored": a stored passage vector


class SearchEngine:
    # Class-level defaults: engines unpickled from older snapshots lack these attributes.
    encoder_id: str | None = None  # fingerprint of the encoder behind the stored vectors
    calibration_path: str | None = confidence.DEFAULT_PATH

    def __init__(
        self,
        lexical: LexicalModel,
        collections: dict[str, Collection],
        classifier: TemplateClassifier,
        weights: Weights = DEFAULT_WEIGHTS,
        fallback: Weights = FALLBACK_WEIGHTS,
    ) -> None:
        self.lexical = lexical
        self.collections = collections
        self.classifier = classifier
        self.weights = weights
        self.fallback = fallback
        self.candidates = CANDIDATES

    @classmethod
    def build(
        cls,
        docs: Sequence[Document],
        vectors: Mapping[tuple[str, str], np.ndarray] | None,
        templates: Sequence[Template] = (),
        encoder: Encoder | None = None,
        dim: int | None = None,
        hnsw_threshold: int = HNSW_THRESHOLD,
        **kwargs,
    ) -> SearchEngine:
        """A fresh engine; `vectors` by (kind, id) (missing keys: no vector for that doc).

        The FAISS indexes are built in threads (FAISS releases the GIL) while the lexical
        model is fitted, which shortens a full rebuild."""
        dim = dim or (encoder.dim if encoder is not None else None)
        groups = {kind: [d for d in docs if d.kind == kind] for kind in KINDS}
        vecs = {kind: stack_vectors(group, vectors, dim) for kind, group in groups.items()}
        with ThreadPoolExecutor(max_workers=len(KINDS)) as pool:
            dense = {
                kind: pool.submit(build_dense, v, hnsw_threshold)
                for kind, v in vecs.items()
                if v is not None
            }
            texts = [d.full_text for kind in KINDS for d in groups[kind]]
            lexical, all_rows = LexicalModel.fit_transform(texts + [t.full_text for t in templates])
            classifier = TemplateClassifier(templates, lexical, encoder)
            collections, start = {}, 0
            for kind, group in groups.items():
                rows, start = all_rows[start : start + len(group)], start + len(group)
                taxonomy = classifier.infer_many(group, rows, vecs[kind])
                collections[kind] = Collection.build(
                    kind, lexical, group, vecs[kind], taxonomy, rows, hnsw_threshold,
                    dense[kind].result() if kind in dense else None,
                )  # fmt: skip
        engine = cls(lexical, collections, classifier, **kwargs)
        engine.encoder_id = encoder.fingerprint if encoder is not None else None
        return engine

    @property
    def calibration(self) -> confidence.Calibration | None:
        path = self.calibration_path
        if not path:
            return None
        try:
            return confidence.load(path)
        except (OSError, ValueError, KeyError) as exc:
            if path not in _missing_calibration:
                _missing_calibration.add(path)
                log.warning("no usable match calibration (%s): scores are not calibrated", exc)
            return None

    def upsert(self, docs: Sequence[Document], vectors: Mapping | None) -> None:
        for kind in KINDS:
            group = [d for d in docs if d.kind == kind]
            if group:
                col = self.collections[kind]
                rows = self.lexical.transform([d.full_text for d in group])
                vecs = stack_vectors(group, vectors, col.dim)
                taxonomy = self.classifier.infer_many(group, rows, vecs)
                col.upsert(group, vecs, taxonomy, rows)

    def remove(self, kind: str, ids: Sequence[str]) -> None:
        self.collections[kind].remove([str(i) for i in ids])

    def stored_query(self, kind: str, doc_id: str) -> tuple[Document, Query] | None:
        """The query for a stored document: its vector, lexical row and codes (no encoding)."""
        col = self.collections[kind]
        pos = col.position(doc_id)
        if pos is None:
            return None
        vector = None
        if col.dense is not None and col.has_vector[pos]:
            vector = col.dense.vectors(np.array([pos]))[0]
        return col.docs[pos], Query(vector, col.lexical.row(pos), col.taxonomy[pos], mode="stored")

    def stored_queries(
        self, kind: str, doc_ids: Sequence[str]
    ) -> tuple[list[str], list[Query], sp.csr_matrix]:
        """`stored_query` for many documents at once: the ids that are indexed, their queries
        and their lexical rows stacked (one row lookup and one vector lookup for all)."""
        col = self.collections[kind]
        found = [(str(i), col.position(str(i))) for i in doc_ids]
        ids = [i for i, pos in found if pos is not None]
        positions = np.array([pos for _, pos in found if pos is not None], dtype=np.int64)
        rows = col.lexical.rows(positions)
        vectors: list[np.ndarray | None] = [None] * len(ids)
        if col.dense is not None and len(positions):
            has = np.flatnonzero(col.has_vector[positions])
            for i, vector in zip(has, col.dense.vectors(positions[has]), strict=True):
                vectors[i] = vector
        queries = [
            Query(vectors[i], _row(rows, i), col.taxonomy[pos], mode="stored")
            for i, pos in enumerate(positions)
        ]
        return ids, queries, rows

    def text_query(self, text: str, encoder: Encoder | None, as_document: bool = False) -> Query:
        """The query for free text; `as_document` encodes it as a passage (for duplicates).

        Free text is first brought to the index's wording (`wording.query_text`: contact
        noise removed, traditional and full-width forms folded, glossary terms expanded); a
        text compared as a document only loses its contact noise."""
        text = strip_noise(text) if as_document else query_text(text)
        rows = self.lexical.transform([text])
        vector = None
        if encoder is not None:
            encode = encoder.encode_documents if as_document else encoder.encode_queries
            vector = encode([text])[0]
        probe = Document(kind="need", id="", title="", text=text)
        vecs = None if vector is None else vector.reshape(1, -1)
        taxonomy = self.classifier.infer_many([probe], rows, vecs)[0]
        return Query(vector, rows, taxonomy, mode="stored" if as_document else "text")

    def rank(self, kind: str, query: Query, filters: Filters | None, k: int) -> Ranked:
        """Hybrid ranking of `kind` documents; hard filters act inside candidate generation."""
        col = self.collections[kind]
        allowed = col.allowed(filters)
        dense_used = query.vector is not None and col.dense is not None and col.dense.ntotal > 0
        dense_ids = None
        if dense_used:
            _, dense_ids = col.dense.search(query.vector, self.candidates, allowed & col.has_vector)
        return self._rank(col, query, allowed, k, dense_ids)

    def rank_many(
        self,
        kind: str,
        queries: Sequence[Query],
        filters: Filters | None,
        k: int,
        rows: sp.csr_matrix | None = None,
    ) -> list[Ranked]:
        """`rank` for many queries at once (e.g. every published need against the offerings),
        with the same results: the filter mask is built once, the dense candidates come from
        one batched index search, and per block of queries the lexical candidate scores and
        the exact lexical cosines of every (query, candidate) pair are one sparse product
        each; only the small per-query steps (fusion, calibration, order) run query by query.
        `rows`: the queries' lexical rows already stacked (`stored_queries` gives them)."""
        col = self.collections[kind]
        allowed = col.allowed(filters)
        usable = col.dense is not None and col.dense.ntotal > 0
        with_vector = [i for i, q in enumerate(queries) if usable and q.vector is not None]
        dense_ids: dict[int, np.ndarray] = {}
        if with_vector:
            matrix = np.stack([queries[i].vector for i in with_vector])
            hits = col.dense.search_many(matrix, self.candidates, allowed & col.has_vector)
            dense_ids = {i: ids for i, (_, ids) in zip(with_vector, hits, strict=True)}
        out: list[Ranked] = []
        for start in range(0, len(queries), RANK_BLOCK):
            block = list(queries[start : start + RANK_BLOCK])
            if rows is None:
                stacked = sp.vstack([q.lexical for q in block], format="csr")
            else:
                stacked = rows[start : start + RANK_BLOCK]
            lex_all = col.lexical.scores_many(stacked, budget=POSTINGS_BUDGET)
            cands = [
                self._candidates(lex_all[i], allowed, dense_ids.get(start + i))
                for i in range(len(block))
            ]
            lexical = col.lexical.exact_many(stacked, cands)
            out.extend(
                self._score(col, query, k, cands[i], lexical[i], start + i in dense_ids)
                for i, query in enumerate(block)
            )
        return out

    def _rank(
        self,
        col: Collection,
        query: Query,
        allowed: np.ndarray,
        k: int,
        dense_ids: np.ndarray | None,
    ) -> Ranked:
        lex_all = col.lexical.scores(query.lexical, budget=POSTINGS_BUDGET)
        cands = self._candidates(lex_all, allowed, dense_ids)
        lexical = col.lexical.exact(query.lexical, cands)
        return self._score(col, query, k, cands, lexical, dense_ids is not None)

    def _candidates(
        self, lex_all: np.ndarray, allowed: np.ndarray, dense_ids: np.ndarray | None
    ) -> np.ndarray:
        """Positions to score: the best allowed by the lexical lower bound, and the dense ones."""
        cands = _top(np.where(allowed, lex_all, -np.inf), self.candidates)
        return cands if dense_ids is None else np.union1d(cands, dense_ids)

    def _score(
        self,
        col: Collection,
        query: Query,
        k: int,
        cands: np.ndarray,
        lexical: np.ndarray,
        dense_used: bool,
    ) -> Ranked:
        """The top `k` of the candidates by fused (or calibrated) score; `lexical`: their
        exact lexical cosines."""
        components = {"lexical": lexical}
        if dense_used:
            components["dense"] = self._dense_scores(col, query.vector, cands)
            if self.classifier.vectors is not None:
                components["profile"] = self._profile_scores(col, query.vector, cands)
        components["taxonomy"] = taxonomy_scores(query.taxonomy, col.columns(), cands)
        fused = fuse(components, self.weights if dense_used else self.fallback)
        probability = None
        calibration = self.calibration
        if calibration is not None and len(cands):
            # over every candidate: the normalised features need the whole candidate set.
            # Ranked by the probability (ties by the fused score): on the judged sets it
            # ranks as well as the fused score (README "Matching quality") and keeps the
            # shown percentages in order.
            probability = calibration.probabilities(
                components, query.mode, self.encoder_id, dense_used
            )
            order = np.lexsort((-fused, -probability))[:k]
            probability = probability[order]
        else:
            order = np.argsort(-fused, kind="stable")[:k]
        return Ranked(
            positions=cands[order],
            fused=fused[order],
            components={name: values[order] for name, values in components.items()},
            dense_used=dense_used,
            probability=probability,
        )

    @staticmethod
    def _dense_scores(col: Collection, vector: np.ndarray, cands: np.ndarray) -> np.ndarray:
        scores = np.zeros(len(cands), dtype=np.float32)
        has = col.has_vector[cands]
        if has.any():
            scores[has] = col.dense.vectors(cands[has]) @ vector
        return scores

    def _profile_scores(self, col: Collection, vector: np.ndarray, cands: np.ndarray):
        """The template-space profile of the query against each candidate (`profile.py`)."""
        vecs = np.full((len(cands), len(vector)), np.nan, dtype=np.float32)
        has = col.has_vector[cands]
        if has.any():
            vecs[has] = col.dense.vectors(cands[has])
        return template_profile.scores(vector, vecs, self.classifier.vectors)


def stack_vectors(docs: Sequence[Document], vectors: Mapping | None, dim: int | None):
    """Rows aligned with `docs`; NaN rows where a document has no vector."""
    if vectors is None or not dim:
        return None
    out = np.full((len(docs), dim), np.nan, dtype=np.float32)
    for i, doc in enumerate(docs):
        vec = vectors.get(doc.key)
        if vec is not None:
            out[i] = vec
    return out


def _row(rows: sp.csr_matrix, i: int) -> sp.csr_matrix:
    """Row `i` of a CSR matrix as a 1-row matrix sharing its arrays (no fancy indexing)."""
    start, end = rows.indptr[i], rows.indptr[i + 1]
    return sp.csr_matrix(
        (rows.data[start:end], rows.indices[start:end], np.array([0, end - start])),
        shape=(1, rows.shape[1]),
    )


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    finite = np.flatnonzero(np.isfinite(scores))
    if len(finite) <= n:
        return finite
    part = np.argpartition(-scores[finite], n)[:n]
    return np.sort(finite[part])
