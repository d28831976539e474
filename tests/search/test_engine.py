"""The pure engine: ranking both ways, filters inside the search, reasons, fallback."""

import pytest

from matchmaker.search.core.documents import Document, Filters
from matchmaker.search.core.engine import SearchEngine
from matchmaker.search.core.matching import ENCODER_UNAVAILABLE, match_for, search_text

from .conftest import NEEDS, OFFERINGS, TEMPLATES
from .tiny_encoder import TinyEncoder


def build(encoder=None, docs=NEEDS + OFFERINGS):
    vectors = None
    if encoder is not None:
        encoded = encoder.encode_documents([d.full_text for d in docs])
        vectors = {d.key: v for d, v in zip(docs, encoded, strict=True)}
    engine = SearchEngine.build(docs, vectors, TEMPLATES, encoder)
    # the mechanics (filters, k, upserts) without the calibrated floor, which would leave
    # out the tiny encoder's weak matches (tests/search/test_confidence.py covers it)
    engine.calibration_path = None
    return engine


@pytest.fixture
def engine():
    return build(TinyEncoder())


def ids(result):
    return [m.id for m in result.matches]


def test_match_need_to_offerings_and_back(engine):
    result = match_for(engine, "need", "2", k=3)
    assert ids(result)[0] == "11"
    assert set(result.matches[0].components) == {"dense", "lexical", "taxonomy", "profile"}
    assert result.dense_available and result.notices == []
    back = match_for(engine, "offering", "12", k=2)
    assert ids(back)[0] == "3"


def test_unknown_document_gives_none(engine):
    assert match_for(engine, "need", "404") is None


def test_filters_act_inside_the_search(engine):
    unfiltered = ids(match_for(engine, "need", "1", k=5))
    assert unfiltered[0] in {"10", "13"}
    filters = Filters(statuses=frozenset({"published"}), max_budget=100.0)
    filtered = ids(match_for(engine, "need", "1", k=3, filters=filters))
    assert "13" not in filtered and "14" not in filtered
    assert len(filtered) == 3  # k results still come back: nothing dropped after top-k
    cloud = ids(
        match_for(engine, "need", "1", k=5, filters=Filters(deployment=frozenset({"cloud"})))
    )
    assert "10" not in cloud and "13" in cloud


def test_need_filters_by_town_and_status(engine):
    result = search_text(engine, TinyEncoder(), "预测销量", kinds=["need"], k=5,
                         filters=Filters(towns=frozenset({"瓜沥镇"})))  # fmt: skip
    assert set(ids(result)) <= {"1", "3"}
    published = search_text(engine, None, "预测销量", kinds=["need"], k=5,
                            filters=Filters(statuses=frozenset({"published"})))  # fmt: skip
    assert "3" not in ids(published)


def test_upsert_and_remove(engine):
    engine.remove("offering", ["11"])
    assert "11" not in ids(match_for(engine, "need", "2", k=5))
    new = Document("offering", "11", "泵群健康管理", "压缩机和离心泵振动监测，预测故障。")
    enc = TinyEncoder()
    engine.upsert([new], {new.key: enc.encode_documents([new.full_text])[0]})
    top = match_for(engine, "need", "2", k=1).matches[0]
    assert top.id == "11"
    changed = Document("need", "2", "面包销量", "预测门店面包销量")
    engine.upsert([changed], {changed.key: enc.encode_documents([changed.full_text])[0]})
    assert ids(match_for(engine, "need", "2", k=1)) == ["12"]
    assert len(engine.collections["need"]) == 3


def test_free_text_over_both_kinds(engine):
    result = search_text(engine, TinyEncoder(), "布面疵点检测", k=4)
    kinds = {m.kind for m in result.matches}
    assert kinds == {"need", "offering"}
    assert result.matches[0].id in {"1", "10", "13"}


def test_reasons(engine):
    top = match_for(engine, "need", "1", k=1, filters=Filters(max_budget=100.0)).matches[0]
    assert top.id == "10"
    reasons = top.reasons
    levels = {s.level: s for s in reasons.shared}
    assert levels["category"].code == "vision" and levels["category"].inferred
    assert "疵点" in reasons.sentence_pair.query_sentence
    assert "疵点" in reasons.sentence_pair.match_sentence
    assert 0 < reasons.sentence_pair.similarity <= 1
    (kpi,) = reasons.kpis
    assert kpi.metric == "漏检率" and kpi.achieved.value == 0.5 and kpi.meets_target is True


def test_fallback_without_encoder():
    engine = build(None)
    result = match_for(engine, "need", "2", k=2)
    assert ids(result)[0] == "11"
    assert not result.dense_available and ENCODER_UNAVAILABLE in result.notices
    assert "dense" not in result.matches[0].components


@pytest.mark.parametrize(
    "filters",
    [
        Filters(statuses=frozenset({"published"})),
        Filters(industries=frozenset({"化工"}), towns=frozenset({"益农镇"})),
        Filters(min_budget=25.0, max_budget=60.0, deployment=frozenset({"on_prem"})),
    ],
)
def test_vectorised_filters_agree_with_the_rule(engine, filters):
    for col in engine.collections.values():
        mask = col.allowed(filters)
        assert mask.tolist() == [filters.accepts(d) for d in col.docs]


def test_filters_inside_an_hnsw_search():
    enc = TinyEncoder()
    docs = NEEDS + OFFERINGS
    vecs = enc.encode_documents([d.full_text for d in docs])
    engine = SearchEngine.build(
        docs, {d.key: v for d, v in zip(docs, vecs, strict=True)}, TEMPLATES, enc, hnsw_threshold=2
    )
    engine.candidates = 2  # fewer candidates than documents: the filter must act inside
    engine.calibration_path = None  # mechanics only, no calibrated floor
    assert engine.collections["offering"].dense.is_hnsw
    filters = Filters(statuses=frozenset({"published"}), deployment=frozenset({"cloud"}))
    result = match_for(engine, "need", "1", k=2, filters=filters)
    assert len(result.matches) == 2
    assert set(ids(result)) <= {"11", "12", "13"} and "13" in ids(result)


def test_empty_index_answers_with_nothing():
    engine = SearchEngine.build([], None, [], None)
    assert search_text(engine, None, "布面疵点", k=5).matches == []
    assert match_for(engine, "need", "1") is None


@pytest.mark.parametrize("hnsw_threshold", [50_000, 2])
@pytest.mark.parametrize("candidates", [200, 2])
@pytest.mark.parametrize("calibrated", [False, True])
def test_match_many_equals_match_for_one_by_one(hnsw_threshold, candidates, calibrated):
    """The batched ranking (one mask, one index search for all queries) gives each document
    exactly the matches `match_for` gives it, scores included, with candidates scarce or not."""
    from matchmaker.search.core.matching import match_many

    enc = TinyEncoder()
    docs = NEEDS + OFFERINGS
    vecs = enc.encode_documents([d.full_text for d in docs])
    engine = SearchEngine.build(
        docs, {d.key: v for d, v in zip(docs, vecs, strict=True)}, TEMPLATES, enc,
        hnsw_threshold=hnsw_threshold,
    )  # fmt: skip
    engine.candidates = candidates
    if not calibrated:
        engine.calibration_path = None
    filters = Filters(statuses=frozenset({"published"}))
    for kind, wanted in (("need", ["1", "2", "3", "404"]), ("offering", ["10", "11", "14"])):
        batched = match_many(engine, kind, wanted, k=3, filters=filters, floor=False)
        assert "404" not in batched
        for doc_id in wanted:
            single = match_for(engine, kind, doc_id, 3, filters, with_reasons=False, floor=False)
            if single is None:
                continue
            got = batched[doc_id]
            assert [(m.id, m.score, m.components) for m in got.matches] == [
                (m.id, m.score, m.components) for m in single.matches
            ]
            assert got.dense_available == single.dense_available


def _varied(kind: str, first: int, n: int, seed: int) -> list[Document]:
    """`n` documents cut from a few bases, with exact copies among them (ties in every score)."""
    import numpy as np

    from .test_duplicate_candidates import BASES, TAILS

    rng = np.random.default_rng(seed)
    docs = []
    for i in range(n):
        base = BASES[rng.integers(len(BASES))]
        text = base[: int(rng.integers(len(base) // 2, len(base) + 1))]
        if rng.random() < 0.7:
            text += TAILS[rng.integers(len(TAILS))]
        docs.append(Document(kind, str(first + i), f"标题{i % 7}", text, status="published"))
    return docs


@pytest.mark.parametrize("budget", [150_000, 40])
@pytest.mark.parametrize("calibrated", [False, True])
def test_match_many_equals_match_for_with_many_documents_a_tail_and_a_budget(
    budget, calibrated, monkeypatch
):
    """Blocks of queries, scarce candidates among tied copies, postings budgets that leave
    terms out, and rows appended since the last compaction (the lexical tail): the batched
    ranking still gives every need exactly what `match_for` gives it."""
    from matchmaker.search.core import engine as engine_module
    from matchmaker.search.core.matching import match_many

    monkeypatch.setattr(engine_module, "POSTINGS_BUDGET", budget)
    monkeypatch.setattr(engine_module, "RANK_BLOCK", 7)
    enc = TinyEncoder()
    needs, offerings = _varied("need", 1, 30, 1), _varied("offering", 100, 60, 2)
    later = _varied("offering", 200, 15, 3) + _varied("offering", 100, 5, 4)  # new and changed
    docs = needs + offerings

    def vectors(group):
        encoded = enc.encode_documents([d.full_text for d in group])
        return {d.key: v for d, v in zip(group, encoded, strict=True)}

    engine = SearchEngine.build(docs, vectors(docs), TEMPLATES, enc)
    rows = engine.collections["offering"].lexical
    rows.compact()  # the built rows in the main matrix, the later ones in the tail
    engine.upsert(later, vectors(later))
    assert rows._main.shape[0] == len(offerings) and rows._tail.shape[0] == len(later)
    engine.candidates = 12
    if not calibrated:
        engine.calibration_path = None
    wanted = [d.id for d in needs]
    batched = match_many(engine, "need", wanted, k=8, floor=False)
    for doc_id in wanted:
        single = match_for(engine, "need", doc_id, 8, None, with_reasons=False, floor=False)
        assert [(m.id, m.score, m.components) for m in batched[doc_id].matches] == [
            (m.id, m.score, m.components) for m in single.matches
        ]


def test_match_many_makes_one_index_search_and_no_per_query_lexical_scan(monkeypatch):
    """The batched ranking never falls back to the per-query paths: one dense search for all
    the queries, and the lexical scores in one product per block."""
    from matchmaker.search.core.matching import match_many
    from tests.search_wiring import count_index_calls

    enc = TinyEncoder()
    docs = _varied("need", 1, 40, 5) + _varied("offering", 100, 30, 6)
    encoded = enc.encode_documents([d.full_text for d in docs])
    engine = SearchEngine.build(
        docs, {d.key: v for d, v in zip(docs, encoded, strict=True)}, TEMPLATES, enc
    )
    calls = count_index_calls(
        monkeypatch, "search", "search_many", "scores", "exact", "scores_many"
    )
    found = match_many(engine, "need", [str(i) for i in range(1, 41)], k=5, floor=False)
    assert len(found) == 40
    assert calls == {"search": 0, "search_many": 1, "scores": 0, "exact": 0, "scores_many": 1}
