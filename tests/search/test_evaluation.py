import math

import pytest

from matchmaker.search.core.evaluation import (
    fit_weights,
    mean_metrics,
    metrics,
    ndcg_at,
    weight_grid,
)

RANKING = ["a", "b", "c", "d"]
QRELS = {"b": 2, "d": 1, "e": 1}


def test_metrics_hand_computed():
    m = metrics(RANKING, QRELS)
    assert m["p@1"] == 0.0
    assert m["mrr"] == 0.5
    assert m["recall@5"] == pytest.approx(2 / 3)
    assert m["recall@10"] == pytest.approx(2 / 3)
    dcg = 3 / math.log2(3) + 1 / math.log2(5)
    ideal = 3 / math.log2(2) + 1 / math.log2(3) + 1 / math.log2(4)
    assert m["ndcg@10"] == pytest.approx(dcg / ideal)
    assert m["ndcg@10"] == pytest.approx(0.56246, abs=1e-4)


def test_perfect_ranking_scores_one():
    assert metrics(["b", "d", "e"], QRELS) == {
        "p@1": 1.0,
        "mrr": 1.0,
        "recall@5": 1.0,
        "recall@10": 1.0,
        "ndcg@10": pytest.approx(1.0),
    }


def test_ndcg_cutoff_and_no_relevant():
    assert ndcg_at(["x"] * 10 + ["b"], {"b": 2}, 10) == 0.0
    assert ndcg_at(["a"], {}, 10) == 0.0


def test_mean_skips_unjudged_queries():
    rankings = {"q1": ["b"], "q2": ["a"], "q3": ["z"]}
    qrels = {"q1": {"b": 1}, "q2": {"b": 1}, "q3": {"z": 0}}
    assert mean_metrics(rankings, qrels)["p@1"] == 0.5


def test_weight_grid_and_fit():
    grid = weight_grid(0.5, ["x", "y"])
    assert grid == [{"x": 0.0, "y": 1.0}, {"x": 0.5, "y": 0.5}, {"x": 1.0, "y": 0.0}]
    best, value = fit_weights(lambda w: -abs(w["x"] - 0.25), ["x", "y"], step=0.25)
    assert best == {"x": 0.25, "y": 0.75} and value == 0.0
