"""The product's ranking on the four judged sets, per half, and on the wording probe per
class of wording (issue: matches on wording we have not seen).

Each set alone through `SearchEngine` (the taxonomy's 104 templates, the shipped weights),
free text encoded as an e5 query; with `--encoder none` lexical + taxonomy only (the
fallback weights). nDCG@10 / P@1 on the odd ("odd") and even ("even") needs, and on the
probe set's classes of wording (colloquial, abbreviations, typos, ...).

    MATCHMAKER_INSTANCE=... .venv/bin/python scripts/compare_wording.py [--encoder none]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict

sys.path.insert(0, "scripts")
from judged_sets import PROBE, SETS, half, name, product_encoder, product_scores  # noqa: E402

from matchmaker.search.core.ranking import DEFAULT_WEIGHTS, FALLBACK_WEIGHTS  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--encoder", choices=("configured", "none"), default="configured")
    args = parser.parse_args(argv)
    encoder = product_encoder() if args.encoder == "configured" else None
    weights = (DEFAULT_WEIGHTS if encoder is not None else FALLBACK_WEIGHTS).as_dict()
    for path in [*SETS, PROBE]:
        scores = product_scores([path], lambda: encoder)
        weights_here = {k: v for k, v in weights.items() if v > 0 and k in scores.available}
        from matchmaker.search.core.evalset import load_evalset

        es = load_evalset(path)
        row = {"set": name(path)}
        for parity, tag in ((1, "odd"), (0, "even"), (None, "all")):
            needs = es.needs if parity is None else half(es.needs, parity)
            m = scores.evaluate(needs, weights_here, es.qrels)
            row[tag] = (round(m["ndcg@10"], 3), round(m["p@1"], 2))
        if path == PROBE:
            classes = _classes(path)
            by_class = defaultdict(list)
            for n in es.needs:
                by_class[classes[n.id]].append(n)
            row["classes"] = {
                c: round(scores.evaluate(ns, weights_here, es.qrels)["ndcg@10"], 3)
                for c, ns in sorted(by_class.items())
            }
            row["misses"] = [
                (n.id, n.title[:30], scores.ranking(n.id, weights_here)[:3])
                for n in es.needs
                if scores.ranking(n.id, weights_here)[0] not in es.qrels.get(n.id, {})
            ]
        print(json.dumps(row, ensure_ascii=False), flush=True)


def _classes(path):
    with open(path, encoding="utf-8") as fh:
        return {n["id"]: n.get("class", "") for n in json.load(fh)["needs"]}


if __name__ == "__main__":
    main()
