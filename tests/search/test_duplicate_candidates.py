"""Duplicate clusters from candidate pairs equal the exhaustive all-pairs computation."""

import numpy as np
import pytest

from matchmaker.search.core import duplicates
from matchmaker.search.core.documents import Document
from matchmaker.search.core.duplicates import exhaustive_pairs, scored_clusters
from matchmaker.search.core.engine import SearchEngine

from .conftest import TEMPLATES
from .tiny_encoder import TinyEncoder

BASES = [
    "印染车间布面疵点人工检验漏检多，希望用机器视觉自动检测疵点并分级",
    "离心泵和压缩机非计划停车频繁，希望振动监测提前预警故障",
    "短保面包门店经常断货或过期，希望按门店预测销量并给出补货建议",
    "危化品仓库违规作业靠人工巡查，希望视频识别安全帽和泄漏",
    "注塑机工艺参数靠老师傅经验，希望优化参数降低废品率",
    "冷库制冷能耗高，希望根据库温和开门次数优化压缩机运行",
]
TAILS = ["", "。", "，急需", "，预算充足", "（二期）", "，可分期实施", "，欢迎联系", "，请报价"]


def _docs(seed: int, n: int) -> list[Document]:
    rng = np.random.default_rng(seed)
    docs = []
    for i in range(n):
        base = BASES[rng.integers(len(BASES))]
        cut = int(rng.integers(len(base) * 3 // 4, len(base) + 1))
        text = base[:cut] + TAILS[rng.integers(len(TAILS))] + str(rng.integers(100))
        docs.append(Document("need", str(i + 1), f"需求{i + 1}", text, status="published"))
    return docs


def _engine(docs, encoder, hnsw_threshold=50_000):
    vectors = None
    if encoder is not None:
        encoded = encoder.encode_documents([d.full_text for d in docs])
        vectors = {d.key: v for d, v in zip(docs, encoded, strict=True)}
    return SearchEngine.build(docs, vectors, TEMPLATES, encoder, hnsw_threshold=hnsw_threshold)


def _pairs(col, positions, threshold, exhaustive):
    found = exhaustive_pairs if exhaustive else duplicates.candidate_pairs
    return {(a, b): s for a, b, s in found(col, positions, threshold)}


@pytest.mark.parametrize("encoder", [TinyEncoder(), None], ids=["dense", "lexical"])
@pytest.mark.parametrize("threshold", [0.6, 0.8])
@pytest.mark.parametrize("seed", [1, 2])
def test_candidate_pairs_equal_exhaustive_pairs(encoder, threshold, seed, monkeypatch):
    monkeypatch.setattr(duplicates, "FIRST_K", 2)  # force the k-doubling path
    engine = _engine(_docs(seed, 120), encoder)
    col = engine.collections["need"]
    positions = np.flatnonzero(col.alive)
    exact = _pairs(col, positions, threshold, exhaustive=True)
    assert len(exact) > 20  # the set has many near-duplicates: the test means something
    found = _pairs(col, positions, threshold, exhaustive=False)
    assert set(found) == set(exact)
    assert [found[p] for p in sorted(exact)] == pytest.approx([exact[p] for p in sorted(exact)])
    _same_clusters(col, positions, threshold)


def _same_clusters(col, positions, threshold):
    found = scored_clusters(col, positions, threshold)
    exact = scored_clusters(col, positions, threshold, exhaustive=True)
    assert [ids for ids, _ in found] == [ids for ids, _ in exact]
    for (_, best), (_, best_exact) in zip(found, exact, strict=True):
        assert best == pytest.approx(best_exact, abs=1e-5)


def test_clusters_of_a_subset_and_after_removals():
    engine = _engine(_docs(3, 80), TinyEncoder())
    engine.remove("need", [str(i) for i in range(1, 80, 3)])
    col = engine.collections["need"]
    positions = np.flatnonzero(col.alive)[::2]
    _same_clusters(col, positions, 0.7)


def test_member_similarity_is_its_best_pair():
    engine = _engine(_docs(4, 40), TinyEncoder())
    col = engine.collections["need"]
    positions = np.flatnonzero(col.alive)
    for ids, best in scored_clusters(col, positions, 0.7):
        matrix = duplicates.similarity_matrix(engine, "need", ids)
        np.fill_diagonal(matrix, -1)
        for k, doc_id in enumerate(ids):
            assert best[doc_id] == pytest.approx(matrix[k].max(), abs=1e-5)


def test_on_hnsw_the_candidates_are_exactly_scored_and_recall_is_high():
    """Past the HNSW threshold the k-NN search is approximate: every pair returned is a true
    pair (exact scoring) and, with the lexical postings beside it, nearly all are found."""
    engine = _engine(_docs(5, 120), TinyEncoder(), hnsw_threshold=10)
    col = engine.collections["need"]
    assert col.dense.is_hnsw
    positions = np.flatnonzero(col.alive)
    exact = _pairs(col, positions, 0.7, exhaustive=True)
    found = _pairs(col, positions, 0.7, exhaustive=False)
    assert set(found) <= set(exact) and len(exact) > 20
    assert len(found) >= 0.95 * len(exact)
