"""A deterministic tiny encoder for tests: hashed character bigrams, unit length.

Implements the `Encoder` protocol; tests only, never the product.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from matchmaker.search.lexical import normalise


class TinyEncoder:
    name = "tiny-hashed-bigrams"

    def __init__(self, dim: int = 64) -> None:
        self._dim = dim

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def fingerprint(self) -> str:
        return f"tiny-bigram-{self._dim}"

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            t = normalise(text).replace(" ", "")
            for i in range(max(1, len(t) - 1)):
                gram = t[i : i + 2].encode("utf-8")
                out[row, int(hashlib.md5(gram).hexdigest(), 16) % self._dim] += 1.0
            out[row] /= max(float(np.linalg.norm(out[row])), 1e-9)
        return out

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)


class CountingEncoder(TinyEncoder):
    """Counts encoded documents (to check that unchanged texts are not re-encoded)."""

    def __init__(self, dim: int = 64) -> None:
        super().__init__(dim)
        self.encoded = 0

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded += len(texts)
        return super().encode_documents(texts)
