"""The template-space profile in the product's own ranking path (issue 17 item 2).

Scores every need of the three judged sets through `SearchEngine` (taxonomy templates,
product encoder), fits the fusion weights on the needs with even ids of all sets together
(the `flask search eval --fit` grid and objective), reports each set's odd half, then swaps
the halves. Rankers: the shipped weights, dense + lexical + taxonomy refitted, and the same
with the profile. nDCG@10 / P@1.

    MATCHMAKER_INSTANCE=... .venv/bin/python scripts/compare_profile.py
"""

from __future__ import annotations

import json
import sys

sys.path.insert(0, "scripts")
from judged_sets import SETS, half, load_sets, name, product_scores  # noqa: E402

from matchmaker.search.core.evalset import load_evalsets  # noqa: E402
from matchmaker.search.core.evaluation import fit_weights  # noqa: E402
from matchmaker.search.core.ranking import DEFAULT_WEIGHTS  # noqa: E402


def main():
    merged = load_evalsets(SETS)
    scores = product_scores(SETS)
    per_set = load_sets()

    def objective(needs):
        def score(w):
            m = scores.evaluate(needs, w, merged.qrels)
            return m["ndcg@10"] + 1e-3 * m["mrr"]

        return score

    configs = {
        "shipped dense+lexical+taxonomy": None,
        "dense+lexical+taxonomy refit": ["dense", "lexical", "taxonomy"],
        "dense+lexical+profile": ["dense", "lexical", "profile"],
        "dense+lexical+taxonomy+profile": ["dense", "lexical", "taxonomy", "profile"],
        "profile alone": {"profile": 1.0},
    }
    for label, names in configs.items():
        row = {"ranker": label}
        for fit_parity, tag in ((0, "even→odd"), (1, "odd→even")):
            if names is None:
                w = {k: v for k, v in DEFAULT_WEIGHTS.as_dict().items() if v > 0}
            elif isinstance(names, dict):
                w = names
            else:
                w, _ = fit_weights(objective(half(merged.needs, fit_parity)), names, 0.05)
            cells = {}
            for p, es in per_set.items():
                m = scores.evaluate(half(es.needs, 1 - fit_parity), w, merged.qrels)
                cells[name(p)] = (m["ndcg@10"], m["p@1"])
            row[tag] = {"weights": w, **cells}
        print(json.dumps(row, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
