"""Database side of search: documents, vectors and the version, through Flask-SQLAlchemy.

Writes encode only what changed (new text or new model), stamp the changed rows with the
new version and bump `search_index_state` in the same transaction. The state row is updated
first and stays locked until commit, so versions become visible in order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select, update

from ..extensions import db
from .documents import Document
from .encoders.base import Encoder
from .models import Embedding, IndexState, SearchDocument
from .payload import from_payload, text_hash, to_payload

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


def save_documents(
    docs: Sequence[Document],
    encoder: Encoder | None,
    progress: Callable[[int, int], None] | None = None,
    commit: bool = True,
) -> int:
    """Store documents (and vectors for the current model when there is one); the new version.
    With `commit=False` the caller commits (to write more in the same transaction)."""
    if encoder is not None:
        store_vectors(docs, encoder, progress)
    version = bump_version()
    existing = _existing(docs)
    for doc in docs:
        row = existing.get(doc.key)
        if row is None:
            row = SearchDocument(kind=doc.kind, ref_id=doc.id)
            db.session.add(row)
        row.payload, row.text_hash = to_payload(doc), text_hash(doc)
        row.active, row.version = True, version
    if commit:
        db.session.commit()
    return version


def store_vectors(docs: Sequence[Document], encoder: Encoder, progress=None) -> int:
    """Encode the documents whose text or model changed; return how many were encoded."""
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
    return len(todo)


def mark_removed(kind: str, ids: Sequence[str], commit: bool = True) -> int:
    """Deactivate the documents; the new version (unchanged when none was active)."""
    query = select(SearchDocument).where(
        SearchDocument.kind == kind,
        SearchDocument.active.is_(True),
        SearchDocument.ref_id.in_([str(i) for i in ids]),
    )
    rows = list(db.session.scalars(query))
    if not rows:
        return current_version()
    version = bump_version()
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
    out = {}
    for kind in {d.kind for d in docs}:
        ids = [d.id for d in docs if d.kind == kind]
        query = select(SearchDocument).where(
            SearchDocument.kind == kind, SearchDocument.ref_id.in_(ids)
        )
        out.update({(r.kind, r.ref_id): r for r in db.session.scalars(query)})
    return out
