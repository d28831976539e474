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
from sqlalchemy.orm import Session

from .. import clock
from ..accounts.models import Organisation
from ..competitions import audit
from ..competitions.models import Application, ScoreSheet
from ..competitions.statuses import APPLICATION_LABELS
from ..extensions import db
from ..needs.access import visible_needs
from ..needs.choices import FIELD_LABELS as NEED_FIELDS
from ..needs.choices import KPI_DIRECTIONS
from ..needs.choices import STATUS_LABELS as NEED_STATUSES
from ..needs.models import Need, NeedKpi
from ..scenarios.models import Industry, ScenarioTemplate
from ..solvers.models import Offering, offering_templates
from ..solvers.vocab import STATUS_LABELS as OFFERING_STATUSES
from .spreadsheet import Table

TABLES = ("needs", "offerings", "applications", "audit")
BATCH = 500  # rows fetched from the database at a time


def _rows(query, make_row):
    """`row(obj)` for the query's objects, fetched `BATCH` at a time (eager loads once per
    batch), where `row = make_row()` is made once, at the first row asked for (so that it can
    resolve its labels once, in the language the stream is made in). The query runs then too,
    in a session of its own: the stream outlives the request (and its session) that built the
    table."""
    engine = db.engine

    def rows():
        row = make_row()
        with Session(engine) as session:
            for obj in session.scalars(query.execution_options(yield_per=BATCH)):
                yield row(obj)

    return rows()


def _rows_with(query, attached):
    """Each row of the column query `query` (its first column `id`) with its text from
    `attached(session, ids)` ("" when it has none), `BATCH` rows at a time: one more query per
    batch, not one per row. Like `_rows`, the query runs at the first row asked for, in a
    session of its own."""
    with Session(db.engine) as session:
        result = session.execute(query.execution_options(yield_per=BATCH))
        for batch in result.partitions():
            texts = attached(session, [r.id for r in batch])
            for r in batch:
                yield r, texts.get(r.id, "")


def _joined(session: Session, query, separator: str, text) -> dict[int, str]:
    """`query`'s rows (owner id first, in order) as owner id → `separator`.join(text(row))."""
    parts: dict[int, list[str]] = defaultdict(list)
    for row in session.execute(query):
        parts[row[0]].append(text(row))
    return {owner: separator.join(texts) for owner, texts in parts.items()}


def _money(value) -> str:
    return "" if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def _number(value) -> str:
    """A float as text (30.0 → "30"): XLSX keeps no difference between 30.0 and 30."""
    return "" if value is None else f"{value:g}"


def _when(moment) -> str:
    return clock.local_minute(moment)


def _header(*labels) -> tuple[str, ...]:
    return tuple(str(label) for label in labels)


def _resolved(labels: dict) -> dict[str, str]:
    """A label table translated once per export (not once per cell: gettext per cell was a
    third of the time of a 3,000-row export)."""
    return {code: str(label) for code, label in labels.items()}


def _kpi_texts(session: Session, need_ids: list[int]) -> dict[int, str]:
    """ "漏检率 10→2%（越低越好）；…" for each of `need_ids` that has target indicators."""
    directions = _resolved(KPI_DIRECTIONS)
    query = (
        select(NeedKpi.need_id, NeedKpi.indicator, NeedKpi.baseline, NeedKpi.target)
        .add_columns(NeedKpi.unit, NeedKpi.direction)
        .where(NeedKpi.need_id.in_(need_ids))
        .order_by(NeedKpi.need_id, NeedKpi.position, NeedKpi.id)
    )

    def text(k) -> str:
        before = "" if k.baseline is None else f"{k.baseline:g}"
        how = directions.get(k.direction, k.direction)
        return f"{k.indicator} {before}→{k.target:g}{k.unit}（{how}）"

    return _joined(session, query, _("；"), text)


NEED_COLUMNS = (
    Need.id,
    Need.title,
    Need.status,
    Organisation.name,
    Organisation.credit_code,
    Industry.name_zh,
    ScenarioTemplate.title_zh,
    Need.town,
    Need.budget_min,
    Need.budget_max,
    Need.created_at,
    Need.published_at,
)


def needs_table(viewer) -> Table:
    """The needs `viewer` may see, by the pages' rule (a factory's own draft stays out).

    Plain columns, not ORM objects (a need's long texts and its eager-loaded relations are not
    exported), and each batch's target indicators in one query."""
    query = (
        select(*NEED_COLUMNS)
        .join(Organisation, Organisation.id == Need.owner_id)
        .join(Industry, Industry.id == Need.industry_id)
        .outerjoin(ScenarioTemplate, ScenarioTemplate.id == Need.template_id)
        .where(visible_needs(viewer))
        .order_by(Need.id)
    )
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

    def rows():
        statuses, other = _resolved(NEED_STATUSES), _("其他")
        for r, kpis in _rows_with(query, _kpi_texts):
            yield (
                r.id,
                r.title,
                statuses.get(r.status, r.status),
                r.name,
                r.credit_code or "",
                r.name_zh,
                r.title_zh if r.title_zh is not None else other,
                r.town,
                r.budget_min,
                r.budget_max,
                kpis,
                _when(r.created_at),
                _when(r.published_at),
            )

    return Table("needs", header, rows())


def _template_titles(session: Session, offering_ids: list[int]) -> dict[int, str]:
    """ "坯布疵点检测、…" : the scenario templates of each of `offering_ids`, by template code."""
    query = (
        select(offering_templates.c.offering_id, ScenarioTemplate.title_zh)
        .join(ScenarioTemplate, ScenarioTemplate.id == offering_templates.c.template_id)
        .where(offering_templates.c.offering_id.in_(offering_ids))
        .order_by(offering_templates.c.offering_id, ScenarioTemplate.code)
    )
    return _joined(session, query, _("、"), lambda row: row.title_zh)


def offerings_table(viewer) -> Table:
    """Every offering, plain columns (not its long texts), each batch's templates in one query."""
    query = (
        select(Offering.id, Offering.title, Offering.status, Organisation.name)
        .add_columns(Offering.price_min, Offering.price_max, Offering.delivery_weeks)
        .add_columns(Offering.published_at)
        .join(Organisation, Organisation.id == Offering.organisation_id)
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

    def rows():
        statuses = _resolved(OFFERING_STATUSES)
        for r, templates in _rows_with(query, _template_titles):
            yield (
                r.id,
                r.title,
                statuses.get(r.status, r.status),
                r.name,
                templates,
                _number(r.price_min),
                _number(r.price_max),
                r.delivery_weeks,
                _when(r.published_at),
            )

    return Table("offerings", header, rows())


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

    def make_row():
        statuses, yes, no = _resolved(APPLICATION_LABELS), _("是"), _("否")
        return lambda a: (
            a.id,
            a.listing_id,
            a.listing.title,
            a.organisation.name,
            a.offering_id,
            statuses.get(a.status, a.status),
            _money(a.price),
            _money(a.voucher_use),
            len(totals[a.id]),
            "; ".join(f"{t:g}" for t in totals[a.id]),
            "" if a.panel_score is None else round(a.panel_score, 4),
            a.rank,
            yes if a.proposed else no,
        )

    return Table("applications", header, _rows(query, make_row))


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
