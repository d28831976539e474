"""Where documents and templates come from, without search importing the features.

The needs and solvers packages register a loader for their kind at app start-up
(`register_document_source("need", load_need_documents)`); the scenarios package registers
the template loader. `flask search rebuild` and the service pull from these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .documents import KINDS, Document, Template

DocumentLoader = Callable[[], Iterable[Document]]
TemplateLoader = Callable[[], Iterable[Template | dict]]

_documents: dict[str, DocumentLoader] = {}
_templates: list[TemplateLoader] = []


def register_document_source(kind: str, loader: DocumentLoader) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    _documents[kind] = loader


def register_template_source(loader: TemplateLoader) -> None:
    _templates[:] = [loader]


def registered_kinds() -> list[str]:
    return [k for k in KINDS if k in _documents]


def load_documents(kind: str) -> list[Document]:
    loader = _documents.get(kind)
    return list(loader()) if loader is not None else []


def load_templates() -> list[Template]:
    if not _templates:
        return []
    return [t if isinstance(t, Template) else Template.from_mapping(t) for t in _templates[0]()]


def clear_sources() -> None:
    """Forget every loader (tests)."""
    _documents.clear()
    _templates.clear()
