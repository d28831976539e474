import numpy as np

from matchmaker.search.core.lexical import LexicalModel, LexicalRows

CORPUS = ["布面疵点自动检测", "离心泵振动监测 预测故障", "门店销量预测，减少断货", "Ab  Cd，。x"]


def test_fast_transform_equals_sklearn():
    model = LexicalModel.fit(CORPUS)
    texts = CORPUS + ["疵点检测和振动预测", "未见过的字"]
    fast = model.transform(texts).toarray()
    reference = model.vectorizer.transform(texts).toarray()
    np.testing.assert_allclose(fast, reference, atol=1e-6)


def test_rows_score_by_cosine_including_appended_tail():
    model = LexicalModel.fit(CORPUS)
    rows = LexicalRows(model.n_terms, model.transform(CORPUS[:2]))
    rows.append(model.transform(CORPUS[2:]))
    scores = rows.scores(model.transform(["门店销量预测"]))
    assert scores.argmax() == 2 and len(scores) == 4
    assert np.isclose(rows.scores(model.transform([CORPUS[0]]))[0], 1.0, atol=1e-5)


def test_rows_in_order_across_main_and_tail_and_exact_scores():
    model = LexicalModel.fit(CORPUS)
    rows = LexicalRows(model.n_terms, model.transform(CORPUS[:2]))
    rows.append(model.transform(CORPUS[2:]))
    picked = rows.rows([3, 0, 2]).toarray()
    np.testing.assert_allclose(picked, model.transform([CORPUS[3], CORPUS[0], CORPUS[2]]).toarray())
    query = model.transform(["疵点预测"])
    np.testing.assert_allclose(rows.exact(query, [1, 0]), rows.scores(query)[[1, 0]], atol=1e-6)


def test_postings_budget_keeps_the_rarest_terms():
    model = LexicalModel.fit(CORPUS)
    rows = LexicalRows(model.n_terms, model.transform(CORPUS))
    query = model.transform(["预测 疵点"])
    full, pruned = rows.scores(query), rows.scores(query, budget=1)
    assert (pruned <= full + 1e-6).all() and pruned.max() > 0
    assert np.count_nonzero(pruned) < np.count_nonzero(full)
