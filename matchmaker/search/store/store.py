"""Database side of search: documents, vectors and the version, through Flask-SQLAlchemy.

Writes encode only what changed (new text or new model), stamp the changed rows with the
new version and bump `search_index_state` in the same transaction. The state row is updated
first and stays locked until commit, so versions become visible in order. A write that
changes nothing (the same payload, an active row, no new vector) touches no row and leaves
the version where it is, so no worker reloads anything for it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select, update

from ...extensions import db
from ..core.documents import Document
from ..core.encoders.base import Encoder
from ..core.payload import from_payload, text_hash, to_payload
from .models import Embedding, IndexState, SearchDocument

ENCODE_BATCH = 64


@dataclass
class StoredRow:
    kind: str
    ref_id: str
    active: bool
    version: int
    document: Document


def current_version() -> int:
    found = db.session.scalar(select(IndexState.version).where(IndexState.id == 1))
    return int(found or 0)


def bump_version() -> int:
    """Next version; call inside the writing transaction (locks the state row until commit)."""
    stmt = update(IndexState).where(IndexState.id == 1).values(version=IndexState.version + 1)
    if db.session.execute(stmt).rowcount == 0:
        db.session.add(IndexState(id=1, version=1))
        db.session.flush()
        return 1
    return current_version()


def lock_state() -> int:
    """Take the state row's lock (writers take turns) without moving the version; the version."""
    stmt = update(IndexState).where(IndexState.id == 1).values(version=IndexState.version)
    if db.session.execute(stmt).rowcount == 0:
        db.session.add(IndexState(id=1, version=0))
        db.session.flush()
    return current_version()


def save_documents(
    docs: Sequence[Document],
    encoder: Encoder | None,
    progress: Callable[[int, int], None] | None = None,
    commit: bool = True,
) -> int:
    """Store documents (and vectors for the current model when there is one); the version
    after the write — the same as before when nothing changed. With `commit=False` the caller
    commits (to write more in the same transaction)."""
    return write_documents(docs, encoder, progress, commit)[0]


def write_documents(
    docs: Sequence[Document],
    encoder: Encoder | None,
    progress: Callable[[int, int], None] | None = None,
    commit: bool = True,
) -> tuple[int, int, int]:
    """`save_documents` that also says what it did: (version, rows written, texts encoded).

    A row is written only when it is new, inactive, its payload differs, or its text got a
    new vector (so the workers that follow the version pick the vector up)."""
    encoded = encode_vectors(docs, encoder, progress) if encoder is not None else set()
    existing = _existing(docs)
    changed = [d for d in docs if d.key in encoded or _differs(existing.get(d.key), d)]
    if not changed:
        if commit:
            db.session.commit()
        return current_version(), 0, 0
    version = bump_version()
    for doc in changed:
        row = existing.get(doc.key)
        if row is None:
            row = SearchDocument(kind=doc.kind, ref_id=doc.id)
            db.session.add(row)
        row.payload, row.text_hash = to_payload(doc), text_hash(doc)
        row.active, row.version = True, version
    if commit:
        db.session.commit()
    return version, len(changed), len(encoded)


def _canonical(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)


def _differs(row: SearchDocument | None, doc: Document) -> bool:
    if row is None or not row.active or row.text_hash != text_hash(doc):
        return True
    return _canonical(row.payload) != _canonical(to_payload(doc))


def touch(keys: Sequence[tuple[str, str]], commit: bool = True) -> int:
    """Stamp these active rows with a new version (their vectors changed, e.g. a new model)
    so every worker applies them; the version (unchanged when no row matched)."""
    rows = [r for r in _existing_keys(keys).values() if r.active]
    if not rows:
        return current_version()
    version = bump_version()
    for row in rows:
        row.version = version
    if commit:
        db.session.commit()
    return version


def store_vectors(docs: Sequence[Document], encoder: Encoder, progress=None) -> int:
    """Encode the documents whose text or model changed; return how many were encoded."""
    return len(encode_vectors(docs, encoder, progress))


def encode_vectors(
    docs: Sequence[Document], encoder: Encoder, progress=None
) -> set[tuple[str, str]]:
    """Encode the documents whose text or model changed; the keys encoded."""
    fingerprint = encoder.fingerprint
    stored = {
        (e.kind, e.ref_id): e
        for e in db.session.scalars(select(Embedding).where(Embedding.fingerprint == fingerprint))
    } if docs else {}  # fmt: skip
    todo = [d for d in docs if getattr(stored.get(d.key), "text_hash", None) != text_hash(d)]
    for start in range(0, len(todo), ENCODE_BATCH):
        batch = todo[start : start + ENCODE_BATCH]
        vectors = encoder.encode_documents([d.full_text for d in batch])
        for doc, vec in zip(batch, vectors, strict=True):
            row = stored.get(doc.key) or Embedding(kind=doc.kind, ref_id=doc.id)
            row.fingerprint, row.text_hash = fingerprint, text_hash(doc)
            row.dim, row.vector = len(vec), np.asarray(vec, dtype=np.float32).tobytes()
            db.session.add(row)
        db.session.flush()
        if progress is not None:
            progress(len(batch), len(todo))
    return {d.key for d in todo}


def mark_removed(
    kind: str, ids: Sequence[str], commit: bool = True, version: int | None = None
) -> int:
    """Deactivate the documents; the new version (unchanged when none was active). `version`:
    one this transaction already took (so one write moves the version once)."""
    query = select(SearchDocument).where(
        SearchDocument.kind == kind,
        SearchDocument.active.is_(True),
        SearchDocument.ref_id.in_([str(i) for i in ids]),
    )
    rows = list(db.session.scalars(query))
    if not rows:
        return current_version()
    version = bump_version() if version is None else version
    for row in rows:
        row.active, row.version = False, version
    if commit:
        db.session.commit()
    return version


def active_ids(kind: str) -> set[str]:
    query = select(SearchDocument.ref_id).where(
        SearchDocument.kind == kind, SearchDocument.active.is_(True)
    )
    return set(db.session.scalars(query))


def rows_since(version: int, limit: int | None = None) -> list[StoredRow]:
    """Document rows changed after `version` (all rows for version -1), oldest first."""
    query = (
        select(SearchDocument)
        .where(SearchDocument.version > version)
        .order_by(SearchDocument.version, SearchDocument.id)
        .limit(limit)
    )
    rows = db.session.scalars(query)
    return [StoredRow(r.kind, r.ref_id, r.active, r.version, from_payload(r.payload)) for r in rows]


def vectors_for(docs: Sequence[Document], fingerprint: str) -> dict[tuple[str, str], np.ndarray]:
    """Stored vectors of the current model whose text hash still matches the document."""
    if not docs:
        return {}
    wanted = {d.key: text_hash(d) for d in docs}
    kinds = {d.kind for d in docs}
    out = {}
    query = select(Embedding).where(Embedding.fingerprint == fingerprint, Embedding.kind.in_(kinds))
    if len(docs) < 500:
        query = query.where(Embedding.ref_id.in_([d.id for d in docs]))
    for e in db.session.execute(query).scalars():
        key = (e.kind, e.ref_id)
        if wanted.get(key) == e.text_hash:
            out[key] = np.frombuffer(e.vector, dtype=np.float32)
    return out


def _existing(docs: Sequence[Document]) -> dict[tuple[str, str], SearchDocument]:
    return _existing_keys([d.key for d in docs])


def _existing_keys(keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], SearchDocument]:
    out = {}
    for kind in {k for k, _ in keys}:
        ids = [i for k, i in keys if k == kind]
        for start in range(0, len(ids), 900):  # SQLite's bound-parameter limit
            query = select(SearchDocument).where(
                SearchDocument.kind == kind, SearchDocument.ref_id.in_(ids[start : start + 900])
            )
            out.update({(r.kind, r.ref_id): r for r in db.session.scalars(query)})
    return out
