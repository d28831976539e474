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
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ...extensions import db


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


class MatchJudgment(db.Model):
    """A user's verdict on one recommendation: 不相关 (irrelevant) or 已联系 (contacted).

    `side` is the page it was given on: "need" (a factory member judging an offering
    recommended for the organisation's need) or "offering" (a vendor member judging a need in
    适合我的榜单, with the organisation's offering that matched it best). One row per user,
    pair and side: clicking again changes the verdict, undo deletes the row.
    """

    __tablename__ = "match_judgments"
    __table_args__ = (
        UniqueConstraint(
            "user_id", "need_id", "offering_id", "side", name="uq_match_judgments_user_pair_side"
        ),
        CheckConstraint("side IN ('need', 'offering')", name="side"),
        CheckConstraint("verdict IN ('irrelevant', 'contacted')", name="verdict"),
        Index("ix_match_judgments_need_id", "need_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"))
    offering_id: Mapped[int] = mapped_column(ForeignKey("offerings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    side: Mapped[str] = mapped_column(String(16))
    verdict: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
