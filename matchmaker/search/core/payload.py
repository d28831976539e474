"""Documents to and from plain JSON (stored in `search_document.payload`), and text hashes."""

from __future__ import annotations

import hashlib
from dataclasses import asdict

from .documents import Document, Kpi


def to_payload(doc: Document) -> dict:
    data = asdict(doc)
    data["deployment"] = sorted(doc.deployment)
    data["kpis"] = [asdict(k) for k in doc.kpis]
    data["labels"] = list(doc.labels)
    return data


def from_payload(data: dict) -> Document:
    fields = dict(data)
    fields["deployment"] = frozenset(fields.get("deployment") or ())
    fields["kpis"] = tuple(Kpi(**k) for k in fields.get("kpis") or ())
    fields["labels"] = tuple(fields.get("labels") or ())
    return Document(**fields)


def text_hash(doc: Document) -> str:
    """Hash of exactly what gets encoded: a change re-encodes, anything else does not."""
    return hashlib.sha256(doc.full_text.encode("utf-8")).hexdigest()
