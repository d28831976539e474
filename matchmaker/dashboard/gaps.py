"""Supply–demand gaps: for each scenario category and template, the open needs, the offerings
capable of serving them and the needs no vendor can serve yet.

Computed, not recomputed per request: `compute` ranks every published need in one batched call
(`service.neighbours_many`: one version check, one index query), `refresh` stores the figures
(`GapSnapshot`, codes and ids) and the page reads them with their age. The periodic job
`refresh_gap_report` recomputes them within a minute of a change to what is published (the
search index version moved) and at least every `MAX_AGE`.

"Capable" comes from the matching engine over stored vectors: a published offering is capable
for a need when their dense (cosine) similarity reaches `CONSOLE_GAP_MIN_SIMILARITY`; when the
encoder is unavailable, the lexical cosine against `CONSOLE_GAP_MIN_LEXICAL` decides instead
(the report then carries the notice "encoder_unavailable").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import clock, jobs
from ..extensions import db
from ..needs import states as need_states
from ..needs.models import Need
from ..scenarios.models import ScenarioCategory, ScenarioTemplate
from ..search.app import service
from ..search.core.documents import Filters, Match
from ..search.store import store as search_store
from ..solvers import states as offering_states
from .models import GapSnapshot

OFFERING_FILTERS = Filters(statuses=frozenset({offering_states.PUBLISHED}))
CANDIDATES = 50  # offerings examined per need
SORT_KEYS = ("label", "needs", "offerings", "uncovered")
OTHER = _l("其他（无模板）")
UNCOVERED_SHOWN = 100  # uncovered needs listed on the page (weakest best match first)
MAX_AGE = timedelta(hours=6)  # recomputed at least this often even when nothing moved


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
    uncovered_total: int = 0


@dataclass
class Stored:
    report: GapReport
    computed_at: datetime
    outdated: bool  # the index moved since: the background job is recomputing

    @property
    def age(self) -> timedelta:
        return max(clock.now() - self.computed_at, timedelta(0))


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
    (their names in `locale`'s language), computed now with one batched ranking."""
    return report_from(compute(), locale)


def compute() -> dict:
    """The figures as plain JSON (codes and ids, no labels): what `GapSnapshot` stores.

    One version check and one batched ranking for every published need
    (`service.neighbours_many`: ids and similarities, no `Match` objects), the same matches
    as `capable_offerings` need by need."""
    needs = db.session.execute(
        select(Need.id, ScenarioCategory.code, ScenarioTemplate.code)
        .join(ScenarioCategory, Need.category_id == ScenarioCategory.id)
        .outerjoin(ScenarioTemplate, Need.template_id == ScenarioTemplate.id)
        .where(Need.status == need_states.PUBLISHED)
        .order_by(Need.id)
    ).all()
    found, version = service.neighbours_many(
        "need", [n[0] for n in needs], k=CANDIDATES, filters=OFFERING_FILTERS
    )
    dense, lexical = _thresholds()
    categories: dict[str, dict] = {}
    templates: dict[str, dict] = {}
    uncovered, notices = [], set()
    for need_id, category, template in needs:
        result = found.get(str(need_id))
        ids: set[str] = set()
        if result is not None:
            threshold = dense if result.dense_available else lexical
            similarity = result.similarity.astype(np.float64)  # compared as Python floats
            ids = {result.ids[i] for i in np.flatnonzero(similarity >= threshold)}
            notices.update(result.notices)
        for rows, key in ((categories, category), (templates, template or "")):
            row = rows.setdefault(key, {"needs": 0, "uncovered": 0, "offerings": set()})
            row["needs"] += 1
            row["uncovered"] += not ids
            row["offerings"] |= ids
        if not ids:
            best = None
            if result is not None and len(result.similarity):
                best = float(result.similarity.max())
            uncovered.append([need_id, best])

    def plain(rows: dict[str, dict]) -> dict:
        return {k: {**v, "offerings": sorted(v["offerings"])} for k, v in rows.items()}

    return {
        "threshold": dense,
        "lexical_threshold": lexical,
        "index_version": version,
        "categories": plain(categories),
        "templates": plain(templates),
        "uncovered": uncovered,
        "notices": sorted(notices),
    }


def report_from(data: dict, locale: str = "zh", uncovered_limit: int | None = None) -> GapReport:
    """The report of stored figures, with names in `locale`'s language; the uncovered needs
    loaded (the first `uncovered_limit` of them, weakest best match first, when given)."""
    cats = _labels(ScenarioCategory, data["categories"], "name", locale)
    tmpls = _labels(ScenarioTemplate, data["templates"], "title", locale)
    items = sorted(data["uncovered"], key=lambda it: (it[1] is not None, it[1] or 0.0, it[0]))
    if uncovered_limit is not None:
        items = items[:uncovered_limit]
    loaded = {}
    if items:
        query = select(Need).where(Need.id.in_([i for i, _ in items]))
        loaded = {n.id: n for n in db.session.scalars(query)}
    return GapReport(
        threshold=data["threshold"],
        categories=_rows(data["categories"], cats),
        templates=_rows(data["templates"], tmpls),
        uncovered=[UncoveredNeed(loaded[i], best) for i, best in items if i in loaded],
        notices=list(data["notices"]),
        uncovered_total=len(data["uncovered"]),
    )


def _labels(model, rows: dict, field: str, locale: str) -> dict[str, str]:
    codes = [c for c in rows if c]
    found = db.session.scalars(select(model).where(model.code.in_(codes))) if codes else []
    return {m.code: m.label(field, locale) for m in found}


def _rows(rows: dict, labels: dict[str, str]) -> list[GapRow]:
    return [
        GapRow(
            key,
            labels.get(key, key) if key else str(OTHER),
            row["needs"],
            row["uncovered"],
            set(row["offerings"]),
        )
        for key, row in rows.items()
    ]


def stored_report(locale: str = "zh", uncovered_limit: int | None = UNCOVERED_SHOWN) -> Stored:
    """What the page shows: the stored figures (computed here only when there are none yet),
    their age, and whether the index has moved since (the background job then catches up)."""
    snapshot = db.session.get(GapSnapshot, 1)
    if snapshot is None:
        snapshot = refresh()
    current = search_store.current_version()
    return Stored(
        report_from(snapshot.payload, locale, uncovered_limit),
        _aware(snapshot.computed_at),
        snapshot.payload.get("index_version") != current,
    )


def refresh() -> GapSnapshot:
    """Compute the figures and store them (one row, replaced); committed."""
    data = compute()
    snapshot = db.session.get(GapSnapshot, 1)
    if snapshot is None:
        snapshot = GapSnapshot(id=1)
        db.session.add(snapshot)
    snapshot.payload, snapshot.computed_at = data, clock.now()
    db.session.commit()
    return snapshot


def is_current(snapshot: GapSnapshot | None) -> bool:
    """Whether stored figures still describe the index and the thresholds."""
    if snapshot is None:
        return False
    data = snapshot.payload
    dense, lexical = _thresholds()
    return (
        data.get("index_version") == search_store.current_version()
        and data.get("threshold") == dense
        and data.get("lexical_threshold") == lexical
        and clock.now() - _aware(snapshot.computed_at) < MAX_AGE
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@jobs.periodic(
    jobs.crontab(minute="*"), at_start=True, label=_l("供需缺口重新统计（数据变化后，每分钟检查）")
)
def refresh_gap_report() -> bool:
    """Every minute: recompute the stored gap figures when a published need or offering has
    changed since (the search index version moved), the thresholds changed, or they are older
    than `MAX_AGE`. Whether it recomputed."""
    if is_current(db.session.get(GapSnapshot, 1)):
        return False
    db.session.rollback()
    refresh()
    return True


def sort_order(key: str | None, order: str | None) -> tuple[str, bool]:
    """A valid (sort key, descending) from query parameters; default: most uncovered first."""
    if key not in SORT_KEYS:
        return "uncovered", True
    return key, order != "asc"


def sort_rows(rows: list[GapRow], key: str, descending: bool) -> list[GapRow]:
    """Rows by `key` (one of SORT_KEYS), ties by label."""
    by_label = sorted(rows, key=lambda row: row.label)
    return sorted(by_label, key=lambda row: getattr(row, key), reverse=descending)
