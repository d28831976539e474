"""Ranking experiments on the judged sets (issue 17): BM25 vs TF-IDF, weighted RRF, the
template-space profile. Fits weights on one half of the needs (even ids) of all sets
together and reports each set's other half, then swaps the halves.

    MATCHMAKER_INSTANCE=... .venv/bin/python scripts/compare_ranking.py
"""

from __future__ import annotations

import json
import sys
from itertools import product

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

sys.path.insert(0, "scripts")
from judged_sets import SETS, TAXONOMY, half, product_encoder  # noqa: E402
from judged_sets import name as set_name  # noqa: E402

from matchmaker.search.app.eval_command import load_templates  # noqa: E402
from matchmaker.search.core.evalset import ComponentScores, load_evalset  # noqa: E402
from matchmaker.search.core.evaluation import mean_metrics  # noqa: E402
from matchmaker.search.core.lexical import normalise  # noqa: E402
from matchmaker.search.core.ranking import minmax  # noqa: E402


def bm25(needs, offerings, k1=1.2, b=0.75):
    vec = CountVectorizer(analyzer="char", ngram_range=(1, 2), preprocessor=normalise)
    docs = vec.fit_transform([o.full_text for o in offerings]).astype(np.float64)
    n = docs.shape[0]
    df = np.asarray((docs > 0).sum(axis=0)).ravel()
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    dl = np.asarray(docs.sum(axis=1)).ravel()
    docs = docs.tocsr()
    denom = k1 * (1 - b + b * dl / dl.mean())
    data = docs.data.copy()
    rows = np.repeat(np.arange(n), np.diff(docs.indptr))
    docs.data = data * (k1 + 1) / (data + denom[rows])
    q = vec.transform([x.full_text for x in needs])
    q.data = np.ones_like(q.data, dtype=np.float64)
    q = q.multiply(idf).tocsr()
    return (q @ docs.T).toarray()


def profile(vectors, tvecs, temperature):
    sims = vectors @ tvecs.T
    p = np.exp((sims - sims.max(axis=1, keepdims=True)) / temperature)
    p /= p.sum(axis=1, keepdims=True)
    return p / np.linalg.norm(p, axis=1, keepdims=True)


def collect(path, encoder, templates, tvecs):
    es = load_evalset(path)
    cs = ComponentScores(es, encoder, [])
    ids = cs.offering_ids
    order = [ids.index(o.id) for o in es.offerings]
    comps = {n.id: {k: v[order] for k, v in cs.scores[n.id].items()} for n in es.needs}
    b = bm25(es.needs, es.offerings)
    ov = encoder.encode_documents([o.full_text for o in es.offerings])
    nvp = encoder.encode_documents([n.full_text for n in es.needs])
    for t in (0.01, 0.02, 0.05):
        pn, po = profile(nvp, tvecs, t), profile(ov, tvecs, t)
        prof = pn @ po.T
        for i, n in enumerate(es.needs):
            comps[n.id][f"profile{t}"] = prof[i]
    for i, n in enumerate(es.needs):
        comps[n.id]["bm25"] = b[i]
    return es, [o.id for o in es.offerings], comps


def rank(comps, weights, fusion="minmax", k=60):
    total = 0
    for name, w in weights.items():
        if w <= 0:
            continue
        v = comps[name]
        if fusion == "minmax":
            total = total + w * minmax(v)
        else:
            r = np.empty(len(v))
            r[np.argsort(-v, kind="stable")] = np.arange(1, len(v) + 1)
            total = total + w / (k + r)
    return np.argsort(-total, kind="stable")


def score(data, weights, parity, fusion="minmax"):
    out = {}
    for path, (es, ids, comps) in data.items():
        needs = half(es.needs, parity) if parity is not None else es.needs
        rankings = {n.id: [ids[i] for i in rank(comps[n.id], weights, fusion)] for n in needs}
        out[path] = mean_metrics(rankings, es.qrels)
    return out


def grid(names, step=0.05):
    n = round(1 / step)
    for cut in product(range(n + 1), repeat=len(names) - 1):
        if sum(cut) <= n:
            yield dict(zip(names, [c / n for c in cut] + [(n - sum(cut)) / n], strict=True))


def fit(data, names, parity, fusion="minmax"):
    best, best_v = None, -1
    for w in grid(names, 0.05 if len(names) <= 3 else 0.1):
        m = score(data, w, parity, fusion)
        v = np.mean([x["ndcg@10"] for x in m.values()])
        if v > best_v + 1e-9:
            best, best_v = w, v
    return best


def main():
    import os
    import pickle

    cache = os.environ.get("COMPARE_CACHE")
    if cache and os.path.exists(cache):
        with open(cache, "rb") as fh:
            data = pickle.load(fh)  # noqa: S301 (our own scratch file)
    else:
        encoder = product_encoder()
        templates = load_templates(TAXONOMY)
        tvecs = encoder.encode_documents([t.full_text for t in templates])
        data = {p: collect(p, encoder, templates, tvecs) for p in SETS}
        if cache:
            with open(cache, "wb") as fh:
                pickle.dump(data, fh)
    configs = {
        "lexical (tfidf)": (["lexical"], "minmax"),
        "bm25": (["bm25"], "minmax"),
        "dense": (["dense"], "minmax"),
        "profile0.02": (["profile0.02"], "minmax"),
        "hybrid shipped: dense+lexical+taxonomy": (["dense", "lexical", "taxonomy"], "minmax"),
        "dense+lexical": (["dense", "lexical"], "minmax"),
        "dense+bm25": (["dense", "bm25"], "minmax"),
        "dense+lexical RRF weighted": (["dense", "lexical"], "rrf"),
        "dense+bm25+taxonomy": (["dense", "bm25", "taxonomy"], "minmax"),
        "dense+lexical+profile0.01": (["dense", "lexical", "profile0.01"], "minmax"),
        "dense+lexical+profile0.02": (["dense", "lexical", "profile0.02"], "minmax"),
        "dense+lexical+profile0.05": (["dense", "lexical", "profile0.05"], "minmax"),
        "dense+bm25+profile0.02": (["dense", "bm25", "profile0.02"], "minmax"),
        "dense+lexical+bm25": (["dense", "lexical", "bm25"], "minmax"),
        "dense+lexical+taxonomy+profile0.02": (
            ["dense", "lexical", "taxonomy", "profile0.02"], "minmax"),
    }  # fmt: skip
    rows = []
    for label, (names, fusion) in configs.items():
        row = {"ranker": label}
        for fit_parity, rep_parity, tag in ((0, 1, "even→odd"), (1, 0, "odd→even")):
            w = fit(data, names, fit_parity, fusion) if len(names) > 1 else {names[0]: 1.0}
            m = score(data, w, rep_parity, fusion)
            row[tag] = {
                "weights": w,
                **{set_name(p): (m[p]["ndcg@10"], m[p]["p@1"]) for p in SETS},
            }
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
