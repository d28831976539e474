"""Calibrated match probability: the stored file, bands, monotonicity, the judged sets,
and nonsense queries through the service and the API."""

from __future__ import annotations

import json
import logging
import re
from collections import Counter

import numpy as np
import pytest

from matchmaker.search.app import service
from matchmaker.search.core import confidence
from matchmaker.search.core.calibrate import fit_calibration, load_sets
from matchmaker.search.core.documents import Match

PLANT = "tests/data/devset_plant.json"
NONSENSE = ("xxxx", "今天天气不错我们去公园散步", "asdf qwer")


@pytest.fixture(scope="module")
def shipped():
    confidence.clear_cache()
    return confidence.load()


def test_shipped_calibration_names_its_encoder_and_every_model(shipped):
    assert shipped.encoder and "e5" in shipped.encoder.lower() or shipped.encoder
    assert set(shipped.models) == {"text", "stored", "fallback"}
    for mode, model in shipped.models.items():
        assert model.features == confidence.features_for(mode)
        assert all(c >= 0 for c in model.coef), mode  # monotone in every score
    # held-out figures are stored with the weights, both ways round
    for mode in shipped.models:
        assert set(shipped.report["halves"][mode]) == {"even→odd", "odd→even"}


@pytest.mark.parametrize("mode", ["text", "stored", "fallback"])
def test_probability_rises_with_every_raw_score(shipped, mode):
    model = shipped.models[mode]
    grid = np.linspace(0, 1, 11)
    for name in confidence.RAW:
        if name not in model.features:
            continue
        comps = {n: np.full(11, 0.3) for n in confidence.RAW}
        comps[name] = grid
        probs = model.predict(comps)
        assert np.all(np.diff(probs) >= -1e-12), name


def test_bands_and_floor(shipped):
    bands = shipped.bands
    assert bands["high"] > bands["medium"] > bands["low"] > 0
    assert shipped.band(bands["high"]) == "high"
    assert shipped.band(bands["high"] - 1e-6) == "medium"
    assert shipped.band(bands["medium"]) == "medium"
    assert shipped.band(bands["low"]) == "low"
    assert shipped.band(bands["low"] - 1e-6) is None
    assert shipped.floor == bands["low"]
    match = Match("offering", "1", 0.62, {}, probability=0.62, band="high")
    assert match.band_label == "高度匹配" and match.percent == 62


def test_a_file_with_bad_bands_is_refused():
    data = {"version": 1, "encoder": "x", "bands": {"high": 0.2, "medium": 0.5, "low": 0.1},
            "models": {}}  # fmt: skip
    with pytest.raises(ValueError):
        confidence.Calibration.from_dict(data)


def test_another_encoder_gets_the_lexical_only_model(shipped, caplog):
    cal = confidence.Calibration.from_dict(shipped.as_dict())
    with caplog.at_level(logging.WARNING):
        model = cal.model_for("text", "some-other-encoder", dense_used=True)
    assert model is cal.models["fallback"]
    assert "flask search calibrate" in caplog.text
    assert cal.model_for("text", cal.encoder, dense_used=True) is cal.models["text"]
    assert cal.model_for("stored", None, dense_used=False) is cal.models["fallback"]


def test_plant_set_size_and_coverage():
    with open(PLANT, encoding="utf-8") as fh:
        data = json.load(fh)
    needs, offerings, qrels = data["needs"], data["offerings"], data["qrels"]
    assert len(needs) >= 120 and len(offerings) >= 150
    assert len({n["industry"] for n in needs}) == 15
    assert min(Counter(n["industry"] for n in needs).values()) >= 8
    ids = {o["id"] for o in offerings}
    judged = {o for rel in qrels.values() for o in rel}
    assert judged <= ids and all(qrels.get(n["id"]) for n in needs)
    unused = len(ids - judged) / len(ids)
    assert 0.28 <= unused <= 0.45  # about a third of the offerings solve no need
    # written, not templated: no two needs share a description opening
    assert len({n["description"][:12] for n in needs}) == len(needs)
    # vendors' jargon: English abbreviations (AOI, MES, APS, PHM, OCR …) in many offerings
    abbreviations = [o for o in offerings if re.search(r"[A-Z]{2,}", o["title"] + o["description"])]
    assert len(abbreviations) >= len(offerings) // 3


def test_fit_reports_both_halves_and_every_set():
    sets = load_sets(["tests/data/devset.json", "tests/data/devset_hard.json"])
    cal = fit_calibration(sets, None, [], progress=lambda *_: None)
    assert set(cal.models) == {"fallback"} and cal.encoder is None
    halves = cal.report["halves"]["fallback"]
    for tag in ("even→odd", "odd→even"):
        assert set(halves[tag]["sets"]) == {"devset.json", "devset_hard.json"}
        assert halves[tag]["auc"] > 0.8
        rel = halves[tag]["reliability"]
        assert sum(r["pairs"] for r in rel.values()) > 1000
    for probs in cal.report["nonsense"]["fallback"].values():
        assert max(probs) < cal.bands["medium"]


@pytest.fixture
def indexed(search_app, templates):
    from .conftest import NEEDS, OFFERINGS

    service.index_documents(NEEDS + OFFERINGS)
    return search_app


@pytest.mark.parametrize("query", NONSENSE)
def test_nonsense_gets_nothing_above_the_lowest_band(indexed, query):
    result = service.search_text(query, k=10)
    assert all(m.band in ("low", None) for m in result.matches)
    assert all(m.probability is not None and m.probability < 0.25 for m in result.matches)


def test_a_real_query_is_calibrated_and_ordered(indexed):
    result = service.search_text("布面疵点检测", k=10)
    assert result.matches
    probs = [m.probability for m in result.matches]
    assert all(0 <= p <= 1 for p in probs) and probs == sorted(probs, reverse=True)
    assert all(m.score == m.probability and m.band for m in result.matches)


def test_api_score_is_the_probability_and_nonsense_is_not_recommended(indexed):
    client = indexed.test_client()
    for query in NONSENSE:
        body = client.get("/api/v1/search", query_string={"q": query}).get_json()
        assert all(item["band"] in ("low", None) for item in body["items"])
        assert all(item["score"] < 0.25 for item in body["items"])
