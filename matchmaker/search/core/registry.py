"""Where documents and templates come from, without search importing the features.

The feature packages export a `DocumentSource` per kind (the needs package also the template
loader), and `create_app` hands them to the search package:
`search.init_app(app, sources=[need_source, offering_source], templates=load_templates)`.
`flask search rebuild` reads every document of a source; the indexing job (`search.app.sync`)
reads only the ids it was given. Nothing is registered when a module is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .documents import KINDS, Document, Template

TemplateLoader = Callable[[], Iterable[Template | dict]]


@dataclass(frozen=True)
class DocumentSource:
    """One kind of document a feature package publishes to the index.

    `load_all()` gives every document that belongs in the index now (for a rebuild);
    `load(ids)` gives those of the ids that belong in it now: an id it leaves out is removed
    from the index. Both read the committed state, so running them twice is harmless.
    """

    kind: str
    load_all: Callable[[], Iterable[Document]]
    load: Callable[[Sequence[str]], Iterable[Document]]

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown document kind {self.kind!r}")


class Sources:
    """The document sources and the template loader one app was given."""

    def __init__(
        self, documents: Iterable[DocumentSource] = (), templates: TemplateLoader | None = None
    ) -> None:
        self._documents = {source.kind: source for source in documents}
        self._templates = templates

    def kinds(self) -> list[str]:
        return [k for k in KINDS if k in self._documents]

    def source(self, kind: str) -> DocumentSource:
        if kind not in self._documents:
            raise KeyError(f"no document source for {kind!r}")
        return self._documents[kind]

    def load_documents(self, kind: str) -> list[Document]:
        source = self._documents.get(kind)
        return list(source.load_all()) if source is not None else []

    def load_templates(self) -> list[Template]:
        if self._templates is None:
            return []
        return [
            t if isinstance(t, Template) else Template.from_mapping(t) for t in self._templates()
        ]
