"""Expert review arithmetic: weighted rubric totals, panel aggregation, ranking, disagreement.

Pure functions over plain numbers. A rubric is a list of `Criterion(code, weight, max_score)`;
an expert's sheet maps criterion code → score. An expert's total is the weighted sum of each
score as a share of its maximum, so totals run 0–100 when the weights add up to 100.
With ≥ 5 experts the panel score is a trimmed mean (the highest and the lowest total dropped),
otherwise the plain mean. Ties are broken by the panel's mean on the tie-break criterion
(指标承诺), then by application id for a stable order.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

TRIM_FROM = 5
DEFAULT_SPREAD_FLAG = 20.0


@dataclass(frozen=True)
class Criterion:
    code: str
    weight: float
    max_score: float = 10.0


@dataclass(frozen=True)
class PanelResult:
    application_id: int
    score: float
    totals: tuple[float, ...]
    tie_break: float
    spread: float
    flagged: bool
    trimmed: bool


def validate_sheet(rubric: Sequence[Criterion], sheet: Mapping[str, float]) -> dict[str, str]:
    """Per-criterion problems of one expert's sheet (missing or out of range)."""
    problems = {}
    for criterion in rubric:
        value = sheet.get(criterion.code)
        if value is None:
            problems[criterion.code] = "missing"
        elif not 0 <= value <= criterion.max_score:
            problems[criterion.code] = "out_of_range"
    return problems


def sheet_total(rubric: Sequence[Criterion], sheet: Mapping[str, float]) -> float:
    return sum(c.weight * sheet[c.code] / c.max_score for c in rubric)


def panel_score(totals: Sequence[float]) -> tuple[float, bool]:
    """(score, trimmed?) — trimmed mean from TRIM_FROM experts on, plain mean below."""
    if not totals:
        raise ValueError("no scores")
    ordered = sorted(totals)
    if len(ordered) >= TRIM_FROM:
        return statistics.fmean(ordered[1:-1]), True
    return statistics.fmean(ordered), False


def rank(
    rubric: Sequence[Criterion],
    sheets: Mapping[int, Sequence[Mapping[str, float]]],
    tie_break: str,
    spread_flag: float = DEFAULT_SPREAD_FLAG,
) -> list[PanelResult]:
    """Rank applications (id → the submitted sheets of its panel), best first."""
    results = []
    for application_id, panel in sheets.items():
        totals = tuple(round(sheet_total(rubric, s), 4) for s in panel)
        score, trimmed = panel_score(totals)
        tie = statistics.fmean(s[tie_break] for s in panel)
        spread = max(totals) - min(totals)
        results.append(
            PanelResult(
                application_id,
                round(score, 2),
                totals,
                tie,
                round(spread, 2),
                spread >= spread_flag,
                trimmed,
            )
        )
    return sorted(results, key=lambda r: (-r.score, -r.tie_break, r.application_id))
