"""Fitting the match calibration on judged sets (pure: no Flask, no database).

For every need of every set, each offering of its own file is scored by the engine exactly
as the product scores candidates (the need as free text, mode "text", and as a stored
passage, mode "stored"); pairs judged ≥ 1 are the positives. `fit_calibration` fits one
logistic regression per mode on all needs and reports held-out figures: fitted on even
needs and measured on odd ones, and the swapped halves.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import confidence
from .documents import Document, Template
from .encoders.base import Encoder
from .engine import Query, SearchEngine
from .evalset import EvalSet, load_evalset
from .evaluation import mean_metrics

NONSENSE = ("xxxx", "今天天气不错我们去公园散步", "asdf qwer")


@dataclass
class Pairs:
    set_name: str
    need_ids: list[str]
    offering_ids: list[str]
    # per need: raw components over its pool and the grades
    components: list[dict[str, np.ndarray]]
    grades: list[np.ndarray]


def _number(doc_id: str, index: int) -> int:
    digits = re.findall(r"\d+", doc_id)
    return int(digits[-1]) if digits else index


def score_pairs(
    name: str, evalset: EvalSet, encoder: Encoder | None, templates: Sequence[Template],
    mode: str, extra_queries: Sequence[str] = (),
) -> tuple[Pairs, list[dict[str, np.ndarray]]]:  # fmt: skip
    """Every offering's raw components for every need (and for `extra_queries`)."""
    vectors = None
    if encoder is not None:
        encoded = encoder.encode_documents([d.full_text for d in evalset.offerings])
        vectors = {d.key: v for d, v in zip(evalset.offerings, encoded, strict=True)}
    engine = SearchEngine.build(evalset.offerings, vectors, templates, encoder)
    engine.calibration_path = None
    engine.candidates = max(1, len(evalset.offerings))
    ids = [d.id for d in engine.collections["offering"].docs]
    comps, grades = [], []

    def run(doc: Document, as_document: bool) -> dict[str, np.ndarray]:
        query = engine.text_query(doc.full_text, encoder, as_document=as_document)
        taxonomy = engine.classifier.infer_many(
            [doc], query.lexical, None if query.vector is None else query.vector[None, :]
        )[0]
        query = Query(query.vector, query.lexical, taxonomy, mode=query.mode)
        ranked = engine.rank("offering", query, None, len(ids))
        order = np.argsort(ranked.positions)
        return {k: v[order].astype(np.float64) for k, v in ranked.components.items()}

    stored = mode == "stored"
    for need in evalset.needs:
        comps.append(run(need, stored))
        rel = evalset.qrels.get(need.id, {})
        grades.append(np.array([rel.get(o, 0) for o in ids]))
    extra = [run(Document("need", "", "", q), stored) for q in extra_queries]
    return Pairs(name, [n.id for n in evalset.needs], ids, comps, grades), extra


def _stack(pairs: Sequence[Pairs], features, parity: int | None, ablate: bool = False):
    """Feature rows and labels of the needs of one half (all: parity None). With `ablate`,
    each need also appears a second time against its pool WITHOUT its relevant offerings
    (every label 0): a need the platform cannot serve. Without these lists the best of any
    candidate set looked relevant (its normalised score is 1), nonsense queries included."""
    xs, ys = [], []
    for p in pairs:
        for i, (c, g) in enumerate(zip(p.components, p.grades, strict=True)):
            if parity is not None and _number(p.need_ids[i], i) % 2 != parity:
                continue
            xs.append(confidence.feature_matrix(c, features))
            ys.append((g >= 1).astype(int))
            if ablate and (g < 1).sum() > 1:
                rest = g < 1
                xs.append(confidence.feature_matrix({k: v[rest] for k, v in c.items()}, features))
                ys.append(np.zeros(int(rest.sum()), dtype=int))
    return np.vstack(xs), np.concatenate(ys)


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    order = np.argsort(scores, kind="stable")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    pos = labels == 1
    n_pos, n_neg = pos.sum(), (~pos).sum()
    if not n_pos or not n_neg:
        return float("nan")
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def reliability(prob: np.ndarray, labels: np.ndarray, bands: dict[str, float]) -> dict:
    """Per band (and below the floor): pairs, relevant share."""
    edges = [("high", bands["high"], 1.01), ("medium", bands["medium"], bands["high"]),
             ("low", bands["low"], bands["medium"]), ("none", -0.01, bands["low"])]  # fmt: skip
    out = {}
    for code, lo, hi in edges:
        sel = (prob >= lo) & (prob < hi)
        out[code] = {
            "pairs": int(sel.sum()),
            "relevant": int(labels[sel].sum()),
            "share": round(float(labels[sel].mean()), 3) if sel.any() else None,
        }
    return out


def ranking_quality(pairs: Pairs, model: confidence.Model, qrels, parity: int | None) -> dict:
    rankings = {}
    for i, c in enumerate(pairs.components):
        if parity is not None and _number(pairs.need_ids[i], i) % 2 != parity:
            continue
        order = np.argsort(-model.predict(c), kind="stable")
        rankings[pairs.need_ids[i]] = [pairs.offering_ids[j] for j in order]
    return mean_metrics(rankings, qrels)


def fit_calibration(
    sets: dict[str, EvalSet], encoder: Encoder | None, templates: Sequence[Template],
    bands: dict[str, float] | None = None, progress=print,
) -> confidence.Calibration:  # fmt: skip
    bands = dict(bands or confidence.BANDS)
    models, report = {}, {"sets": {}, "halves": {}, "nonsense": {}}
    modes = ("text", "stored", "fallback") if encoder is not None else ("fallback",)
    for mode in modes:
        enc = encoder if mode != "fallback" else None
        features = confidence.features_for(mode)
        scored = {n: score_pairs(n, s, enc, templates, "stored" if mode == "stored" else "text",
                                 confidence_nonsense()) for n, s in sets.items()}  # fmt: skip
        pairs = [p for p, _ in scored.values()]
        x, y = _stack(pairs, features, None, ablate=True)
        models[mode] = confidence.fit_model(x, y, features)
        progress(f"{mode}: {len(y)} pairs, {int(y.sum())} relevant, model {models[mode]}")
        halves = {}
        for fit_parity, rep_parity, tag in ((0, 1, "even→odd"), (1, 0, "odd→even")):
            xf, yf = _stack(pairs, features, fit_parity, ablate=True)
            held = confidence.fit_model(xf, yf, features)
            xr, yr = _stack(pairs, features, rep_parity)
            prob = held.predict_matrix(xr)
            per_set = {}
            for name, (p, _) in scored.items():
                xs, ys = _stack([p], features, rep_parity)
                per_set[name] = {
                    "auc": round(auc(held.predict_matrix(xs), ys), 3),
                    "ranking": ranking_quality(p, held, sets[name].qrels, rep_parity),
                }
            halves[tag] = {
                "auc": round(auc(prob, yr), 3),
                "reliability": reliability(prob, yr, bands),
                "sets": per_set,
            }
        report["halves"][mode] = halves
        report["nonsense"][mode] = {
            name: [round(float(models[mode].predict(c).max()), 3) for c in extra]
            for name, (_, extra) in scored.items()
        }
    report["sets"] = {n: {"needs": len(s.needs), "offerings": len(s.offerings)}
                      for n, s in sets.items()}  # fmt: skip
    fingerprint = encoder.fingerprint if encoder is not None else None
    return confidence.Calibration(fingerprint, models, bands, report)


def confidence_nonsense() -> tuple[str, ...]:
    return NONSENSE


def load_sets(paths: Sequence[str]) -> dict[str, EvalSet]:
    return {p.rsplit("/", 1)[-1]: load_evalset(p) for p in paths}
