"""Lexical tokenisations compared on a judged set: character 1–2-grams vs jieba words.

A measuring tool (jieba is not a project dependency: `pip install jieba` to run it).
Each ranker is TF-IDF with sublinear tf over the offerings, cosine with each need.

    .venv/bin/python scripts/compare_lexical.py tests/data/devset.json
"""

from __future__ import annotations

import os
import sys

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from matchmaker.search.evalset import load_evalset  # noqa: E402
from matchmaker.search.evaluation import mean_metrics  # noqa: E402
from matchmaker.search.lexical import normalise  # noqa: E402


def vectorizers() -> dict[str, TfidfVectorizer]:
    import jieba

    jieba.setLogLevel(60)

    def words(text: str) -> list[str]:
        return [w for w in jieba.lcut(normalise(text)) if w.strip()]

    common = {"sublinear_tf": True, "preprocessor": normalise}
    return {
        "char 1-2-grams": TfidfVectorizer(analyzer="char", ngram_range=(1, 2), **common),
        "char 2-grams": TfidfVectorizer(analyzer="char", ngram_range=(2, 2), **common),
        "jieba words": TfidfVectorizer(analyzer=words, sublinear_tf=True),
    }


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
