import numpy as np

from matchmaker.search.core.index import DenseIndex


def _unit(n, dim=16, seed=0):
    x = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_flat_round_trip(tmp_path):
    vecs = _unit(50)
    index = DenseIndex.build(vecs, np.arange(50) * 3)
    assert not index.is_hnsw
    path = str(tmp_path / "x.faiss")
    index.save(path)
    loaded = DenseIndex.load(path)
    scores, ids = loaded.search(vecs[7], 3, None)
    assert ids[0] == 21 and scores[0] > 0.999
    np.testing.assert_allclose(loaded.vectors(np.array([21])), vecs[7:8], atol=1e-6)


def test_selector_acts_inside_the_search():
    vecs = _unit(40)
    index = DenseIndex.build(vecs, np.arange(40))
    allowed = np.zeros(40, dtype=bool)
    allowed[[3, 9, 30]] = True
    scores, ids = index.search(vecs[5], 10, allowed)
    assert sorted(ids.tolist()) == [3, 9, 30]


def test_hnsw_past_threshold_and_filtered(tmp_path):
    vecs = _unit(300)
    index = DenseIndex.build(vecs, np.arange(300), hnsw_threshold=100)
    assert index.is_hnsw
    index.save(str(tmp_path / "h.faiss"))
    loaded = DenseIndex.load(str(tmp_path / "h.faiss"))
    assert loaded.is_hnsw
    allowed = np.arange(300) % 2 == 1
    _, ids = loaded.search(vecs[11], 5, allowed)
    assert ids[0] == 11 and all(i % 2 == 1 for i in ids)


def test_search_many_equals_search_per_query():
    import numpy as np

    from matchmaker.search.core.index import DenseIndex

    rng = np.random.default_rng(7)
    base = rng.normal(size=(700, 16)).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    index = DenseIndex.build(base, np.arange(700))
    allowed = rng.random(700) > 0.3
    queries = base[:300] + 0.01
    many = index.search_many(queries, 25, allowed)
    assert len(many) == 300
    for query, (scores, ids) in zip(queries, many, strict=True):
        one_scores, one_ids = index.search(query, 25, allowed)
        assert list(ids) == list(one_ids) and np.allclose(scores, one_scores, atol=1e-5)
        assert allowed[ids].all()
