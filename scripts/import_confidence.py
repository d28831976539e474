"""Where the survey import's LOW_CONFIDENCE threshold comes from (dashboard/classifier.py).

The survey import classifies a row's free-text 场景 among the templates of the row's industry
only. This prints the best confidence of that classifier on three sets built from the shipped
taxonomy and the search dev set, so the threshold can be chosen between "fits" and "does not":

- fits: each template's own pain point and example wording, under its own industry
  (and whether the right template came first);
- misfits: each template's title under every other industry (a scenario its industry
  does not have, like a freeze-dryer under 汽车零部件);
- devset: the dev set's need titles (real free text) under their industry.

    .venv/bin/python scripts/import_confidence.py [--show N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from matchmaker.dashboard.classifier import LOW_CONFIDENCE  # noqa: E402
from matchmaker.search.core.classify import TemplateClassifier, confidences  # noqa: E402
from matchmaker.search.core.documents import Template  # noqa: E402
from matchmaker.search.core.lexical import LexicalModel  # noqa: E402


def load():
    with open(os.path.join(ROOT, "matchmaker/scenarios/data/taxonomy.json"), encoding="utf-8") as f:
        taxonomy = json.load(f)
    templates = [
        Template(
            t["code"],
            t["industry"],
            t["category"],
            t["title_zh"],
            t["pain_point_zh"],
            t["example_zh"],
        )  # fmt: skip
        for t in taxonomy["templates"]
    ]
    names = {i["name_zh"]: i["code"] for i in taxonomy["industries"]}
    return templates, names


def best(lexical, classifiers, industry: str, text: str) -> tuple[str, float]:
    classifier = classifiers[industry]
    shares = confidences(classifier.similarities(lexical.transform([text]), None)[0])
    return classifier.templates[int(shares.argmax())].code, float(shares.max())


def summary(label: str, values: list[float]) -> None:
    p = np.percentile(values, [5, 25, 50, 75, 95])
    low = sum(v < LOW_CONFIDENCE for v in values) / len(values)
    print(f"{label:9} n={len(values):4}  p5={p[0]:.2f} p25={p[1]:.2f} median={p[2]:.2f} "
          f"p75={p[3]:.2f} p95={p[4]:.2f} max={max(values):.2f}  "
          f"below {LOW_CONFIDENCE}: {low:.0%}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=0, help="print N dev-set rows")
    args = parser.parse_args()
    templates, names = load()
    lexical = LexicalModel.fit([t.full_text for t in templates])
    industries = sorted({t.industry for t in templates})
    classifiers = {
        code: TemplateClassifier([t for t in templates if t.industry == code], lexical)
        for code in industries
    }
    fits, right = [], 0
    for t in templates:
        for text in (t.pain_point, t.example):
            code, confidence = best(lexical, classifiers, t.industry, text)
            fits.append(confidence)
            right += code == t.code
    misfits = [
        best(lexical, classifiers, other, t.title)[1]
        for t in templates
        for other in industries
        if other != t.industry
    ]
    with open(os.path.join(ROOT, "tests/data/devset.json"), encoding="utf-8") as f:
        needs = [n for n in json.load(f)["needs"] if n.get("industry") in names]
    dev = [(n, *best(lexical, classifiers, names[n["industry"]], n["title"])) for n in needs]
    summary("fits", fits)
    print(f"          right template first: {right}/{len(fits)}")
    summary("misfits", misfits)
    summary("devset", [confidence for _n, _code, confidence in dev])
    by_code = {t.code: t.title for t in templates}
    for need, code, confidence in dev[: args.show]:
        print(f"{confidence:.2f} {need['industry']} {need['title']} → {code} {by_code[code]}")


if __name__ == "__main__":
    main()
