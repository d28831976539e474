"""Vectors of long free texts, encoded once: a draft need's text is encoded when it is saved,
not each time its owner opens the page (a 4,000-character need took 1.3–2.1 s per view).

`CachedEncoder` wraps the encoder for the calls that encode one free text (near-duplicates,
classification): a text of at least `LONG_TEXT` characters is looked up in this process's
LRU, then in `search_embedding` (kind "text:doc" / "text:query", ref_id = the SHA-256 of the
text, under the model's fingerprint), and only encoded when neither has it. Only
`remember()` writes rows (from a save, in its own transaction); a page view never writes.
Shorter texts (search queries, ≤ 200 characters) encode in a few milliseconds and are kept
in the LRU only.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ..core.encoders.base import Encoder
from .models import Embedding

log = logging.getLogger(__name__)
LONG_TEXT = 300  # characters from which a text's vector is stored in the database
LRU_SIZE = 256
KINDS = {"document": "text:doc", "query": "text:query"}

_lock = threading.Lock()
_lru: OrderedDict[tuple[str, str, str], np.ndarray] = OrderedDict()


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CachedEncoder:
    """The same encoder, answering single long texts from the caches."""

    def __init__(self, encoder: Encoder) -> None:
        self.inner = encoder
        self.name = encoder.name

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def fingerprint(self) -> str:
        return self.inner.fingerprint

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "query")

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "document")

    def _encode(self, texts: Sequence[str], mode: str) -> np.ndarray:
        raw = self.inner.encode_documents if mode == "document" else self.inner.encode_queries
        if len(texts) != 1:
            return raw(texts)
        found = lookup(self.inner, texts[0], mode)
        if found is None:
            found = raw(texts)[0]
            _remember_in_process(self.inner, texts[0], mode, found)
        return found.reshape(1, -1)


def lookup(encoder: Encoder, text: str, mode: str) -> np.ndarray | None:
    key = (encoder.fingerprint, mode, text_key(text))
    with _lock:
        if key in _lru:
            _lru.move_to_end(key)
            return _lru[key]
    if len(text) < LONG_TEXT:
        return None
    row = db.session.scalar(
        select(Embedding.vector).where(
            Embedding.kind == KINDS[mode],
            Embedding.ref_id == key[2],
            Embedding.fingerprint == key[0],
        )
    )
    if row is None:
        return None
    vector = np.frombuffer(row, dtype=np.float32)
    _remember_in_process(encoder, text, mode, vector)
    return vector


def remember(encoder: Encoder, text: str, mode: str = "document") -> bool:
    """Encode a long text now and store its vector (commits); False when already stored or
    too short to be worth it."""
    if len(text) < LONG_TEXT or lookup(encoder, text, mode) is not None:
        return False
    vector = np.asarray(
        (encoder.encode_documents if mode == "document" else encoder.encode_queries)([text])[0],
        dtype=np.float32,
    )
    key = text_key(text)
    db.session.add(
        Embedding(
            kind=KINDS[mode],
            ref_id=key,
            fingerprint=encoder.fingerprint,
            text_hash=key,
            dim=len(vector),
            vector=vector.tobytes(),
        )
    )
    try:
        db.session.commit()
    except IntegrityError:  # another worker stored it first
        db.session.rollback()
    _remember_in_process(encoder, text, mode, vector)
    return True


def clear_process_cache() -> None:
    with _lock:
        _lru.clear()


def _remember_in_process(encoder: Encoder, text: str, mode: str, vector: np.ndarray) -> None:
    key = (encoder.fingerprint, mode, text_key(text))
    with _lock:
        _lru[key] = vector
        _lru.move_to_end(key)
        while len(_lru) > LRU_SIZE:
            _lru.popitem(last=False)
