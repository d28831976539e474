"""Vendors write offerings: create and edit drafts, attach reference files.

Every write takes the acting user explicitly, checks permission, validates everything
(raising `ValidationFailed` with per-field zh-CN messages) and commits once.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from ..extensions import db
from ..files.models import Attachment
from ..files.services import (
    MAX_FILES_PER_OWNER,
    UploadPolicy,
    attachment_path,
    check_upload,
    save_upload,
)
from ..formtools import numbered_rows
from ..scenarios.models import Industry, ScenarioCategory, ScenarioTemplate
from . import checks
from .models import Offering, OfferingKpi
from .vocab import DEPLOYMENT_MODES, KPI_DIRECTIONS, TECH_TAGS

OWNER_TYPE = "offering"
UPLOADS = UploadPolicy(extensions=("pdf", "png", "jpg", "jpeg"), max_bytes=10 * 1024 * 1024)
MAX_KPIS = 10
MAX_PRICE = 100_000  # 万元
MAX_WEEKS = 520
# A new offering with the same title and summary from the same member within this window is
# the same form sent twice: the first one is returned.
REPEAT_WINDOW = timedelta(minutes=1)


@dataclass
class OfferingData:
    title: str = ""
    summary: str = ""
    description: str = ""
    tech_tags: list[str] = field(default_factory=list)
    deployment_modes: list[str] = field(default_factory=list)
    category_ids: list[Any] = field(default_factory=list)
    template_ids: list[Any] = field(default_factory=list)
    industry_ids: list[Any] = field(default_factory=list)
    kpis: list[dict[str, Any]] = field(
        default_factory=list
    )  # indicator/before/after/unit/direction
    kpi_note: str = ""
    price_min: Any = None  # 万元
    price_max: Any = None
    delivery_weeks: Any = None
    references_text: str = ""


def ensure_vendor(actor) -> None:
    if not (getattr(actor, "is_vendor_member", False) and getattr(actor, "is_active", False)):
        raise NotAllowed(_("只有揭榜方（服务商）成员可以编辑方案。"))


def create_offering(actor, data: OfferingData, files=()) -> Offering:
    """A vendor member starts a draft (members of pending vendors too: they submit later)."""
    ensure_vendor(actor)
    twin = db.session.scalar(  # the same form sent again (a double click, a retry)
        select(Offering)
        .where(
            Offering.created_by_id == actor.id,
            Offering.organisation_id == actor.organisation_id,
            Offering.title == (data.title or "").strip(),
            Offering.summary == (data.summary or "").strip(),
            Offering.created_at >= clock.now() - REPEAT_WINDOW,
        )
        .limit(1)
    )
    if twin is not None:
        return twin
    offering = Offering(organisation_id=actor.organisation_id, created_by_id=actor.id)
    return _save(actor, offering, data, files)


def update_offering(actor, offering: Offering, data: OfferingData, files=()) -> Offering:
    ensure_vendor(actor)
    if not offering.belongs_to(actor):
        raise NotAllowed()
    if not offering.is_editable:
        raise InvalidTransition(_("只有草稿或被退回的方案可以修改。"))
    return _save(actor, offering, data, files)


def remove_attachment(actor, offering: Offering, attachment_id: int) -> None:
    ensure_vendor(actor)
    if not offering.belongs_to(actor):
        raise NotAllowed()
    if not offering.is_editable:
        raise InvalidTransition(_("只有草稿或被退回的方案可以修改。"))
    attachment = offering_attachment(offering, attachment_id)
    if attachment is None:
        raise NotFound(_("附件不存在。"))
    path = attachment_path(attachment)
    db.session.delete(attachment)
    db.session.commit()
    with contextlib.suppress(OSError):  # the row is gone; a leftover file is only disk space
        os.remove(path)


def offering_attachments(offering: Offering) -> list[Attachment]:
    query = select(Attachment).where(
        Attachment.owner_type == OWNER_TYPE, Attachment.owner_id == offering.id
    )
    return list(db.session.scalars(query.order_by(Attachment.id)))


def offering_attachment(offering: Offering, attachment_id: int) -> Attachment | None:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.owner_type != OWNER_TYPE:
        return None
    return attachment if attachment.owner_id == offering.id else None


def _save(actor, offering: Offering, data: OfferingData, files) -> Offering:
    files = [f for f in files or () if f and getattr(f, "filename", "")]
    values, errors = clean_offering(data)
    existing = offering_attachments(offering) if offering.id else []
    errors.add("attachments", _check_files(files, len(existing)))
    if errors:
        raise ValidationFailed(fields=dict(errors))
    _apply(offering, values)
    db.session.add(offering)
    db.session.flush()
    for storage in files:
        save_upload(storage, OWNER_TYPE, offering.id, actor.id, UPLOADS)
    db.session.commit()
    return offering


def _check_files(files, existing: int) -> str | None:
    if existing + len(files) > MAX_FILES_PER_OWNER:
        return _("每个方案最多 %(n)d 个附件。", n=MAX_FILES_PER_OWNER)
    for storage in files:
        try:
            check_upload(storage, UPLOADS)
        except ValidationFailed as err:
            return err.message
        finally:
            storage.stream.seek(0)
    return None


def clean_offering(data: OfferingData) -> tuple[dict[str, Any], checks.Errors]:
    errors = checks.Errors()
    values: dict[str, Any] = {}
    for name, maximum, required in (
        ("title", 200, True),
        ("summary", 500, True),
        ("description", 10_000, False),
        ("kpi_note", 2_000, False),
        ("references_text", 5_000, False),
    ):
        values[name], message = checks.text(getattr(data, name), maximum, required)
        errors.add(name, message)
    values["tech_tags"], message = checks.codes(data.tech_tags, TECH_TAGS)
    errors.add("tech_tags", message)
    values["deployment_modes"], message = checks.codes(data.deployment_modes, DEPLOYMENT_MODES)
    errors.add("deployment_modes", message)
    if not values["deployment_modes"] and not message:
        errors.add("deployment_modes", _("请至少选择一种部署方式。"))
    _clean_taxonomy(data, values, errors)
    _clean_price(data, values, errors)
    values["delivery_weeks"], message = checks.number(data.delivery_weeks, 1, MAX_WEEKS, True)
    errors.add("delivery_weeks", message)
    values["kpis"] = _clean_kpis(data.kpis, errors)
    return values, errors


def _load(model, raw, errors: checks.Errors, name: str, active=None) -> list:
    wanted = checks.ids(raw)
    rows = [] if not wanted else list(db.session.scalars(select(model).where(model.id.in_(wanted))))
    if wanted is None or len(rows) != len(wanted) or (active and not all(map(active, rows))):
        errors.add(name, _("包含无效的选项。"))
    return rows


def _clean_taxonomy(data: OfferingData, values: dict, errors: checks.Errors) -> None:
    templates = _load(
        ScenarioTemplate, data.template_ids, errors, "template_ids", lambda t: t.is_active
    )
    categories = _load(ScenarioCategory, data.category_ids, errors, "category_ids")
    industries = _load(Industry, data.industry_ids, errors, "industry_ids")
    # A template implies its category and its industry.
    for template in templates:
        if template.category not in categories:
            categories.append(template.category)
        if template.industry not in industries:
            industries.append(template.industry)
    if not categories and "category_ids" not in errors:
        errors.add("category_ids", _("请至少选择一个场景类别或一个场景模板。"))
    values.update(templates=templates, categories=categories, industries=industries)


def _clean_price(data: OfferingData, values: dict, errors: checks.Errors) -> None:
    low, message = checks.number(data.price_min, 0, MAX_PRICE)
    errors.add("price_min", message)
    high, message = checks.number(data.price_max, 0, MAX_PRICE)
    errors.add("price_max", message)
    if low is not None and high is not None and low > high:
        errors.add("price_max", _("最高价不能低于最低价。"))
    values.update(price_min=low, price_max=high)


def _clean_kpis(rows, errors: checks.Errors) -> list[dict[str, Any]]:
    cleaned = []
    filled = numbered_rows(rows or (), lambda row: any(not checks.blank(v) for v in row.values()))
    if len(filled) > MAX_KPIS:
        errors.add("kpis", _("最多填写 %(n)d 个指标。", n=MAX_KPIS))
    for line, row in filled[:MAX_KPIS]:
        kpi, message = _clean_kpi(row)
        if message:
            errors.add("kpis", _("第 %(n)d 行：%(message)s", n=line, message=message))
        else:
            cleaned.append(kpi)
    return cleaned


def _clean_kpi(row: dict) -> tuple[dict | None, str | None]:
    indicator, message = checks.text(row.get("indicator"), 100, required=True)
    if message:
        return None, _("请填写指标名称（不超过 100 个字符）。")
    unit, message = checks.text(row.get("unit"), 30)
    if message:
        return None, _("单位不能超过 30 个字符。")
    before, message_before = checks.number(row.get("before"), -1e9, 1e9)
    after, message_after = checks.number(row.get("after"), -1e9, 1e9)
    if before is None or after is None or message_before or message_after:
        return None, _("实施前和实施后都需要填写数字。")
    direction = row.get("direction")
    if direction not in KPI_DIRECTIONS:
        return None, _("请选择指标方向。")
    if (direction == "down" and after >= before) or (direction == "up" and after <= before):
        return None, _("实施后的数值与“%(d)s”的方向不符。", d=KPI_DIRECTIONS[direction])
    return {
        "indicator": indicator,
        "before": before,
        "after": after,
        "unit": unit,
        "direction": direction,
    }, None


def _apply(offering: Offering, values: dict[str, Any]) -> None:
    for name in ("title", "summary", "description", "kpi_note", "references_text"):
        setattr(offering, name, values[name])
    for name in ("price_min", "price_max", "delivery_weeks"):
        setattr(offering, name, values[name])
    offering.templates = values["templates"]
    offering.categories = values["categories"]
    offering.industries = values["industries"]
    offering.set_codes("tech", values["tech_tags"])
    offering.set_codes("deployment", values["deployment_modes"])
    offering.kpis = [OfferingKpi(position=i, **kpi) for i, kpi in enumerate(values["kpis"])]
