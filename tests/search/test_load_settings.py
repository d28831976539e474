"""Fast under load (issue 17): torch threads shared out between workers, long texts encoded
once when saved (a page view finds the stored vector), the worker warm-up never fails."""

from __future__ import annotations

import numpy as np

from matchmaker.search.app import service
from matchmaker.search.core.encoders.base import default_threads, worker_count
from matchmaker.search.store import textcache
from tests.search.tiny_encoder import TinyEncoder
from tests.search_wiring import search_index  # noqa: F401  (fixture)


def test_threads_are_cores_divided_by_workers():
    assert default_threads({"SEARCH_WORKERS": "2"}, cores=2) == 1
    assert default_threads({"WEB_CONCURRENCY": "2"}, cores=8) == 4
    assert default_threads({"GUNICORN_WORKERS": "4"}, cores=2) == 1
    assert default_threads({}, cores=4) == 4
    assert worker_count({"SEARCH_WORKERS": "x", "WEB_CONCURRENCY": "3"}) == 3


class CountingEncoder(TinyEncoder):
    calls = 0

    def encode_documents(self, texts):
        CountingEncoder.calls += len(texts)
        return super().encode_documents(texts)


def test_a_long_text_is_encoded_once_and_found_by_later_views(app_ctx):
    encoder = CountingEncoder()
    text = "验布工靠眼睛找疵点，夜班漏检多。" * 40
    assert textcache.remember(encoder, text) and not textcache.remember(encoder, text)
    textcache.clear_process_cache()  # another worker: only the database has it
    found = textcache.CachedEncoder(encoder).encode_documents([text])
    assert CountingEncoder.calls == 1
    np.testing.assert_allclose(found[0], encoder.encode_documents([text])[0], rtol=1e-6)


def test_warm_up_loads_the_index_and_survives_failures(app, app_ctx, search_index):  # noqa: F811
    service.warm_up(app)
    assert service.EXTENSION_KEY in app.extensions
    app.config["SEARCH_ENCODER_FACTORY"] = lambda config: 1 / 0
    app.extensions.pop(service.EXTENSION_KEY)
    service.warm_up(app)  # logged, never raised
