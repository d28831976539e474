"""Search tables: indexed documents, their vectors (the source of truth), the index version.

The FAISS index and the lexical matrix are caches rebuilt from these rows. Every change
bumps `search_index_state.version` in the same transaction and stamps the changed rows with
it, so any process can catch up with `rows where version > mine`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


def _now() -> datetime:
    return datetime.now(UTC)


class SearchDocument(db.Model):
    __tablename__ = "search_document"
    __table_args__ = (
        UniqueConstraint("kind", "ref_id", name="uq_search_document_kind_ref_id"),
        CheckConstraint("kind IN ('need', 'offering')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    ref_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    text_hash: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(BigInteger, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Embedding(db.Model):
    __tablename__ = "search_embedding"
    __table_args__ = (
        UniqueConstraint(
            "kind", "ref_id", "fingerprint", name="uq_search_embedding_kind_ref_id_fingerprint"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    ref_id: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(200))
    text_hash: Mapped[str] = mapped_column(String(64))
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class IndexState(db.Model):
    """One row (id 1): the version every index holder compares with its own."""

    __tablename__ = "search_index_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
