"""The tables an organiser exports: needs, offerings, applications with scores, audit log.

Values are plain text or numbers (decimals as strings with two places) so that the CSV and the
XLSX of one table hold exactly the same rows (the writers in `spreadsheet` keep user text from
running as a formula). Needs go through `needs.access.visible_needs`, the rule of the pages.

Rows are generators over the database cursor (`yield_per`): the view streams them to the
writer, so a table never sits in memory as a whole and the download starts at once.

Exports are read by people: headers, statuses and yes/no in the request's language, times in
Beijing time to the minute ("2026-05-03 14:05"). The machine codes stay in the API.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from .. import clock
from ..competitions import audit
from ..competitions.models import Application, ScoreSheet
from ..competitions.statuses import APPLICATION_LABELS
from ..extensions import db
from ..needs.access import visible_needs_query
from ..needs.choices import FIELD_LABELS as NEED_FIELDS
from ..needs.choices import KPI_DIRECTIONS
from ..needs.choices import STATUS_LABELS as NEED_STATUSES
from ..needs.models import Need
from ..solvers.models import Offering
from ..solvers.vocab import STATUS_LABELS as OFFERING_STATUSES
from .spreadsheet import Table

TABLES = ("needs", "offerings", "applications", "audit")
BATCH = 500  # rows fetched from the database at a time


def _rows(query, row):
    """`row(obj)` for the query's objects, fetched `BATCH` at a time (eager loads once per
    batch). The query runs at the first row asked for, in a session of its own: the stream
    outlives the request (and its session) that built the table."""
    engine = db.engine

    def rows():
        with Session(engine) as session:
            for obj in session.scalars(query.execution_options(yield_per=BATCH)):
                yield row(obj)

    return rows()


def _money(value) -> str:
    return "" if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def _number(value) -> str:
    """A float as text (30.0 → "30"): XLSX keeps no difference between 30.0 and 30."""
    return "" if value is None else f"{value:g}"


def _when(moment) -> str:
    return clock.local_minute(moment)


def _label(labels: dict, code: str) -> str:
    return str(labels.get(code, code))


def _header(*labels) -> tuple[str, ...]:
    return tuple(str(label) for label in labels)


def _kpis(need: Need) -> str:
    """ "漏检率 10→2%（越低越好）；…" """
    parts = []
    for k in need.kpis:
        baseline = "" if k.baseline is None else f"{k.baseline:g}"
        direction = _label(KPI_DIRECTIONS, k.direction)
        parts.append(f"{k.indicator} {baseline}→{k.target:g}{k.unit}（{direction}）")
    return _("；").join(parts)


def needs_table(viewer) -> Table:
    """The needs `viewer` may see, by the pages' rule (a factory's own draft stays out)."""
    query = visible_needs_query(viewer)
    query = query.options(selectinload(Need.kpis), selectinload(Need.template))
    header = _header(
        _l("编号"),
        NEED_FIELDS["title"],
        _l("状态"),
        _l("发榜企业"),
        _l("统一社会信用代码"),
        NEED_FIELDS["industry_id"],
        NEED_FIELDS["template_id"],
        NEED_FIELDS["town"],
        NEED_FIELDS["budget_min"],
        NEED_FIELDS["budget_max"],
        NEED_FIELDS["kpis"],
        _l("创建时间"),
        _l("发布时间"),
    )
    rows = _rows(
        query.order_by(Need.id),
        lambda n: (
            n.id,
            n.title,
            _label(NEED_STATUSES, n.status),
            n.owner.name,
            n.owner.credit_code or "",
            n.industry.name_zh,
            n.template.title_zh if n.template else _("其他"),
            n.town,
            n.budget_min,
            n.budget_max,
            _kpis(n),
            _when(n.created_at),
            _when(n.published_at),
        ),
    )
    return Table("needs", header, rows)


def offerings_table(viewer) -> Table:
    query = (
        select(Offering)
        .options(selectinload(Offering.templates), joinedload(Offering.organisation))
        .order_by(Offering.id)
    )
    header = _header(
        _l("编号"),
        _l("方案名称"),
        _l("状态"),
        _l("揭榜方"),
        _l("适用场景"),
        _l("报价下限（万元）"),
        _l("报价上限（万元）"),
        _l("交付周期（周）"),
        _l("发布时间"),
    )
    rows = _rows(
        query,
        lambda o: (
            o.id,
            o.title,
            _label(OFFERING_STATUSES, o.status),
            o.organisation.name,
            _("、").join(t.title_zh for t in o.templates),
            _number(o.price_min),
            _number(o.price_max),
            o.delivery_weeks,
            _when(o.published_at),
        ),
    )
    return Table("offerings", header, rows)


def _sheet_totals() -> dict[int, list[float]]:
    """Submitted score sheets: application id → each expert's total."""
    totals: dict[int, list[float]] = defaultdict(list)
    query = select(ScoreSheet).where(ScoreSheet.submitted_at.is_not(None))
    for sheet in db.session.scalars(query.order_by(ScoreSheet.id)):
        totals[sheet.application_id].append(sum(float(v) for v in (sheet.scores or {}).values()))
    return totals


APPLICATION_COLUMNS = (
    _l("编号"),
    _l("榜单编号"),
    _l("榜单"),
    _l("揭榜方"),
    _l("方案编号"),
    _l("状态"),
    _l("报价（万元）"),
    _l("使用场景券（万元）"),
    _l("已交评分表"),
    _l("各专家总分"),
    _l("综合得分"),
    _l("排名"),
    _l("拟挂帅"),
)


def applications_table(viewer) -> Table:
    totals = _sheet_totals()
    header = _header(*APPLICATION_COLUMNS)
    query = select(Application).order_by(Application.id)
    rows = _rows(
        query,
        lambda a: (
            a.id,
            a.listing_id,
            a.listing.title,
            a.organisation.name,
            a.offering_id,
            _label(APPLICATION_LABELS, a.status),
            _money(a.price),
            _money(a.voucher_use),
            len(totals[a.id]),
            "; ".join(f"{t:g}" for t in totals[a.id]),
            "" if a.panel_score is None else round(a.panel_score, 4),
            a.rank,
            _("是") if a.proposed else _("否"),
        ),
    )
    return Table("applications", header, rows)


def audit_table(viewer) -> Table:
    return Table("audit", audit.export_columns(), audit.readable_rows())


BUILDERS = {
    "needs": needs_table,
    "offerings": offerings_table,
    "applications": applications_table,
    "audit": audit_table,
}


def table(name: str, viewer) -> Table:
    """Export `name` as `viewer` (an organiser) may see it."""
    return BUILDERS[name](viewer)
