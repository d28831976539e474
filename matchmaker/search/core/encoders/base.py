"""The encoder interface the rest of the search package depends on.

An encoder turns texts into L2-normalised float32 vectors. Queries and documents are
encoded separately because some models (e5) mark them differently; callers never add
model-specific prefixes themselves. `fingerprint` names the model, its weights and the
settings that change vectors: it is stored with every vector, so a change triggers
re-encoding.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np


class ModelUnavailable(RuntimeError):
    """The configured model is missing or unreadable; search falls back to lexical ranking."""


BUILD_COMMAND = "flask search model build"


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


QUANTIZE_MODES = ("auto", "int8", "fp32")


@dataclass(frozen=True)
class EncoderSettings:
    """Plain values that choose and tune an encoder (hashable: loaders cache on them).

    `model` is "multilingual-e5-small" (the model built by `flask search model build` into
    `model_dir`) or any other sentence-transformers directory or Hugging Face hub name.
    `threads` None means `default_threads()` (cores shared out between the server's worker
    processes); `max_seq_length` None means the model's own limit.
    """

    model: str = "multilingual-e5-small"
    model_dir: str | None = None
    quantize: str = "auto"
    threads: int | None = None
    batch_size: int = 16
    max_seq_length: int | None = None

    def __post_init__(self) -> None:
        if self.quantize not in QUANTIZE_MODES:
            raise ValueError(f"quantize must be one of {QUANTIZE_MODES}, not {self.quantize!r}")
        if self.batch_size < 1 or (self.threads is not None and self.threads < 1):
            raise ValueError("batch_size and threads must be positive")

    @classmethod
    def from_config(cls, config: Mapping[str, Any], instance_path: str) -> EncoderSettings:
        """Settings from the app's SEARCH_* configuration (a plain mapping, no Flask needed)."""
        model = config.get("SEARCH_MODEL") or cls.model
        model_dir = config.get("SEARCH_MODEL_DIR") or os.path.join(instance_path, "models", model)
        threads = config.get("SEARCH_THREADS")
        return cls(
            model=model,
            model_dir=str(model_dir),
            quantize=(config.get("SEARCH_QUANTIZE") or "auto").strip().lower(),
            threads=int(threads) if threads else None,
            batch_size=int(config.get("SEARCH_BATCH_SIZE") or cls.batch_size),
        )


WORKER_COUNT_VARIABLES = ("SEARCH_WORKERS", "WEB_CONCURRENCY", "GUNICORN_WORKERS")


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(environ: Mapping[str, str] | None = None) -> int:
    """How many server processes share the machine: `SEARCH_WORKERS` (set by
    gunicorn.conf.py from gunicorn's own worker count), else `WEB_CONCURRENCY` or
    `GUNICORN_WORKERS`, else 1 (a CLI command, a test, the development server)."""
    environ = os.environ if environ is None else environ
    for name in WORKER_COUNT_VARIABLES:
        value = str(environ.get(name) or "").strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
    return 1


def default_threads(environ: Mapping[str, str] | None = None, cores: int | None = None) -> int:
    """PyTorch threads per process so that workers × threads ≤ cores (at least one).

    Two workers each running as many threads as there are cores oversubscribe the machine
    as soon as anything else runs: on 2 busy cores /search went from p50 179 ms with one
    thread per worker to 0.6–2.5 s with two (issue 17)."""
    cores = cores or usable_cores()
    return max(1, cores // worker_count(environ))


@dataclass(frozen=True)
class EncodeInfo:
    """What happened to each text of one call: its token count and whether it was truncated."""

    token_counts: tuple[int, ...]
    truncated: tuple[bool, ...]
    max_tokens: int

    @property
    def any_truncated(self) -> bool:
        return any(self.truncated)
