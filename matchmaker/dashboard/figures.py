"""Headline figures of the programme, each computed by one aggregate query.

`headline()` returns `Figure` rows (key, label, value) in display order, so that the page
shows each figure as a card and as a table row, and charts can later read the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..accounts.models import Organisation
from ..competitions import ledger, stages
from ..competitions import statuses as st
from ..competitions.models import Application, Award, Listing
from ..extensions import db
from ..needs.choices import STATUS_LABELS, STATUSES
from ..needs.models import Need
from ..scenarios.models import ScenarioTemplate
from ..solvers import states as offering_states
from ..solvers.models import Offering

SUBMITTED_APPLICATIONS = (st.SUBMITTED, st.ELIGIBLE, st.INELIGIBLE)
TOP_TEMPLATES = 10


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any  # a lazy string
    value: int | Decimal
    unit: Any = ""


@dataclass(frozen=True)
class TemplateDemand:
    code: str
    title: str
    needs: int


def needs_by_status() -> dict[str, int]:
    """Every need status (zero included) → count."""
    query = select(Need.status, func.count()).group_by(Need.status)
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({status: n for status, n in db.session.execute(query)})
    return counts


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _sum(column, *where) -> Decimal:
    total = db.session.scalar(select(func.coalesce(func.sum(column), 0)).where(*where))
    return Decimal(total).quantize(Decimal("0.01"))


def _approved(kind: str) -> int:
    return _count(Organisation, Organisation.kind == kind, Organisation.status == "approved")


def headline() -> list[Figure]:
    status_figures = [
        Figure(f"needs_{status}", _l("需求（%(status)s）", status=STATUS_LABELS[status]), n)
        for status, n in needs_by_status().items()
    ]
    published = Offering.status == offering_states.PUBLISHED
    return [
        *status_figures,
        Figure("offerings_published", _l("已发布的解决方案"), _count(Offering, published)),
        Figure("offerings_total", _l("解决方案总数"), _count(Offering)),
        Figure("vendors_approved", _l("已审核的揭榜方"), _approved("vendor")),
        Figure("factories_approved", _l("已审核的需求方"), _approved("factory")),
        Figure(
            "listings_open", _l("进行中的榜单"), _count(Listing, Listing.stage.in_(stages.OPEN))
        ),
        Figure(
            "applications",
            _l("已提交的揭榜申请"),
            _count(Application, Application.status.in_(SUBMITTED_APPLICATIONS)),
        ),
        Figure("contract_value", _l("挂帅合同金额"), _sum(Award.contract_value), _l("万元")),
        *_voucher_figures(),
    ]


def _voucher_figures() -> list[Figure]:
    """The 场景券 figures come from the voucher ledger (`competitions.ledger`)."""
    totals = ledger.totals()
    return [
        Figure("vouchers_committed", _l("已承诺的券额"), totals["committed"], _l("万元")),
        Figure("vouchers_paid", _l("可兑付的券额"), totals["payable"], _l("万元")),
        Figure("vouchers_disbursed", _l("已兑付的券额"), totals["paid"], _l("万元")),
    ]


def top_templates(limit: int = TOP_TEMPLATES, locale: str = "zh") -> list[TemplateDemand]:
    """Scenario templates by number of needs (any status), most demanded first; titles in
    `locale`'s language where the template has one."""
    # Counted in a subquery: the template's eager-loaded industry and category must not meet a
    # GROUP BY (PostgreSQL refuses their columns there).
    counted = (
        select(Need.template_id, func.count(Need.id).label("needs"))
        .group_by(Need.template_id)
        .subquery()
    )
    query = (
        select(ScenarioTemplate, counted.c.needs)
        .join(counted, counted.c.template_id == ScenarioTemplate.id)
        .order_by(counted.c.needs.desc(), ScenarioTemplate.code)
        .limit(limit)
    )
    return [
        TemplateDemand(t.code, t.label("title", locale), n) for t, n in db.session.execute(query)
    ]
