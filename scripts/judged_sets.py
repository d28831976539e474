"""What the `compare_*.py` scripts share: the judged sets, their halves, the templates and
the product's component scores (cached between runs in COMPARE_CACHE when it is set)."""

from __future__ import annotations

import os
import pickle
import sys

sys.path.insert(0, ".")
from matchmaker.search.core.evalset import (  # noqa: E402
    ComponentScores,
    EvalSet,
    load_evalset,
    load_evalsets,
    parity_half,
)

SETS = ["tests/data/devset.json", "tests/data/devset_hard.json", "tests/data/devset_plant.json"]
# Queries in real-world wording ranked against the 104 templates (`probe_wording.json`)
PROBE = "tests/data/probe_wording.json"
TAXONOMY = "matchmaker/scenarios/data/taxonomy.json"
HALVES = ((0, 1, "even→odd"), (1, 0, "odd→even"))  # (fit parity, report parity, label)


def load_sets(paths=SETS) -> dict[str, EvalSet]:
    return {p: load_evalset(p) for p in paths}


def half(needs, parity: int) -> list:
    """Needs with even (0) or odd (1) numbers in their ids."""
    return parity_half(needs, parity)


def name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def product_encoder():
    """The configured encoder, as the app loads it."""
    from matchmaker import create_app
    from matchmaker.search.core.runtime import get_encoder

    app = create_app()
    with app.app_context():
        return get_encoder(app.config)


def product_scores(paths, encoder_factory=product_encoder, cache_name=None) -> ComponentScores:
    """Every component score of every need of `paths` (one set, each need ranked against its
    own file's offerings) through `SearchEngine` with the taxonomy's 104 templates; the
    encoder (`encoder_factory()`, None: lexical and taxonomy only) loads only without a cache."""
    from matchmaker.search.app.eval_command import load_templates

    cache = os.environ.get("COMPARE_CACHE")
    if cache and cache_name:
        cache = f"{cache}.{cache_name}"
    if cache and os.path.exists(cache):
        with open(cache, "rb") as fh:
            return pickle.load(fh)  # noqa: S301 (our own scratch file)
    scores = ComponentScores(
        load_evalsets(list(paths)), encoder_factory(), load_templates(TAXONOMY)
    )
    scores.engine = None  # not picklable with its FAISS indexes; not needed afterwards
    if cache:
        with open(cache, "wb") as fh:
            pickle.dump(scores, fh)
    return scores
