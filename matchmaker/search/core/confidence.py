"""Calibrated match probability: logistic regression over raw AND normalised components.

Min-max-normalised scores alone cannot tell a good match from the best of a bad lot: the
query "xxxx" gets a top result at 1.0 whatever it matched. The raw scores (dense cosine,
lexical cosine, taxonomy agreement, template-space profile) say how close the pair really is; the normalised ones
say how it stands among the candidates. A logistic regression over both, fitted on the
judged sets (`flask search calibrate`), turns them into the probability that the pair is
relevant, shown as a band:

    high   (高度匹配)  probability ≥ BANDS["high"]
    medium (较匹配)    probability ≥ BANDS["medium"]
    low    (可能相关)  probability ≥ BANDS["low"]  (the floor: below it nothing is recommended)

Three models are stored: "text" (free text, encoded as a query), "stored" (a stored
document's own vector, encoded as a passage: its cosines run higher) and "fallback"
(lexical + taxonomy only, used without an encoder and whenever the file was fitted with
another encoder than the one running). Every coefficient is ≥ 0, so the probability never
falls when a component score rises.

The fitted file (`calibration.json` beside this module) records the encoder fingerprint;
a mismatch is logged once and the encoder-free "fallback" model is used.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .ranking import minmax

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
DEFAULT_PATH = os.path.join(os.path.dirname(__file__), "calibration.json")
BAND_CODES = ("high", "medium", "low")
# Thresholds on the probability (chosen from the held-out reliability, README "Matching quality").
BANDS = {"high": 0.50, "medium": 0.25, "low": 0.10}
MODES = ("text", "stored", "fallback")
RAW = ("dense", "lexical", "taxonomy", "profile")


def features_for(mode: str) -> tuple[str, ...]:
    """Feature names of a model: raw scores, min-max-normalised dense and lexical ("_mm")
    and their products ("_x" = raw × normalised: the best of the candidates counts only as
    much as it is close in absolute terms; without it, the best of a bad lot of a nonsense
    query scored like a real need's best match)."""
    if mode == "fallback":
        return ("lexical", "taxonomy", "lexical_mm", "lexical_x")
    return ("dense", "lexical", "taxonomy", "profile", "dense_mm", "lexical_mm", "profile_mm",
            "dense_x", "lexical_x", "profile_x")  # fmt: skip


def feature_matrix(components: Mapping[str, np.ndarray], names: Sequence[str]) -> np.ndarray:
    """(n candidates, n features) from the raw component scores of one ranking."""
    n = len(next(iter(components.values()))) if components else 0
    cols = []
    for name in names:
        base = name.removesuffix("_mm").removesuffix("_x")
        values = np.asarray(components.get(base, np.zeros(n)), dtype=np.float64)
        if name.endswith("_mm"):
            values = minmax(values)
        elif name.endswith("_x"):
            values = values * minmax(values)
        cols.append(values)
    return np.column_stack(cols) if cols else np.zeros((n, 0))


@dataclass(frozen=True)
class Model:
    features: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float

    def predict(self, components: Mapping[str, np.ndarray]) -> np.ndarray:
        return self.predict_matrix(feature_matrix(components, self.features))

    def predict_matrix(self, x: np.ndarray) -> np.ndarray:
        z = x @ np.asarray(self.coef) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def as_dict(self) -> dict:
        return {"features": list(self.features), "coef": list(self.coef),
                "intercept": self.intercept}  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping) -> Model:
        features = tuple(data["features"])
        coef = tuple(float(c) for c in data["coef"])
        if len(coef) != len(features):
            raise ValueError("calibration: one coefficient per feature")
        return cls(features, coef, float(data["intercept"]))


@dataclass
class Calibration:
    encoder: str | None
    models: dict[str, Model]
    bands: dict[str, float] = field(default_factory=lambda: dict(BANDS))
    report: dict = field(default_factory=dict)
    _warned: bool = False

    def model_for(self, mode: str, encoder: str | None, dense_used: bool) -> Model | None:
        """The model to use; the encoder-free one when dense is off or the encoder differs."""
        if dense_used and encoder is not None and encoder != self.encoder:
            if not self._warned:
                log.warning(
                    "calibration was fitted with encoder %s, running %s: using the "
                    "lexical-only calibration; run `flask search calibrate`",
                    self.encoder, encoder,
                )  # fmt: skip
                self._warned = True
            dense_used = False
        return self.models.get(mode if dense_used else "fallback")

    def probabilities(
        self, components: Mapping[str, np.ndarray], mode: str, encoder: str | None,
        dense_used: bool,
    ) -> np.ndarray:  # fmt: skip
        model = self.model_for(mode, encoder, dense_used)
        if model is None:
            return np.zeros(len(next(iter(components.values()), [])))
        return model.predict(components)

    def band(self, probability: float) -> str | None:
        for code in BAND_CODES:
            if probability >= self.bands[code]:
                return code
        return None

    @property
    def floor(self) -> float:
        return self.bands["low"]

    def as_dict(self) -> dict:
        return {
            "version": FORMAT_VERSION,
            "encoder": self.encoder,
            "bands": self.bands,
            "models": {mode: m.as_dict() for mode, m in self.models.items()},
            "report": self.report,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Calibration:
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"calibration file version {data.get('version')!r} unsupported")
        bands = {code: float(data["bands"][code]) for code in BAND_CODES}
        if not bands["high"] >= bands["medium"] >= bands["low"] > 0:
            raise ValueError("calibration bands must satisfy high ≥ medium ≥ low > 0")
        models = {mode: Model.from_dict(m) for mode, m in data["models"].items()}
        return cls(data.get("encoder"), models, bands, dict(data.get("report", {})))

    def save(self, path: str = DEFAULT_PATH) -> None:
        tmp = f"{path}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(self.as_dict(), fh, ensure_ascii=False, indent=1, sort_keys=True)
            fh.write("\n")
        os.replace(tmp, path)


_cache: dict[str, Calibration] = {}


def load(path: str = DEFAULT_PATH) -> Calibration:
    """The stored calibration (cached per path)."""
    found = _cache.get(path)
    if found is None:
        with open(path, encoding="utf-8") as fh:
            found = _cache[path] = Calibration.from_dict(json.load(fh))
    return found


def clear_cache() -> None:
    _cache.clear()


def fit_model(x: np.ndarray, y: np.ndarray, features: Sequence[str], c: float = 1.0) -> Model:
    """Logistic regression with every coefficient ≥ 0 (monotone in each score): a feature
    whose coefficient comes out negative is dropped (coefficient 0) and the rest refitted.

    Fitted on standardised features (e5 cosines are compressed into ~0.75–0.9: unscaled,
    the regularisation kept their coefficient too small to matter) and stored in raw units."""
    from sklearn.linear_model import LogisticRegression

    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std < 1e-12] = 1.0
    z = (x - mean) / std
    keep = list(range(x.shape[1]))
    while True:
        lr = LogisticRegression(C=c, max_iter=5000)
        lr.fit(z[:, keep], y)
        coef = lr.coef_[0]
        if (coef >= 0).all() or len(keep) == 1:
            break
        keep = [k for k, w in zip(keep, coef, strict=True) if w > 0] or keep[:1]
    scaled = np.zeros(x.shape[1])
    scaled[keep] = np.maximum(coef, 0)
    raw = scaled / std
    intercept = float(lr.intercept_[0]) - float(raw @ mean)
    return Model(tuple(features), tuple(round(float(v), 6) for v in raw), round(intercept, 6))
