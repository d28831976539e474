"""The template-space profile: its math, and that the engine fuses it as a component."""

import numpy as np

from matchmaker.search.core import profile
from matchmaker.search.core.engine import SearchEngine
from matchmaker.search.core.ranking import DEFAULT_WEIGHTS, Weights, fuse

from .conftest import NEEDS, OFFERINGS, TEMPLATES
from .tiny_encoder import TinyEncoder

# three orthonormal "templates" in 3-d
T3 = np.eye(3)


def test_profile_is_a_unit_softmax_over_template_cosines():
    p = profile.profiles(np.array([[0.9, 0.1, 0.0]]), T3, temperature=0.1)[0]
    sims = np.array([0.9, 0.1, 0.0])
    expected = np.exp(sims / 0.1) / np.exp(sims / 0.1).sum()
    np.testing.assert_allclose(p, expected / np.linalg.norm(expected), rtol=1e-5)
    assert abs(np.linalg.norm(p) - 1) < 1e-12


def test_low_temperature_sharpens_the_profile():
    v = np.array([[0.6, 0.5, 0.0]])
    sharp = profile.profiles(v, T3, temperature=0.02)[0]
    soft = profile.profiles(v, T3, temperature=1.0)[0]
    assert sharp[0] > soft[0] > 0 and sharp[1] < soft[1]


def test_scores_are_high_on_shared_templates_and_zero_without_a_vector():
    query = np.array([1.0, 0.0, 0.0])
    cands = np.array([[0.9, 0.1, 0.0], [0.0, 0.1, 0.9], [np.nan, np.nan, np.nan]])
    s = profile.scores(query, cands, T3)
    assert s[0] > 0.99 and s[1] < 0.01 and s[2] == 0.0


def test_scores_are_invariant_to_a_uniform_shift_of_the_cosines():
    # the softmax sees only differences: a candidate whose cosines to every template are
    # all higher by the same amount has the same profile
    t = np.array([[1.0, 0.0], [0.0, 1.0]])
    a = profile.profiles(np.array([[0.5, 0.3]]), t)
    b = profile.profiles(np.array([[0.6, 0.4]]), t)
    np.testing.assert_allclose(a, b, rtol=1e-5)


def test_fused_ranking_uses_the_profile():
    components = {
        "dense": np.array([0.8, 0.8]),
        "lexical": np.array([0.2, 0.2]),
        "profile": np.array([0.1, 0.9]),
    }
    assert np.argmax(fuse(components, Weights(0.4, 0.2, 0.0, profile=0.4))) == 1
    # the product's weights give it a share; without dense there is no profile
    assert DEFAULT_WEIGHTS.profile > 0 and DEFAULT_WEIGHTS.without_dense().profile == 0


def test_engine_scores_the_profile_with_the_template_vectors():
    encoder = TinyEncoder()
    docs = NEEDS + OFFERINGS
    encoded = encoder.encode_documents([d.full_text for d in docs])
    vectors = {d.key: v for d, v in zip(docs, encoded, strict=True)}
    engine = SearchEngine.build(docs, vectors, TEMPLATES, encoder)
    engine.calibration_path = None
    assert engine.classifier.vectors.shape == (len(TEMPLATES), encoder.dim)
    found = engine.stored_query("need", "2")
    assert found is not None
    _, query = found
    ranked = engine.rank("offering", query, None, k=len(OFFERINGS))
    col = engine.collections["offering"]
    want = profile.scores(query.vector, col.dense.vectors(ranked.positions),
                          engine.classifier.vectors)  # fmt: skip
    np.testing.assert_allclose(ranked.components["profile"], want, rtol=1e-5, atol=1e-6)
    expected = fuse(ranked.components, engine.weights)
    np.testing.assert_allclose(ranked.fused, expected)


def test_without_an_encoder_there_is_no_profile_component():
    engine = SearchEngine.build(NEEDS + OFFERINGS, None, TEMPLATES, None)
    engine.calibration_path = None
    assert engine.classifier.vectors is None
    _, query = engine.stored_query("need", "2")
    assert "profile" not in engine.rank("offering", query, None, k=3).components
