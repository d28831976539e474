"""发榜: the organiser opens a round and puts published needs into it as listings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ..errors import ValidationFailed, join_sentences
from ..extensions import db
from ..needs import states as need_states
from ..needs.access import LISTABLE, may_be_listed
from ..needs.models import Need
from . import audit, stages
from .access import require_organiser
from .invalid import invalid
from .models import Listing, ListingKpi, Round
from .models.rounds import DEFAULT_RUBRIC, DEFAULT_TIE_BREAK, MAX_QUOTA


@dataclass
class RoundData:
    name: str
    opens_at: datetime
    closes_at: datetime
    rules: str = ""
    review_opens_at: datetime | None = None
    review_closes_at: datetime | None = None
    publicity_days: int = 7
    quota: int = 1
    voucher_share: Decimal = Decimal("0.3")
    voucher_cap: Decimal = Decimal("50")
    max_leads: int = 3
    rubric: list[dict[str, Any]] = field(default_factory=lambda: [dict(c) for c in DEFAULT_RUBRIC])
    scale_max: float = 10.0
    tie_break: str = DEFAULT_TIE_BREAK


def _round_errors(data: RoundData) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("请填写批次名称。")]
    if data.opens_at >= data.closes_at:
        errors["closes_at"] = [_("揭榜截止时间必须晚于开始时间。")]
    if not 1 <= data.quota <= MAX_QUOTA:
        errors["quota"] = [_("每个榜单的挂帅名额为 1 至 %(max)s 个。", max=MAX_QUOTA)]
    if data.max_leads < 1:
        errors["max_leads"] = [_("每家单位牵头揭榜数至少为 1。")]
    if data.publicity_days < 1:
        errors["publicity_days"] = [_("公示期至少 1 天。")]
    if not Decimal(0) <= data.voucher_share <= Decimal(1):
        errors["voucher_share"] = [_("场景券比例应在 0 到 1 之间。")]
    if data.voucher_cap < 0:
        errors["voucher_cap"] = [_("场景券上限不能为负数。")]
    if abs(sum(float(c["weight"]) for c in data.rubric) - 100) > 1e-6:
        errors["rubric"] = [_("评分细则的权重合计必须为 100。")]
    if data.tie_break not in {c["code"] for c in data.rubric}:
        errors["tie_break"] = [_("同分比较项必须是评分细则中的一项。")]
    return errors


def open_round(actor, data: RoundData) -> Round:
    require_organiser(actor)
    errors = _round_errors(data)
    if errors:
        raise ValidationFailed(fields=errors)
    values = {k: getattr(data, k) for k in RoundData.__dataclass_fields__}
    round_ = Round(created_by_id=actor.id, **values)
    db.session.add(round_)
    audit.record(actor, "open_round", round_, after={"name": data.name})
    db.session.commit()
    return round_


@dataclass
class ListingData:
    title: str
    need_ids: list[int]
    description: str = ""
    reward: Decimal | None = None
    budget: Decimal | None = None
    legal_entity_required: bool = True
    qualifications: str = ""
    local_presence_required: bool = False
    consortium_allowed: bool = False


def _listed_need_ids() -> set[int]:
    """Needs already carried by a listing that is still open."""
    from .models import listing_needs

    rows = db.session.execute(
        select(listing_needs.c.need_id)
        .join(Listing, Listing.id == listing_needs.c.listing_id)
        .where(Listing.stage.not_in(stages.TERMINAL))
    )
    return {row[0] for row in rows}


def _needs_for(data: ListingData) -> list[Need]:
    needs = [db.session.get(Need, need_id) for need_id in data.need_ids]
    errors = []
    if not needs:
        errors.append(_("请至少选择一项已发布的需求。"))
    if any(n is None or not n.is_published for n in needs):
        errors.append(_("只能选择已发布的需求。"))
    elif not all(may_be_listed(n) for n in needs):
        errors.append(_("仅受邀揭榜方可见的需求不能放入公开榜单。"))
    taken = _listed_need_ids()
    for need in needs:
        if need is not None and need.id in taken:
            errors.append(_("需求“%(title)s”已在其他榜单中。", title=need.title))
    if errors:
        raise ValidationFailed(join_sentences(errors), fields={"need_ids": errors})
    return needs


def copy_kpis(needs: list[Need]) -> list[ListingKpi]:
    """The needs' KPI rows, one per indicator (the first need's row wins)."""
    rows: dict[str, ListingKpi] = {}
    for need in needs:
        for kpi in need.kpis:
            if kpi.indicator not in rows:
                rows[kpi.indicator] = ListingKpi(position=len(rows) + 1, **kpi.as_record())
    return list(rows.values())


def add_listing(actor, round_: Round, data: ListingData) -> Listing:
    require_organiser(actor)
    if not data.title.strip():
        raise invalid("title", _("请填写榜单名称。"))
    needs = _needs_for(data)
    values = {k: getattr(data, k) for k in ListingData.__dataclass_fields__ if k != "need_ids"}
    listing = Listing(round=round_, needs=needs, kpis=copy_kpis(needs), **values)
    db.session.add(listing)
    audit.record(actor, "add_listing", listing, after={"stage": listing.stage or stages.PUBLISHED})
    db.session.commit()
    return listing


def save_kpis(actor, listing: Listing, rows: list[dict[str, Any]]) -> None:
    """Edit the 考核指标 while the listing is still 发榜 (nobody has applied yet)."""
    require_organiser(actor)
    if listing.stage != stages.PUBLISHED:
        raise ValidationFailed(_("揭榜开始后不能再修改考核指标。"))
    if not rows or any(
        not r["indicator"].strip() or r["target"] is None or r["direction"] not in ("up", "down")
        for r in rows
    ):
        raise invalid("kpis", _("每项考核指标都要有名称、目标值和方向。"))
    before = [k.indicator for k in listing.kpis]
    listing.kpis = [ListingKpi(position=i, **row) for i, row in enumerate(rows, start=1)]
    audit.record(
        actor, "edit_kpis", listing, {"kpis": before}, {"kpis": [r["indicator"] for r in rows]}
    )
    db.session.commit()


def all_rounds() -> list[Round]:
    return list(db.session.scalars(select(Round).order_by(Round.opens_at.desc())))


def publishable_needs() -> list[Need]:
    taken = _listed_need_ids()
    """Published needs a public listing may carry (not invited_only) and no open listing has."""
    query = select(Need).where(
        Need.status == need_states.PUBLISHED, Need.confidentiality.in_(LISTABLE)
    )
    return [n for n in db.session.scalars(query.order_by(Need.id)) if n.id not in taken]
