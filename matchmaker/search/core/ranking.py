"""Fusion: a weighted sum of min-max-normalised component scores.

Weighted min-max fusion beat reciprocal-rank fusion on this kind of set (SEARCH-MODELS.md).
The weights below were FITTED on the fitting half of `tests/data/devset.json` and
`tests/data/devset_hard.json` together (needs with even numbers) by `flask search eval
tests/data/devset.json tests/data/devset_hard.json --fit`, and reported on the other half;
see README "Matching quality". Refit them whenever the encoder or the sets change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .collection import TaxCodes

COMPONENTS = ("dense", "lexical", "taxonomy", "profile")
# How much each shared taxonomy level contributes to the taxonomy agreement score.
LEVEL_WEIGHTS = {"template": 0.3, "category": 0.5, "industry": 0.2}


@dataclass(frozen=True)
class Weights:
    dense: float
    lexical: float
    taxonomy: float
    profile: float = 0.0  # template-space profile (`profile.py`); needs the dense vectors

    def as_dict(self) -> dict[str, float]:
        return {"dense": self.dense, "lexical": self.lexical, "taxonomy": self.taxonomy,
                "profile": self.profile}  # fmt: skip

    def without_dense(self) -> Weights:
        total = self.lexical + self.taxonomy
        if total <= 0:
            return Weights(0.0, 1.0, 0.0)
        return Weights(0.0, self.lexical / total, self.taxonomy / total)


# Fitted on the fitting half of both dev sets (54 needs with even ids, each ranked against
# its own set's offerings: 80 and 95; grid step 0.05, objective nDCG@10) with the product
# encoder (multilingual-e5-small, int8, through `flask search model build`), see README
# "Matching quality":
#   flask --app wsgi search eval tests/data/devset.json tests/data/devset_hard.json --fit \
#       --templates tests/data/dev_templates.json
# FALLBACK_WEIGHTS is the same fit with dense switched off (used when the encoder is
# unavailable; `flask search eval FILE --encoder none --fit` reproduces it).
# With the template-space profile (issue 17 item 2) refitted on the even needs of all three
# sets (`scripts/compare_profile.py`, taxonomy.json's 104 templates; the odd-half fit gave
# 0.20 / 0.10 / 0.15 / 0.55); dense + lexical + taxonomy alone was 0.50 / 0.40 / 0.10.
DEFAULT_WEIGHTS = Weights(dense=0.40, lexical=0.15, taxonomy=0.05, profile=0.40)
FALLBACK_WEIGHTS = Weights(dense=0.0, lexical=0.85, taxonomy=0.15)


def minmax(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return values
    low, high = values.min(), values.max()
    if high - low <= 1e-12:
        return np.zeros_like(values)
    return (values - low) / (high - low)


def fuse(components: dict[str, np.ndarray], weights: Weights) -> np.ndarray:
    """Weighted sum of the min-max-normalised components present in `components`."""
    w = weights.as_dict()
    total = None
    for name, values in components.items():
        part = w.get(name, 0.0) * minmax(values)
        total = part if total is None else total + part
    return total if total is not None else np.zeros(0)


def taxonomy_scores(query: TaxCodes, columns: dict[str, np.ndarray], positions) -> np.ndarray:
    """Agreement of the query's codes with each candidate's, weighted by level."""
    score = np.zeros(len(positions), dtype=np.float64)
    for level, weight in LEVEL_WEIGHTS.items():
        code = getattr(query, level)
        if code:
            score += weight * (columns[f"tax_{level}"][positions] == code)
    return score
