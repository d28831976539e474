"""A deterministic tiny encoder for fast unit tests: hashed character uni- and bigrams.

It implements the `Encoder` protocol (including `return_info`) without any model, so code that
only needs "some encoder" runs in microseconds. Texts sharing characters get similar vectors.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from matchmaker.search.core.encoders.base import EncodeInfo


class TinyEncoder:
    name = "tiny-char-bigram"

    def __init__(self, dim: int = 64, max_tokens: int = 512) -> None:
        self._dim = dim
        self.max_tokens = max_tokens
        self.last_info: EncodeInfo | None = None

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def fingerprint(self) -> str:
        return f"{self.name}/{self._dim}"

    def encode_queries(self, texts: Sequence[str], *, return_info: bool = False):
        return self._encode(texts, return_info)

    def encode_documents(self, texts: Sequence[str], *, return_info: bool = False):
        return self._encode(texts, return_info)

    def _encode(self, texts: Sequence[str], return_info: bool):
        grams = [self._grams(text or "") for text in texts]
        counts = tuple(len(g) for g in grams)
        self.last_info = EncodeInfo(
            counts, tuple(n > self.max_tokens for n in counts), self.max_tokens
        )
        out = np.zeros((len(grams), self._dim), dtype=np.float32)
        for row, text_grams in enumerate(grams):
            for gram in text_grams[: self.max_tokens] or ["\0"]:
                digest = hashlib.blake2b(gram.encode("utf-8", "replace"), digest_size=8).digest()
                index = int.from_bytes(digest[:4], "little") % self._dim
                out[row, index] += 1.0 if digest[4] & 1 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        out[norms[:, 0] == 0, 0] = 1.0
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        return (out, self.last_info) if return_info else out

    @staticmethod
    def _grams(text: str) -> list[str]:
        chars = [c for c in text if not c.isspace()]
        return chars + [a + b for a, b in zip(chars, chars[1:], strict=False)]


class CountingEncoder(TinyEncoder):
    """Counts encoded documents (to check that unchanged texts are not re-encoded)."""

    def __init__(self, dim: int = 64) -> None:
        super().__init__(dim)
        self.encoded = 0

    def encode_documents(self, texts: Sequence[str], *, return_info: bool = False):
        self.encoded += len(texts)
        return super().encode_documents(texts, return_info=return_info)
