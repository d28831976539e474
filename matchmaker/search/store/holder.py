"""Each process's copy of the index, kept in step with the database.

`ensure_fresh()` runs before every search: one `SELECT version`. When the version moved,
the holder applies the rows changed since its own version (their stored vectors; nothing is
encoded) — cheap, and correct even when the writer died before saving the snapshot. On
first use it loads the snapshot from disk and catches up the same way; with no usable
snapshot (none yet, other model, unreadable) it rebuilds from the stored vectors under a
file lock, so one worker builds and the others load its result.
"""

from __future__ import annotations

import fcntl
import logging
import os
import pickle
import threading
from collections.abc import Callable, Sequence

from ..core.documents import Document, Template
from ..core.encoders.base import Encoder
from ..core.engine import SearchEngine
from ..core.index import HNSW_THRESHOLD
from ..core.snapshot import load_snapshot, read_sidecar, save_snapshot
from . import store

log = logging.getLogger(__name__)
NO_MODEL = "none"


class IndexHolder:
    def __init__(
        self,
        index_dir: str,
        encoder: Callable[[], Encoder | None],
        templates: Callable[[], Sequence[Template]] = list,
        hnsw_threshold: int = HNSW_THRESHOLD,
        snapshot_lag: int = 1000,
    ) -> None:
        self.index_dir = index_dir
        self._encoder = encoder
        self._templates = templates
        self.hnsw_threshold = hnsw_threshold
        self.snapshot_lag = snapshot_lag  # changes applied since the snapshot before re-saving
        self.engine: SearchEngine | None = None
        self.version = -1
        self.saved_version = -1
        self.loaded_dir: str | None = None
        self.stale = False  # too many pending changes to apply inside a request
        self._lock = threading.RLock()
        self._flock = _FileLock(index_dir)

    def _file_lock(self) -> _FileLock:
        return self._flock

    @property
    def encoder(self) -> Encoder | None:
        return self._encoder()

    @property
    def fingerprint(self) -> str:
        enc = self.encoder
        return enc.fingerprint if enc is not None else NO_MODEL

    def ensure_fresh(self) -> SearchEngine:
        db_version = store.current_version()
        with self._lock:
            if self.engine is None:
                self._start()
                self._catch_up(limit=None)
            elif db_version != self.version and not self._load_newer(db_version):
                self._catch_up(limit=self.snapshot_lag)
            return self.engine

    def _load_newer(self, db_version: int) -> bool:
        """Load a saved snapshot that is at least as new as the database (after a rebuild)."""
        meta = read_sidecar(self.index_dir)
        if meta is None or meta.get("dir") == self.loaded_dir or meta["version"] < db_version:
            return False
        return self._load_current()

    def _start(self) -> None:
        if self._load_current():
            return
        with self._file_lock():
            if not self._load_current():  # another worker may have built it meanwhile
                self.rebuild()

    def _load_current(self) -> bool:
        meta = read_sidecar(self.index_dir)
        if meta is None or meta.get("model") != self.fingerprint:
            return False
        try:
            engine = load_snapshot(self.index_dir, meta)
        except (OSError, EOFError, ValueError, RuntimeError, pickle.UnpicklingError) as exc:
            log.warning("search index snapshot unreadable, rebuilding: %s", exc)
            return False
        classifier = engine.classifier
        if self.encoder is not None and classifier.templates and classifier.vectors is None:
            # saved before the template-space profile: without the template vectors the
            # calibrated probabilities would miss a component (README "Matching quality")
            log.warning("search index snapshot has no template vectors, rebuilding")
            return False
        self.engine = engine
        self.version = self.saved_version = int(meta["version"])
        self.loaded_dir, self.stale = meta["dir"], False
        return True

    def _catch_up(self, limit: int | None) -> None:
        """Apply rows changed since our version; beyond `limit` rows, wait for a snapshot."""
        rows = store.rows_since(self.version, limit=None if limit is None else limit + 1)
        if limit is not None and len(rows) > limit:
            self.stale = True
            return
        if not rows:
            return  # the version moved without rows: a rebuild is writing its snapshot
        live = [r.document for r in rows if r.active]
        vectors = store.vectors_for(live, self.fingerprint) if self.encoder else None
        self.engine.upsert(live, vectors)
        for row in rows:
            if not row.active:
                self.engine.remove(row.kind, [row.ref_id])
        self.version = max(r.version for r in rows)
        self.stale = False
        if self.version - self.saved_version >= self.snapshot_lag:
            self.save()

    def rebuild(self) -> SearchEngine:
        """A fresh engine from every active stored document and its stored vector; saved."""
        version = store.current_version()
        docs: list[Document] = [r.document for r in store.rows_since(-1) if r.active]
        encoder = self.encoder
        vectors = store.vectors_for(docs, encoder.fingerprint) if encoder else None
        self.engine = SearchEngine.build(
            docs, vectors, self._templates(), encoder, hnsw_threshold=self.hnsw_threshold
        )
        self.version = version
        self.save()
        return self.engine

    def save(self) -> None:
        with self._file_lock():
            meta = read_sidecar(self.index_dir)
            if meta and meta.get("model") == self.fingerprint and meta["version"] > self.version:
                return  # a newer snapshot is already there
            meta = save_snapshot(self.engine, self.index_dir, self.version, self.fingerprint)
            self.saved_version, self.loaded_dir = self.version, meta["dir"]


class _FileLock:
    """An exclusive lock between processes on the index directory; re-entrant in-process."""

    def __init__(self, index_dir: str) -> None:
        self.path = os.path.join(index_dir, ".lock")
        self.depth = 0
        self.fh = None

    def __enter__(self):
        if self.depth == 0:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            self.fh = open(self.path, "a")  # noqa: SIM115
            fcntl.flock(self.fh, fcntl.LOCK_EX)
        self.depth += 1
        return self

    def __exit__(self, *exc) -> None:
        self.depth -= 1
        if self.depth == 0:
            fcntl.flock(self.fh, fcntl.LOCK_UN)
            self.fh.close()
