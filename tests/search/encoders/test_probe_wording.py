"""The real model on wording the judged sets do not have (`tests/data/probe_wording.json`:
60 queries as factory managers and vendors write them, ranked against the 104 scenario
templates): the ranking, the calibrated probability of the right template, and nonsense."""

from __future__ import annotations

from pathlib import Path

import pytest

from matchmaker.search.app.eval_command import load_templates
from matchmaker.search.core import confidence
from matchmaker.search.core.engine import SearchEngine
from matchmaker.search.core.evalset import ComponentScores, load_evalset
from matchmaker.search.core.matching import search_text
from matchmaker.search.core.ranking import DEFAULT_WEIGHTS

pytestmark = pytest.mark.slow  # the real model

ROOT = Path(__file__).resolve().parents[3]
PROBE = ROOT / "tests" / "data" / "probe_wording.json"
# Measured with the built model (int8) on 5 December 2026: nDCG@10 0.988 over all 60
# queries, the right template shown (probability ≥ the floor 0.10) for 57 of 60; the floors
# leave a margin for another build of the same model.
MIN_NDCG = 0.95
MIN_SHOWN = 54
NONSENSE = ("xxxx", "asdf qwer", "今天天气不错我们去公园散步", "13812345678", "你好")


@pytest.fixture(scope="module")
def probe():
    return load_evalset(str(PROBE))


@pytest.fixture(scope="module")
def templates():
    return load_templates(str(ROOT / "matchmaker" / "scenarios" / "data" / "taxonomy.json"))


@pytest.fixture(scope="module")
def engine(probe, templates, int8_encoder):
    vectors = int8_encoder.encode_documents([o.full_text for o in probe.offerings])
    built = SearchEngine.build(
        probe.offerings,
        {o.key: v for o, v in zip(probe.offerings, vectors, strict=True)},
        templates,
        int8_encoder,
    )
    built.calibration_path = confidence.DEFAULT_PATH
    return built


def test_the_probe_ranks_the_right_template_first(probe, templates, int8_encoder):
    scores = ComponentScores(probe, int8_encoder, templates)
    weights = {k: v for k, v in DEFAULT_WEIGHTS.as_dict().items() if v > 0}
    metrics = scores.evaluate(probe.needs, weights, probe.qrels)
    assert metrics["ndcg@10"] >= MIN_NDCG, metrics


def test_the_right_template_is_shown_for_most_of_the_probe(probe, engine, int8_encoder):
    hidden = []
    for need in probe.needs:
        result = search_text(engine, int8_encoder, need.title, kinds=("offering",), k=10)
        if not any(m.id in probe.qrels[need.id] for m in result.matches):
            hidden.append(need.title)
    assert len(probe.needs) - len(hidden) >= MIN_SHOWN, hidden


@pytest.mark.parametrize("query", NONSENSE)
def test_nonsense_stays_below_the_floor_with_the_encoder(engine, int8_encoder, query):
    result = search_text(engine, int8_encoder, query, kinds=("offering",), k=10, floor=False)
    assert engine.encoder_id == confidence.load().encoder  # the text model, not the fallback
    assert max(m.probability for m in result.matches) < confidence.load().floor
