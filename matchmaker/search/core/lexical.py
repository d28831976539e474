"""Lexical signal: TF-IDF over character 1–2-grams in a sparse matrix.

Character unigrams + pairs (sublinear tf, l2 rows) beat jieba words on this kind of text
(SEARCH-MODELS.md: nDCG@10 0.77 vs 0.56). One `LexicalModel` (vocabulary + idf) is shared
by both kinds so that a stored need's row can query the offerings directly.
Rows are scored through a term-major copy of the matrix: a query touches only the posting
lists of its own terms.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from .wording import fold

_PUNCT = re.compile(r"[\s，。、；：！？“”‘’（）()《》【】\[\],.;:!?\"'·…—\-/]+")
TAIL_LIMIT = 2048  # rows appended since the last compaction
# Candidate generation reads the posting lists of a query's rarest terms until this many
# postings; very common characters (long lists, low idf) are left to the exact rescoring
# of the candidates. Exact whenever the collection is small.
POSTINGS_BUDGET = 150_000
EMPTY_CORPUS = "空"  # fitted when there is nothing to index yet (a fresh deployment)


def normalise(text: str) -> str:
    """Folded (full-width, traditional characters, case: `wording.fold`), punctuation → space."""
    return _PUNCT.sub(" ", fold(text)).strip()


_PIECES = re.compile(r"[a-z0-9]+|[^a-z0-9]+")
_WHITE = re.compile(r"\s\s+")


def analyse(text: str) -> list[str]:
    """The index's terms: each run of Latin letters and digits whole (aoi, r2r, 1500, kwh);
    the rest as its characters and character pairs, spaces included (Chinese 1–2-grams, as
    sklearn's `analyzer="char"` builds them). A Latin word split into letters let any Latin
    text ("asdf qwer") match every vendor's English product name letter by letter."""
    grams: list[str] = []
    for piece in _PIECES.findall(_WHITE.sub(" ", normalise(text))):
        if piece[0].isascii() and piece[0].isalnum():
            grams.append(piece)
        else:
            grams.extend(piece)
            grams.extend(piece[i : i + 2] for i in range(len(piece) - 1))
    return grams


class LexicalModel:
    """Vocabulary and idf, fitted on a corpus; turns texts into l2-normalised rows."""

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        self.vectorizer = vectorizer

    @classmethod
    def fit(cls, texts: Sequence[str]) -> LexicalModel:
        return cls.fit_transform(texts)[0]

    @classmethod
    def fit_transform(cls, texts: Sequence[str]) -> tuple[LexicalModel, sp.csr_matrix]:
        """The model and the rows of `texts` in one pass over the corpus."""
        vectorizer = TfidfVectorizer(
            analyzer=analyse,
            sublinear_tf=True,
            dtype=np.float32,
        )
        corpus = list(texts) if any(analyse(t) for t in texts) else [EMPTY_CORPUS]
        rows = vectorizer.fit_transform(corpus).tocsr().astype(np.float32)
        return cls(vectorizer), rows[: len(texts)]

    @property
    def n_terms(self) -> int:
        return len(self.vectorizer.vocabulary_)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The same rows as the fitted vectorizer's `transform`, without its per-call
        validation overhead (milliseconds, which matter for a handful of short sentences)."""
        vocab, idf = self.vectorizer.vocabulary_, self._idf()
        indptr, indices, data = [0], [], []
        for text in texts:
            counts: dict[int, int] = {}
            for gram in analyse(text):
                col = vocab.get(gram)
                if col is not None:
                    counts[col] = counts.get(col, 0) + 1
            cols = np.fromiter(counts.keys(), dtype=np.int32, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
            weights = (1.0 + np.log(tf)) * idf[cols]
            norm = float(np.sqrt(np.dot(weights, weights)))
            order = np.argsort(cols)
            indices.append(cols[order])
            data.append(weights[order] / norm if norm > 0 else weights[order])
            indptr.append(indptr[-1] + len(cols))
        return sp.csr_matrix(
            (
                np.concatenate(data) if data else np.zeros(0, np.float32),
                np.concatenate(indices) if indices else np.zeros(0, np.int32),
                np.array(indptr),
            ),
            shape=(len(indptr) - 1, self.n_terms),
            dtype=np.float32,
        )

    def _idf(self) -> np.ndarray:
        idf = getattr(self, "_idf_cache", None)
        if idf is None:
            idf = self._idf_cache = self.vectorizer.idf_.astype(np.float32)
        return idf


class LexicalRows:
    """Rows by position, append-only; positions that die are masked by the caller."""

    def __init__(self, n_terms: int, rows: sp.csr_matrix | None = None) -> None:
        self.n_terms = n_terms
        self._main = rows if rows is not None else sp.csr_matrix((0, n_terms), dtype=np.float32)
        self._index_terms()
        self._tail = sp.csr_matrix((0, n_terms), dtype=np.float32)

    def _index_terms(self) -> None:
        self._by_term = self._main.T.tocsr()
        self._df = np.diff(self._by_term.indptr)

    def __len__(self) -> int:
        return self._main.shape[0] + self._tail.shape[0]

    def append(self, rows: sp.csr_matrix) -> None:
        self._tail = sp.vstack([self._tail, rows.tocsr()], format="csr")
        if self._tail.shape[0] > TAIL_LIMIT:
            self.compact()

    def compact(self) -> None:
        if self._tail.shape[0]:
            self._main = sp.vstack([self._main, self._tail], format="csr")
            self._index_terms()
            self._tail = sp.csr_matrix((0, self.n_terms), dtype=np.float32)

    def matrix(self) -> sp.csr_matrix:
        self.compact()
        return self._main

    def rows(self, positions) -> sp.csr_matrix:
        """Rows by position, in the given order (without compacting the tail)."""
        positions = np.asarray(positions, dtype=np.int64)
        n_main = self._main.shape[0]
        in_main = positions < n_main
        if in_main.all():
            return self._main[positions]
        parts = sp.vstack(
            [self._main[positions[in_main]], self._tail[positions[~in_main] - n_main]], "csr"
        )
        placed = np.concatenate([np.flatnonzero(in_main), np.flatnonzero(~in_main)])
        return parts[np.argsort(placed)]

    def row(self, position: int) -> sp.csr_matrix:
        return self.rows([position])

    def exact(self, query: sp.csr_matrix, positions) -> np.ndarray:
        """Exact cosine of the query with the rows at `positions`."""
        if len(positions) == 0:
            return np.zeros(0, dtype=np.float32)
        return np.asarray((self.rows(positions) @ query.T).todense()).ravel()

    def exact_many(
        self, queries: sp.csr_matrix, positions: Sequence[np.ndarray]
    ) -> list[np.ndarray]:
        """`exact` for each row of `queries` with its own `positions`, as one sparse product:
        every (query, position) pair becomes a row whose terms are shifted into its query's
        own block of columns. Bitwise the same cosines (each sums its row's terms in order)."""
        sizes = np.array([len(p) for p in positions], dtype=np.int64)
        if not sizes.sum():
            return [np.zeros(0, dtype=np.float32) for _ in positions]
        rows = self.rows(np.concatenate(positions))
        # each query's pairs are consecutive rows: shift their terms by one offset per query
        entries = np.diff(rows.indptr[np.concatenate([[0], np.cumsum(sizes)])])
        offsets = np.arange(len(sizes), dtype=np.int64) * self.n_terms
        index = np.int32 if len(sizes) * self.n_terms < 2**31 else np.int64
        shifted = rows.indices.astype(index) + np.repeat(offsets.astype(index), entries)
        width = len(sizes) * self.n_terms
        pairs = sp.csr_matrix(
            (rows.data, shifted, rows.indptr.astype(index)), shape=(int(sizes.sum()), width)
        )
        queries = queries.tocsr()
        values = np.zeros(width, dtype=np.float32)
        of_query = np.repeat(offsets, np.diff(queries.indptr))
        values[of_query + queries.indices] = queries.data
        return np.split(pairs @ values, np.cumsum(sizes)[:-1])

    def scores_many(self, queries: sp.csr_matrix, budget: int | None = None) -> np.ndarray:
        """`scores` of every row of `queries` (one row of scores each), as one sparse product
        per part (stored rows, recent tail); bitwise the same as `scores` query by query."""
        queries = queries.tocsr()
        out = np.zeros((queries.shape[0], len(self)), dtype=np.float32)
        read = self._rarest(queries, budget) if budget is not None else queries
        if read.nnz:
            n_main = self._main.shape[0]
            out[:, :n_main] = (read @ self._by_term).toarray()
            if self._tail.shape[0]:
                out[:, n_main:] = (self._tail @ read.T.tocsr()).T.toarray()
        return out

    def _rarest(self, queries: sp.csr_matrix, budget: int) -> sp.csr_matrix:
        """Each row's terms that `scores` reads under `budget`: its rarest (document frequency
        ascending, ties in row order) while their postings fit, at least one; in that order."""
        n = queries.shape[0]
        lengths = np.diff(queries.indptr)
        row_of = np.repeat(np.arange(n), lengths)
        df = self._df[queries.indices].astype(np.int64)
        order = np.lexsort((df, row_of))
        total = np.cumsum(df[order])
        starts = queries.indptr[:-1]
        before = np.concatenate([[0], total])[starts]
        within = total - np.repeat(before, lengths) <= budget
        within[starts[lengths > 0]] = True
        keep = order[within]
        indptr = np.concatenate([[0], np.cumsum(np.bincount(row_of[keep], minlength=n))])
        return sp.csr_matrix(
            (queries.data[keep], queries.indices[keep], indptr), shape=queries.shape
        )

    def scores(self, query: sp.csr_matrix, budget: int | None = None) -> np.ndarray:
        """Cosine with every stored row (by position); with a postings `budget`, only the
        query's rarest terms count (a cheap lower bound for candidate generation)."""
        out = np.zeros(len(self), dtype=np.float32)
        q = query.tocsr()
        cols, vals = q.indices, q.data
        if budget is not None and len(cols):
            order = np.argsort(self._df[cols], kind="stable")
            within = np.cumsum(self._df[cols][order]) <= budget
            within[0] = True
            keep = order[within]
            cols, vals = cols[keep], vals[keep]
        if len(cols):
            out[: self._main.shape[0]] = self._by_term[cols].T @ vals
            if self._tail.shape[0]:
                out[self._main.shape[0] :] = self._tail[:, cols] @ vals
        return out


def similarities(query: str, texts: Sequence[str]) -> list[float]:
    """Cosine similarity of `query` to each of `texts` under a TF-IDF model fitted on them
    (character 1–2-grams, as the index): for small ad-hoc collections (a pool of experts)."""
    if not texts:
        return []
    model, rows = LexicalModel.fit_transform([*texts, query])
    scores = rows[: len(texts)] @ rows[len(texts)].T
    return [float(value) for value in scores.toarray().ravel()]
