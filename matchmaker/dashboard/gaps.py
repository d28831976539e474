"""Supply–demand gaps: for each scenario category and template, the open needs, the offerings
capable of serving them and the needs no vendor can serve yet.

"Capable" comes from the matching engine over stored vectors: a published offering is capable
for a need when their dense (cosine) similarity reaches `CONSOLE_GAP_MIN_SIMILARITY`; when the
encoder is unavailable, the lexical cosine against `CONSOLE_GAP_MIN_LEXICAL` decides instead
(the report then carries the notice "encoder_unavailable").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..needs.hall import published_needs
from ..needs.models import Need
from ..search import service
from ..search.documents import Filters, Match

OFFERING_FILTERS = Filters(statuses=frozenset({"published"}))
CANDIDATES = 50  # offerings examined per need
SORT_KEYS = ("label", "needs", "offerings", "uncovered")
OTHER = _l("其他（无模板）")


@dataclass
class GapRow:
    key: str
    label: str
    needs: int = 0
    uncovered: int = 0
    offering_ids: set[str] = field(default_factory=set)

    @property
    def offerings(self) -> int:
        return len(self.offering_ids)


@dataclass(frozen=True)
class UncoveredNeed:
    need: Need
    best: float | None  # the best similarity found, None when the need is not indexed


@dataclass
class GapReport:
    threshold: float
    categories: list[GapRow]
    templates: list[GapRow]
    uncovered: list[UncoveredNeed]
    notices: list[str]


def _thresholds() -> tuple[float, float]:
    config = current_app.config
    return config["CONSOLE_GAP_MIN_SIMILARITY"], config["CONSOLE_GAP_MIN_LEXICAL"]


def _similarity(match: Match) -> float:
    return match.components.get("dense", match.components.get("lexical", 0.0))


def capable_offerings(need: Need) -> tuple[list[Match], list[Match], list[str]] | None:
    """(capable, all examined) matches of published offerings, and notices; None if not indexed."""
    result = service.match_for(  # below the floor too: a gap is measured by the best score
        "need", need.id, k=CANDIDATES, filters=OFFERING_FILTERS, with_reasons=False, floor=False
    )
    if result is None:
        return None
    dense, lexical = _thresholds()
    threshold = dense if result.dense_available else lexical
    capable = [m for m in result.matches if _similarity(m) >= threshold]
    return capable, result.matches, list(result.notices)


def _row(rows: dict[str, GapRow], key: str, label) -> GapRow:
    if key not in rows:
        rows[key] = GapRow(key, str(label))
    return rows[key]


def gap_report(locale: str = "zh") -> GapReport:
    """Every published need against the published offerings, grouped by category and template
    (their names in `locale`'s language)."""
    categories: dict[str, GapRow] = {}
    templates: dict[str, GapRow] = {}
    uncovered: list[UncoveredNeed] = []
    notices: set[str] = set()
    for need in published_needs():
        found = capable_offerings(need)
        capable, examined = (found[0], found[1]) if found else ([], [])
        notices.update(found[2] if found else ())
        ids = {m.id for m in capable}
        template = need.template
        groups = (
            _row(categories, need.category.code, need.category.label("name", locale)),
            _row(
                templates,
                template.code if template else "",
                template.label("title", locale) if template else OTHER,
            ),
        )
        for row in groups:
            row.needs += 1
            row.offering_ids |= ids
            row.uncovered += not ids
        if not ids:
            best = max((_similarity(m) for m in examined), default=None) if found else None
            uncovered.append(UncoveredNeed(need, best))
    return GapReport(
        threshold=_thresholds()[0],
        categories=list(categories.values()),
        templates=list(templates.values()),
        uncovered=uncovered,
        notices=sorted(notices),
    )


def sort_order(key: str | None, order: str | None) -> tuple[str, bool]:
    """A valid (sort key, descending) from query parameters; default: most uncovered first."""
    if key not in SORT_KEYS:
        return "uncovered", True
    return key, order != "asc"


def sort_rows(rows: list[GapRow], key: str, descending: bool) -> list[GapRow]:
    """Rows by `key` (one of SORT_KEYS), ties by label."""
    by_label = sorted(rows, key=lambda row: row.label)
    return sorted(by_label, key=lambda row: getattr(row, key), reverse=descending)
