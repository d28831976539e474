"""The encoder interface the rest of the search package depends on.

An encoder turns texts into L2-normalised float32 vectors. Queries and documents are
encoded separately because some models (e5) mark them differently; callers never add
model-specific prefixes themselves. `fingerprint` names the model, its weights and the
settings that change vectors: it is stored with every vector, so a change triggers
re-encoding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


class ModelUnavailable(RuntimeError):
    """The configured model is missing or unreadable; search falls back to lexical ranking."""


@runtime_checkable
class Encoder(Protocol):
    name: str

    @property
    def dim(self) -> int: ...

    @property
    def fingerprint(self) -> str: ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Shape (len(texts), dim), float32, each row of unit length."""
        ...

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Shape (len(texts), dim), float32, each row of unit length."""
        ...
