"""The index on disk: one directory per saved version, named by a sidecar replaced atomically.

`save_snapshot` writes the FAISS indexes and a pickle of everything else (documents,
taxonomy codes, lexical model and rows, classifier) into a fresh directory, then replaces
`current.json` (model fingerprint, dim, count, version, directory) with `os.replace`. A
reader that finds the sidecar always finds a complete directory. Old directories are removed.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import tempfile

from .engine import SearchEngine
from .index import DenseIndex
from .lexical import analyse

SIDECAR = "current.json"
KEEP = 2  # snapshot directories kept (the current one and the one before)


def read_sidecar(index_dir: str) -> dict | None:
    try:
        with open(os.path.join(index_dir, SIDECAR), encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def save_snapshot(engine: SearchEngine, index_dir: str, version: int, fingerprint: str) -> dict:
    os.makedirs(index_dir, exist_ok=True)
    target = tempfile.mkdtemp(prefix=f"snap-{version:012d}-", dir=index_dir)
    dense = {}
    for kind, col in engine.collections.items():
        if col.dense is not None:
            col.dense.save(os.path.join(target, f"{kind}.faiss"))
        dense[kind], col.dense = col.dense, None
        col.lexical.compact()
    try:
        with open(os.path.join(target, "engine.pkl"), "wb") as fh:
            pickle.dump(engine, fh, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        for kind, col in engine.collections.items():
            col.dense = dense[kind]
    meta = {
        "dir": os.path.basename(target),
        "model": fingerprint,
        "dim": next((c.dim for c in engine.collections.values() if c.dim), None),
        "count": {kind: len(col) for kind, col in engine.collections.items()},
        "version": version,
    }
    _write_json_atomic(os.path.join(index_dir, SIDECAR), meta)
    _prune(index_dir, keep=meta["dir"])
    return meta


def load_snapshot(index_dir: str, meta: dict) -> SearchEngine:
    path = os.path.join(index_dir, meta["dir"])
    with open(os.path.join(path, "engine.pkl"), "rb") as fh:
        engine: SearchEngine = pickle.load(fh)  # noqa: S301 (our own cache file)
    if getattr(engine.lexical.vectorizer, "analyzer", None) is not analyse:
        # saved before the index's terms changed (Latin words whole): its vocabulary would
        # not match the terms of new texts; the holder rebuilds from the stored vectors
        raise ValueError("search index snapshot has lexical terms of an older version")
    for kind, col in engine.collections.items():
        faiss_path = os.path.join(path, f"{kind}.faiss")
        col.dense = DenseIndex.load(faiss_path) if os.path.exists(faiss_path) else None
    return engine


def _write_json_atomic(path: str, data: dict) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".sidecar-", dir=os.path.dirname(path))
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _prune(index_dir: str, keep: str) -> None:
    snaps = sorted(d for d in os.listdir(index_dir) if d.startswith("snap-"))
    old = [d for d in snaps if d != keep][: max(0, len(snaps) - KEEP)]
    for name in old:
        shutil.rmtree(os.path.join(index_dir, name), ignore_errors=True)
