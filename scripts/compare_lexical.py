"""Lexical tokenisations and weightings compared on a judged set: character 1–2-grams
(the product's, TF-IDF with sublinear tf), raw tf, 1–3-grams, pairs only, BM25 over
character 1–2-grams (k1 1.2, b 0.75), and jieba words.

A measuring tool (jieba is not a project dependency: `pip install jieba` to include it).
Each TF-IDF ranker is the cosine of a need with each offering.

    .venv/bin/python scripts/compare_lexical.py tests/data/devset.json
    .venv/bin/python scripts/compare_lexical.py tests/data/devset_hard.json
"""

from __future__ import annotations

import os
import sys

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from matchmaker.search.core.evalset import load_evalset  # noqa: E402
from matchmaker.search.core.evaluation import mean_metrics  # noqa: E402
from matchmaker.search.core.lexical import normalise  # noqa: E402


class CharBM25:
    """BM25 over character 1–2-grams: offering rows hold the BM25 term weights, a need is
    the set of its terms, so `need @ offerings.T` is the BM25 score."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.counts = CountVectorizer(analyzer="char", ngram_range=(1, 2), preprocessor=normalise)

    def fit_transform(self, texts):
        tf = self.counts.fit_transform(texts).tocoo().astype(np.float64)
        n_docs = tf.shape[0]
        df = np.bincount(tf.col, minlength=tf.shape[1])
        idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5))
        length = np.asarray(tf.sum(axis=1)).ravel()
        norm = 1 - self.b + self.b * length[tf.row] / length.mean()
        weights = tf.data * (self.k1 + 1) / (tf.data + self.k1 * norm) * idf[tf.col]
        return sp.csr_matrix((weights, (tf.row, tf.col)), shape=tf.shape)

    def transform(self, texts):
        return (self.counts.transform(texts) > 0).astype(np.float64)


def vectorizers() -> dict:
    common = {"sublinear_tf": True, "preprocessor": normalise}
    out = {
        "char 1-2-grams": TfidfVectorizer(analyzer="char", ngram_range=(1, 2), **common),
        "char 1-2 raw tf": TfidfVectorizer(
            analyzer="char", ngram_range=(1, 2), preprocessor=normalise
        ),
        "char 1-3-grams": TfidfVectorizer(analyzer="char", ngram_range=(1, 3), **common),
        "char 2-grams": TfidfVectorizer(analyzer="char", ngram_range=(2, 2), **common),
        "char 1-2 BM25": CharBM25(),
    }
    try:
        import jieba
    except ImportError:
        print("(jieba not installed: jieba words skipped)")
        return out
    jieba.setLogLevel(60)

    def words(text: str) -> list[str]:
        return [w for w in jieba.lcut(normalise(text)) if w.strip()]

    out["jieba words"] = TfidfVectorizer(analyzer=words, sublinear_tf=True)
    return out


def main(path: str) -> None:
    evalset = load_evalset(path)
    ids = [o.id for o in evalset.offerings]
    halves = {h: evalset.half(h) for h in ("fit", "report", "all")}
    print(f"{'tokens':<16}{'half':<8}{'P@1':>7}{'nDCG@10':>9}")
    for name, vec in vectorizers().items():
        docs = vec.fit_transform([o.full_text for o in evalset.offerings])
        for half, needs in halves.items():
            queries = vec.transform([n.full_text for n in needs])
            sims = (queries @ docs.T).toarray()
            rankings = {
                n.id: [ids[i] for i in np.argsort(-sims[row], kind="stable")]
                for row, n in enumerate(needs)
            }
            m = mean_metrics(rankings, evalset.qrels)
            print(f"{name:<16}{half:<8}{m['p@1']:>7.3f}{m['ndcg@10']:>9.3f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/data/devset.json")
