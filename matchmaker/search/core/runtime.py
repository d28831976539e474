"""The one way to get the encoder: `get_encoder(config)`, cached per process.

`config` is any mapping (a Flask config works). `SEARCH_ENCODER_FACTORY`, when set, is a
callable `config -> Encoder` (tests inject a tiny deterministic encoder this way); otherwise
the encoders package's `load_encoder(config)` builds the configured model. Until that
exists, or when the model is missing, this raises `ModelUnavailable` and search falls back
to lexical + taxonomy ranking.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Mapping

from .encoders.base import Encoder, ModelUnavailable

_lock = threading.Lock()
_cache: dict[tuple, Encoder | ModelUnavailable] = {}


def get_encoder(config: Mapping) -> Encoder:
    key = (
        id(config.get("SEARCH_ENCODER_FACTORY")),
        config.get("SEARCH_MODEL"),
        config.get("SEARCH_MODEL_DIR"),
    )
    with _lock:
        if key not in _cache:
            try:
                _cache[key] = _build(config)
            except ModelUnavailable as exc:
                _cache[key] = exc
        found = _cache[key]
    if isinstance(found, ModelUnavailable):
        raise found
    return found


def encoder_or_none(config: Mapping) -> Encoder | None:
    try:
        return get_encoder(config)
    except ModelUnavailable:
        return None


def reset_encoder_cache() -> None:
    with _lock:
        _cache.clear()


def _build(config: Mapping) -> Encoder:
    factory = config.get("SEARCH_ENCODER_FACTORY")
    if factory is not None:
        return factory(config)
    try:
        module = importlib.import_module("matchmaker.search.core.encoders.loader")
    except ImportError as exc:
        raise ModelUnavailable("no encoder loader is installed") from exc
    return module.load_encoder(config)


def limit_blas_threads(threads: int = 1) -> None:
    """One BLAS thread per process for query-time products.

    A single query's matrix-vector product is far too small to share between threads: on
    2 busy cores, multi-threaded OpenBLAS made a 10,000 × 384 product 7–16 ms instead of
    1 ms. Gunicorn runs one worker per core, so each keeps to one thread. The encoder's own
    thread setting (SEARCH_THREADS, for PyTorch) is not affected.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads, user_api="blas")
