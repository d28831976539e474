"""A fresh search index for feature tests: its own directory, the tiny encoder by default,
and the needs and solvers document sources registered (search tests clear them)."""

from __future__ import annotations

import pytest

from matchmaker.needs import search_documents as need_docs
from matchmaker.search import registry, runtime
from matchmaker.search.service import EXTENSION_KEY
from matchmaker.solvers import search_documents as offering_docs
from tests.search.tiny_encoder import TinyEncoder


@pytest.fixture
def search_index(app, tmp_path):
    """Yields a function to choose the encoder factory (None: the configured real model)."""
    saved = dict(app.config)

    def use(factory=lambda config: TinyEncoder()):
        app.config["SEARCH_ENCODER_FACTORY"] = factory
        app.extensions.pop(EXTENSION_KEY, None)
        runtime.reset_encoder_cache()

    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "search-index")
    need_docs.register()
    offering_docs.register()
    use()
    yield use
    app.extensions.pop(EXTENSION_KEY, None)
    app.config.clear()
    app.config.update(saved)
    runtime.reset_encoder_cache()
    registry.clear_sources()
    need_docs.register()
    offering_docs.register()
