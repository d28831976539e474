"""A fresh search index for feature tests: its own directory and the tiny encoder by default
(the document sources are the app's own, from `create_app`; search tests replace them).
`index_now(kind, *objects)` indexes committed objects as the indexing job would."""

from __future__ import annotations

import pytest

from matchmaker.search.app import sync as search_sync
from matchmaker.search.app.service import EXTENSION_KEY
from matchmaker.search.core import runtime
from tests.search.tiny_encoder import TinyEncoder


def index_now(kind: str, *objects) -> None:
    """What the indexing job does after a commit, run here and now (for world-building)."""
    search_sync.apply(kind, [obj.id for obj in objects])


@pytest.fixture
def search_index(app, tmp_path):
    """Yields a function to choose the encoder factory (None: the configured real model)."""
    saved = dict(app.config)

    def use(factory=lambda config: TinyEncoder()):
        app.config["SEARCH_ENCODER_FACTORY"] = factory
        app.extensions.pop(EXTENSION_KEY, None)
        runtime.reset_encoder_cache()

    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "search-index")
    use()
    yield use
    app.extensions.pop(EXTENSION_KEY, None)
    app.config.clear()
    app.config.update(saved)
    runtime.reset_encoder_cache()


def count_index_calls(monkeypatch, *names: str) -> dict[str, int]:
    """Counts the calls of the index's search paths named (`DenseIndex.search`,
    `DenseIndex.search_many`, `LexicalRows.scores`, `exact`, `scores_many`, …): a dict
    updated in place, which a test can zero and compare, to hold a batched path batched."""
    from matchmaker.search.core.index import DenseIndex
    from matchmaker.search.core.lexical import LexicalRows

    calls = dict.fromkeys(names, 0)
    for name in names:
        cls = DenseIndex if name in ("search", "search_many") else LexicalRows
        real = getattr(cls, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(cls, name, counted)
    return calls
