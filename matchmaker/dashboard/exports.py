"""The tables an organiser exports: needs, offerings, applications with scores, audit log.

Values are plain text or numbers (decimals as strings with two places) so that the CSV and the
XLSX of one table hold exactly the same rows (the writers in `spreadsheet` keep user text from
running as a formula). Needs go through `needs.access.visible_needs`, the rule of the pages.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..competitions import audit
from ..competitions.models import Application, ScoreSheet
from ..extensions import db
from ..needs.access import visible_needs_query
from ..needs.models import Need
from ..solvers.models import Offering
from .spreadsheet import Table

TABLES = ("needs", "offerings", "applications", "audit")


def _money(value) -> str:
    return "" if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def _number(value) -> str:
    """A float as text (30.0 → "30"): XLSX keeps no difference between 30.0 and 30."""
    return "" if value is None else f"{value:g}"


def _when(moment) -> str:
    return moment.isoformat() if moment else ""


def _kpis(need: Need) -> str:
    parts = []
    for k in need.kpis:
        baseline = "" if k.baseline is None else f"{k.baseline:g}"
        parts.append(f"{k.indicator}:{baseline}→{k.target:g}{k.unit}:{k.direction}")
    return "; ".join(parts)


def needs_table(viewer) -> Table:
    """The needs `viewer` may see, by the pages' rule (a factory's own draft stays out)."""
    query = visible_needs_query(viewer)
    query = query.options(selectinload(Need.kpis), selectinload(Need.template))
    header = ("id", "title", "status", "owner", "credit_code", "industry", "template", "town")
    header += ("budget_min", "budget_max", "kpis", "created_at", "published_at")
    rows = [
        (
            n.id,
            n.title,
            n.status,
            n.owner.name,
            n.owner.credit_code or "",
            n.industry.name_zh,
            n.template.code if n.template else "",
            n.town,
            n.budget_min,
            n.budget_max,
            _kpis(n),
            _when(n.created_at),
            _when(n.published_at),
        )
        for n in db.session.scalars(query.order_by(Need.id))
    ]
    return Table("needs", header, rows)


def offerings_table(viewer) -> Table:
    query = select(Offering).options(selectinload(Offering.templates)).order_by(Offering.id)
    header = ("id", "title", "status", "vendor", "templates", "price_min", "price_max")
    header += ("delivery_weeks", "published_at")
    rows = [
        (
            o.id,
            o.title,
            o.status,
            o.organisation.name,
            ", ".join(t.code for t in o.templates),
            _number(o.price_min),
            _number(o.price_max),
            o.delivery_weeks,
            _when(o.published_at),
        )
        for o in db.session.scalars(query)
    ]
    return Table("offerings", header, rows)


def _sheet_totals() -> dict[int, list[float]]:
    """Submitted score sheets: application id → each expert's total."""
    totals: dict[int, list[float]] = defaultdict(list)
    query = select(ScoreSheet).where(ScoreSheet.submitted_at.is_not(None))
    for sheet in db.session.scalars(query.order_by(ScoreSheet.id)):
        totals[sheet.application_id].append(sum(float(v) for v in (sheet.scores or {}).values()))
    return totals


def applications_table(viewer) -> Table:
    totals = _sheet_totals()
    header = ("id", "listing_id", "listing", "vendor", "offering_id", "status", "price")
    header += ("voucher_use", "sheets", "sheet_totals", "panel_score", "rank", "proposed")
    rows = [
        (
            a.id,
            a.listing_id,
            a.listing.title,
            a.organisation.name,
            a.offering_id,
            a.status,
            _money(a.price),
            _money(a.voucher_use),
            len(totals[a.id]),
            "; ".join(f"{t:g}" for t in totals[a.id]),
            "" if a.panel_score is None else round(a.panel_score, 4),
            a.rank,
            "yes" if a.proposed else "no",
        )
        for a in db.session.scalars(select(Application).order_by(Application.id))
    ]
    return Table("applications", header, rows)


def audit_table(viewer) -> Table:
    return Table("audit", audit.CSV_HEADER, [audit.row(e) for e in audit.entries()])


BUILDERS = {
    "needs": needs_table,
    "offerings": offerings_table,
    "applications": applications_table,
    "audit": audit_table,
}


def table(name: str, viewer) -> Table:
    """Export `name` as `viewer` (an organiser) may see it."""
    return BUILDERS[name](viewer)
