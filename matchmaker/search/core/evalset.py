"""Evaluation on a judged set: needs ranked against every offering in an isolated engine.

The file holds `{"needs": [{id, title, description, industry}], "offerings": [{id, title,
description, vendor}], "qrels": {need: {offering: grade}}}`. Nothing touches the database
or the live index: offerings are encoded and indexed in memory.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .documents import Document, Template
from .encoders.base import Encoder
from .engine import Query, SearchEngine
from .evaluation import fit_weights, mean_metrics
from .ranking import COMPONENTS, Weights, fuse


@dataclass
class EvalSet:
    needs: list[Document]
    offerings: list[Document]
    qrels: dict[str, dict[str, int]]
    # need id → the ids of the offerings it is ranked against (its own file's); None: all
    pools: dict[str, frozenset[str]] | None = None

    def half(self, which: str) -> list[Document]:
        """ "fit": needs with an even number in their id, "report": odd, "all": every need."""
        if which == "all":
            return list(self.needs)
        return parity_half(self.needs, 0 if which == "fit" else 1)


def parity_half(needs: Sequence[Document], parity: int) -> list[Document]:
    """The needs whose id ends in a number of this parity (0 even, 1 odd; an id without a
    number counts by its position): the fit / report halves every comparison uses."""
    return [n for i, n in enumerate(needs) if _number(n.id, i) % 2 == parity]


def load_evalset(path: str) -> EvalSet:
    with open(path, encoding="utf-8") as fh:
        return _parse(json.load(fh))


def load_evalsets(paths: Sequence[str]) -> EvalSet:
    """Several judged sets as one: their needs, offerings and judgements side by side
    (ids must not repeat across the files). Each need is still ranked against its own
    file's offerings only: pairs across files were never judged."""
    sets = [load_evalset(p) for p in paths]
    if len(sets) == 1:
        return sets[0]
    merged = EvalSet(
        [n for s in sets for n in s.needs],
        [o for s in sets for o in s.offerings],
        {q: rel for s in sets for q, rel in s.qrels.items()},
        {n.id: frozenset(o.id for o in s.offerings) for s in sets for n in s.needs},
    )
    for kind, docs in (("need", merged.needs), ("offering", merged.offerings)):
        ids = [d.id for d in docs]
        if len(set(ids)) != len(ids):
            raise ValueError(f"{kind} ids repeat across the files")
    return merged


def _parse(data: dict) -> EvalSet:
    needs = [
        Document("need", str(n["id"]), n.get("title", ""), n.get("description", ""),
                 industry=n.get("industry") or None)
        for n in data["needs"]
    ]  # fmt: skip
    offerings = [
        Document("offering", str(o["id"]), o.get("title", ""), o.get("description", ""))
        for o in data["offerings"]
    ]
    qrels = {str(q): {str(d): int(g) for d, g in rel.items()} for q, rel in data["qrels"].items()}
    return EvalSet(needs, offerings, qrels)


class ComponentScores:
    """Every component's raw score of every offering, for every need of the set."""

    def __init__(self, evalset: EvalSet, encoder: Encoder | None, templates: Sequence[Template]):
        vectors = None
        if encoder is not None:
            texts = [d.full_text for d in evalset.offerings]
            encoded = encoder.encode_documents(texts)
            vectors = {d.key: v for d, v in zip(evalset.offerings, encoded, strict=True)}
        self.engine = SearchEngine.build(evalset.offerings, vectors, templates, encoder)
        self.engine.candidates = max(1, len(evalset.offerings))
        self.engine.calibration_path = None  # metrics need only the components
        self.offering_ids = [d.id for d in self.engine.collections["offering"].docs]
        self.scores = {n.id: self._score(n, encoder) for n in evalset.needs}
        self.pools = {
            n.id: np.array([i for i, o in enumerate(self.offering_ids) if o in pool])
            for n in evalset.needs
            if (pool := (evalset.pools or {}).get(n.id)) is not None
        }

    def _score(self, need: Document, encoder: Encoder | None) -> dict[str, np.ndarray]:
        text = need.full_text
        query = self.engine.text_query(text, encoder)
        taxonomy = self.engine.classifier.infer_many(
            [need], query.lexical, None if query.vector is None else query.vector[None, :]
        )[0]
        query = Query(query.vector, query.lexical, taxonomy)
        ranked = self.engine.rank("offering", query, None, len(self.offering_ids))
        order = np.argsort(ranked.positions)
        return {name: values[order] for name, values in ranked.components.items()}

    def ranking(self, need_id: str, weights: dict[str, float]) -> list[str]:
        comps, ids = self.scores[need_id], self.offering_ids
        pool = self.pools.get(need_id)
        if pool is not None:
            comps = {name: values[pool] for name, values in comps.items()}
            ids = [ids[i] for i in pool]
        fused = fuse({n: v for n, v in comps.items() if weights.get(n, 0) > 0}, Weights(
            weights.get("dense", 0.0), weights.get("lexical", 0.0), weights.get("taxonomy", 0.0),
            weights.get("profile", 0.0),
        ))  # fmt: skip
        order = np.argsort(-fused, kind="stable")
        return [ids[i] for i in order]

    def report(self, needs: Sequence[Document], weights: dict[str, float], qrels) -> dict:
        out = {"hybrid": self.evaluate(needs, weights, qrels)}
        for name in COMPONENTS:
            if name in self.available:
                out[name] = self.evaluate(needs, {name: 1.0}, qrels)
            else:
                out[name] = None
        if weights.get("taxonomy", 0) > 0 and len(weights) > 2:
            rest = {n: w for n, w in weights.items() if n != "taxonomy"}
            total = sum(rest.values()) or 1.0
            rest = {n: w / total for n, w in rest.items()}
            out["hybrid_without_taxonomy"] = self.evaluate(needs, rest, qrels)
        return out

    @property
    def available(self) -> set[str]:
        first = next(iter(self.scores.values()), {})
        return set(first)

    def evaluate(self, needs: Sequence[Document], weights: dict[str, float], qrels) -> dict:
        rankings = {n.id: self.ranking(n.id, weights) for n in needs}
        return mean_metrics(rankings, qrels)

    def fit(self, needs: Sequence[Document], qrels, step: float = 0.05):
        names = [c for c in COMPONENTS if c in self.available]

        def score(weights: dict[str, float]) -> float:
            m = self.evaluate(needs, weights, qrels)
            return m["ndcg@10"] + 1e-3 * m["mrr"]

        return fit_weights(score, names, step)


def _number(doc_id: str, index: int) -> int:
    digits = re.findall(r"\d+", doc_id)
    return int(digits[-1]) if digits else index


def evaluate(
    evalset: EvalSet,
    encoder: Encoder | None,
    templates: Sequence[Template],
    weights: dict[str, float],
    fit: bool = False,
) -> dict:
    """Metrics for hybrid and each component; with `fit`, weights fitted on the even half
    and every figure reported on the odd half (the fitting half's hybrid is kept apart)."""
    scores = ComponentScores(evalset, encoder, templates)
    needs = evalset.needs
    out: dict = {}
    if fit:
        fit_needs, needs = evalset.half("fit"), evalset.half("report")
        weights, _ = scores.fit(fit_needs, evalset.qrels)
        out["fit_half"] = scores.report(fit_needs, weights, evalset.qrels)
        out["fit_half"]["n_needs"] = len(fit_needs)
        if "dense" in scores.available:
            names = {"lexical", "taxonomy"}
            fallback = _fit_subset(scores, fit_needs, evalset.qrels, names)
            out["fallback_weights"] = fallback
    weights = {n: w for n, w in weights.items() if n in scores.available}
    out.update(scores.report(needs, weights, evalset.qrels))
    out["weights"] = weights
    out["n_needs"] = len(needs)
    out["n_offerings"] = len(evalset.offerings)
    return out


def _fit_subset(scores: ComponentScores, needs, qrels, names: set[str]) -> dict[str, float]:
    def score(weights: dict[str, float]) -> float:
        m = scores.evaluate(needs, weights, qrels)
        return m["ndcg@10"] + 1e-3 * m["mrr"]

    weights, _ = fit_weights(score, sorted(names))
    return weights
