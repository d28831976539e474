"""Issue #10's quality criterion for `SEARCH_QUANTIZE=auto`: int8 may lose at most 0.01
nDCG@10 against fp32 on the dev sets (dense alone and the product's hybrid ranking)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matchmaker.search.core.documents import Template
from matchmaker.search.core.evalset import evaluate, load_evalset
from matchmaker.search.core.ranking import DEFAULT_WEIGHTS

pytestmark = pytest.mark.slow  # the real model, fp32 and int8

DATA = Path(__file__).resolve().parents[2] / "data"
MAX_LOSS = 0.01


@pytest.fixture(scope="module")
def templates():
    with open(DATA / "dev_templates.json", encoding="utf-8") as fh:
        return [Template.from_mapping(t) for t in json.load(fh)]


@pytest.mark.parametrize("name", ["devset.json", "devset_hard.json"])
def test_int8_loses_at_most_a_hundredth_of_ndcg(name, fp32_encoder, int8_encoder, templates):
    evalset = load_evalset(str(DATA / name))
    weights = DEFAULT_WEIGHTS.as_dict()
    fp32 = evaluate(evalset, fp32_encoder, templates, weights)
    int8 = evaluate(evalset, int8_encoder, templates, weights)
    for ranker in ("dense", "hybrid"):
        loss = fp32[ranker]["ndcg@10"] - int8[ranker]["ndcg@10"]
        assert loss <= MAX_LOSS, (name, ranker, fp32[ranker], int8[ranker])
