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
def test_candidate_pairs_equal_exhaustive_pairs(encoder, threshold, seed):
    engine = _engine(_docs(seed, 120), encoder)
    col = engine.collections["need"]
    positions = np.flatnonzero(col.alive)
    _same_pairs(col, positions, threshold)
    _same_clusters(col, positions, threshold)


def _same_pairs(col, positions, threshold):
    exact = _pairs(col, positions, threshold, exhaustive=True)
    assert len(exact) > 20  # the set has many near-duplicates: the test means something
    found = _pairs(col, positions, threshold, exhaustive=False)
    assert set(found) == set(exact)
    assert [found[p] for p in sorted(exact)] == pytest.approx([exact[p] for p in sorted(exact)])


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


def test_on_hnsw_the_pairs_and_clusters_are_exact_too():
    """The candidates come from the lexical prefixes, not from the (approximate) HNSW search."""
    engine = _engine(_docs(5, 120), TinyEncoder(), hnsw_threshold=10)
    col = engine.collections["need"]
    assert col.dense.is_hnsw
    positions = np.flatnonzero(col.alive)
    _same_pairs(col, positions, 0.7)
    _same_clusters(col, positions, 0.7)


def _copies(seed: int, copies: int) -> list[Document]:
    """Every base need `copies` times word for word (as the 50× benchmark makes them, its
    titles numbered), a few variants of each, and needs that duplicate nothing."""
    rng = np.random.default_rng(seed)
    docs = []
    for b, base in enumerate(BASES):
        for c in range(copies):
            docs.append(Document("need", f"{b}-{c}", f"需求（第{c}批）", base, status="published"))
        for v in range(3):
            text = base[: int(rng.integers(len(base) // 2, len(base)))] + TAILS[v + 1]
            docs.append(Document("need", f"{b}-v{v}", "需求", text, status="published"))
    for i, text in enumerate(UNRELATED):
        docs.append(Document("need", f"u{i}", "", text, status="published"))
    return docs


UNRELATED = [
    "食堂排班靠手工表格，希望自动排班",
    "锅炉燃烧效率低，想用模型调风煤比",
    "仓库叉车调度混乱，需要路径规划",
    "客服电话多，希望智能问答分流",
]


@pytest.mark.parametrize("encoder", [TinyEncoder(), None], ids=["dense", "lexical"])
@pytest.mark.parametrize("threshold", [0.6, 0.8, 0.95])
def test_many_exact_copies_give_exactly_the_all_pairs_pairs_and_clusters(encoder, threshold):
    engine = _engine(_copies(7, 30), encoder)
    col = engine.collections["need"]
    positions = np.flatnonzero(col.alive)
    _same_pairs(col, positions, threshold)
    _same_clusters(col, positions, threshold)
    if threshold <= 0.8:  # (above, the copies' numbered titles part them lexically)
        clusters = scored_clusters(col, positions, threshold)
        assert len(clusters[0][0]) >= 30  # each base's copies (at least) are one cluster


@pytest.mark.parametrize("floor", [0.3, 0.6, 0.9])
def test_prefix_candidates_contain_every_pair_that_reaches_the_floor(floor):
    """On random sparse rows (skewed term frequencies, copies among them) the candidates hold
    every pair whose dot product reaches the floor, with a true upper bound of it, whatever
    the prefixes' length; and, with prefixes long enough, few candidates that do not qualify."""
    import scipy.sparse as sp

    rng = np.random.default_rng(int(floor * 10))
    n, terms = 300, 400
    popularity = 1.0 / np.arange(1, terms + 1)  # Zipf: a few common terms, many rare ones
    rows = []
    for _ in range(n // 3):
        picked = rng.choice(terms, size=12, replace=False, p=popularity / popularity.sum())
        row = np.zeros(terms)
        row[picked] = rng.random(12) * np.log(terms / (1 + picked))
        rows += [row, row, row * (rng.random(terms) < 0.8)]  # two copies and a variant
    matrix = sp.csr_matrix(np.array(rows) / np.linalg.norm(rows, axis=1, keepdims=True))
    products = (matrix @ matrix.T).toarray()
    sharing_a_term = (np.count_nonzero(products) - n) // 2
    for share in (1.0, 0.5, 0.2):
        a, b, bound = duplicates.prefix_candidates(matrix, floor, share)
        found = set(zip(a.tolist(), b.tolist(), strict=True))
        wanted = {(i, j) for i, j in zip(*np.nonzero(products >= floor), strict=True) if i < j}
        assert len(wanted) >= n // 3 and wanted <= found
        assert (bound >= products[a, b]).all()  # an upper bound of each candidate's product
        if share <= duplicates.PREFIX_SHARE:  # the bound leaves few pairs that do not qualify
            assert len(found - wanted) < 0.2 * sharing_a_term
