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

_PUNCT = re.compile(r"[\s，。、；：！？“”‘’（）()《》【】\[\],.;:!?\"'·…—\-/]+")
TAIL_LIMIT = 2048  # rows appended since the last compaction


def normalise(text: str) -> str:
    return _PUNCT.sub(" ", text.lower()).strip()


class LexicalModel:
    """Vocabulary and idf, fitted on a corpus; turns texts into l2-normalised rows."""

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        self.vectorizer = vectorizer

    @classmethod
    def fit(cls, texts: Sequence[str]) -> LexicalModel:
        vectorizer = TfidfVectorizer(
            analyzer="char",
            ngram_range=(1, 2),
            sublinear_tf=True,
            preprocessor=normalise,
            dtype=np.float32,
        )
        vectorizer.fit(list(texts) or [" "])
        return cls(vectorizer)

    @property
    def n_terms(self) -> int:
        return len(self.vectorizer.vocabulary_)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        if not texts:
            return sp.csr_matrix((0, self.n_terms), dtype=np.float32)
        return self.vectorizer.transform(list(texts)).tocsr().astype(np.float32)


class LexicalRows:
    """Rows by position, append-only; positions that die are masked by the caller."""

    def __init__(self, n_terms: int, rows: sp.csr_matrix | None = None) -> None:
        self.n_terms = n_terms
        self._main = rows if rows is not None else sp.csr_matrix((0, n_terms), dtype=np.float32)
        self._by_term = self._main.T.tocsr()
        self._tail: list[sp.csr_matrix] = []
        self._tail_rows = 0

    def __len__(self) -> int:
        return self._main.shape[0] + self._tail_rows

    def append(self, rows: sp.csr_matrix) -> None:
        self._tail.append(rows.tocsr())
        self._tail_rows += rows.shape[0]
        if self._tail_rows > TAIL_LIMIT:
            self.compact()

    def compact(self) -> None:
        if self._tail:
            self._main = sp.vstack([self._main, *self._tail], format="csr")
            self._by_term = self._main.T.tocsr()
            self._tail, self._tail_rows = [], 0

    def matrix(self) -> sp.csr_matrix:
        self.compact()
        return self._main

    def row(self, position: int) -> sp.csr_matrix:
        return self.matrix()[position]

    def scores(self, query: sp.csr_matrix) -> np.ndarray:
        """Cosine of the query row with every stored row, as a dense vector by position."""
        out = np.zeros(len(self), dtype=np.float32)
        q = query.tocsr()
        if q.nnz:
            postings = self._by_term[q.indices]
            out[: self._main.shape[0]] = postings.T @ q.data
            start = self._main.shape[0]
            for block in self._tail:
                out[start : start + block.shape[0]] = block[:, q.indices] @ q.data
                start += block.shape[0]
        return out
