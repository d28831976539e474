"""Use cases of the taxonomy: statistics and organiser curation, each change audited.

Every write takes an explicit `actor` (anything with `id` and `is_organiser`), checks
permission, and commits one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..errors import InvalidTransition, NotAllowed, ValidationFailed
from ..extensions import db
from .miit_stages import STAGE_CODES
from .models import Industry, ScenarioCategory, ScenarioTemplate, TaxonomyChange
from .references import repoint_references

EDITABLE_TEMPLATE_FIELDS = (
    "industry_id",
    "category_id",
    "stage",
    "title_zh",
    "title_en",
    "pain_point_zh",
    "data_zh",
    "example_zh",
    "kpis",
)
KPI_DIRECTIONS = ("up", "down")

# Packages above this one (needs) register a function giving open-need counts per template id.
_open_need_counter: Callable[[], dict[int, int]] | None = None


def register_open_need_counter(counter: Callable[[], dict[int, int]]) -> None:
    global _open_need_counter
    _open_need_counter = counter


def open_need_counts() -> dict[int, int]:
    return _open_need_counter() if _open_need_counter else {}


def taxonomy_stats() -> dict[str, int]:
    count = db.session.scalar
    return {
        "industries": count(select(func.count()).select_from(Industry).where(Industry.active)),
        "categories": count(
            select(func.count()).select_from(ScenarioCategory).where(ScenarioCategory.active)
        ),
        "scenarios": count(
            select(func.count())
            .select_from(ScenarioTemplate)
            .where(ScenarioTemplate.status == "active")
        ),
    }


def active_entries(model) -> list:
    """The active industries or scenario categories (`model`), in their curated order."""
    query = select(model).where(model.active.is_(True)).order_by(model.position, model.code)
    return list(db.session.scalars(query))


def active_templates(category_id: int | None = None, industry_id: int | None = None):
    query = select(ScenarioTemplate).where(ScenarioTemplate.status == "active")
    if category_id:
        query = query.where(ScenarioTemplate.category_id == category_id)
    if industry_id:
        query = query.where(ScenarioTemplate.industry_id == industry_id)
    return db.session.scalars(
        query.order_by(ScenarioTemplate.position, ScenarioTemplate.code)
    ).all()


def _ensure_curator(actor) -> None:
    if not getattr(actor, "is_organiser", False):
        raise NotAllowed()


def _audit(
    actor, action: str, entity: str, code: str, before=None, after=None, note: str = ""
) -> None:
    db.session.add(
        TaxonomyChange(
            actor_id=getattr(actor, "id", None),
            action=action,
            entity=entity,
            entity_code=code,
            before=before,
            after=after,
            note=note,
        )
    )


def validate_template_fields(fields: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "stage" in fields and fields["stage"] not in STAGE_CODES:
        errors["stage"] = [_("未知的环节。")]
    if "title_zh" in fields and not (fields["title_zh"] or "").strip():
        errors["title_zh"] = [_("请填写场景名称。")]
    for key, model in (("industry_id", Industry), ("category_id", ScenarioCategory)):
        if key in fields and db.session.get(model, fields[key]) is None:
            errors[key] = [_("请选择有效的选项。")]
    for kpi in fields.get("kpis") or []:
        if not kpi.get("name_zh") or kpi.get("direction") not in KPI_DIRECTIONS:
            errors["kpis"] = [_("每个指标需要名称和方向（上升或下降）。")]
    return errors


def create_template(actor, fields: dict[str, Any]) -> ScenarioTemplate:
    _ensure_curator(actor)
    errors = validate_template_fields(fields)
    code = (fields.get("code") or "").strip()
    if not code:
        errors["code"] = [_("请填写编号。")]
    elif db.session.scalar(select(ScenarioTemplate).where(ScenarioTemplate.code == code)):
        errors["code"] = [_("该编号已存在。")]
    if errors:
        raise ValidationFailed(fields=errors)
    last = (
        db.session.scalar(
            select(func.max(ScenarioTemplate.position)).where(
                ScenarioTemplate.category_id == fields["category_id"]
            )
        )
        or 0
    )
    template = ScenarioTemplate(
        code=code,
        position=last + 1,
        status="active",
        **{k: fields[k] for k in EDITABLE_TEMPLATE_FIELDS if k in fields},
    )
    db.session.add(template)
    db.session.flush()
    _audit(actor, "create", "template", code, after=template.as_record())
    db.session.commit()
    return template


def update_template(actor, template: ScenarioTemplate, fields: dict[str, Any]) -> ScenarioTemplate:
    _ensure_curator(actor)
    errors = validate_template_fields(fields)
    if errors:
        raise ValidationFailed(fields=errors)
    before = template.as_record()
    if "kpis" in fields:
        fields = {**fields, "kpis": _keep_english_names(template.kpis, fields["kpis"])}
    for key in EDITABLE_TEMPLATE_FIELDS:
        if key in fields:
            setattr(template, key, fields[key])
    db.session.flush()
    db.session.refresh(template)
    _audit(actor, "edit", "template", template.code, before=before, after=template.as_record())
    db.session.commit()
    return template


def _keep_english_names(old: list[dict] | None, new: list[dict]) -> list[dict]:
    """The curation form edits name|unit|direction; a KPI keeps its English name by its Chinese one."""
    english = {k.get("name_zh"): k.get("name_en") for k in old or [] if k.get("name_en")}
    kept = []
    for kpi in new:
        name_en = kpi.get("name_en") or english.get(kpi["name_zh"])
        kept.append({**kpi, "name_en": name_en} if name_en else kpi)
    return kept


def retire_template(actor, template: ScenarioTemplate, note: str = "") -> None:
    _ensure_curator(actor)
    if template.status != "active":
        raise InvalidTransition(_("只有启用中的场景可以停用。"))
    template.status = "retired"
    _audit(
        actor,
        "retire",
        "template",
        template.code,
        before={"status": "active"},
        after={"status": "retired"},
        note=note,
    )
    db.session.commit()


def restore_template(actor, template: ScenarioTemplate) -> None:
    _ensure_curator(actor)
    if template.status != "retired":
        raise InvalidTransition(_("只有已停用的场景可以恢复。"))
    template.status = "active"
    _audit(
        actor,
        "restore",
        "template",
        template.code,
        before={"status": "retired"},
        after={"status": "active"},
    )
    db.session.commit()


def merge_templates(
    actor, source: ScenarioTemplate, target: ScenarioTemplate, note: str = ""
) -> dict:
    """Move every reference from `source` to `target`; `source` stays as a merged tombstone."""
    _ensure_curator(actor)
    if source.id == target.id:
        raise ValidationFailed(
            _("不能把场景合并到它自己。"), fields={"target": [_("请选择另一个场景。")]}
        )
    if source.status != "active" or target.status != "active":
        raise InvalidTransition(_("只能合并两个启用中的场景。"))
    moved = repoint_references(db.session, source.id, target.id)
    source.status = "merged"
    source.merged_into_id = target.id
    _audit(
        actor,
        "merge",
        "template",
        source.code,
        before={"status": "active"},
        after={"status": "merged", "into": target.code, "moved": moved},
        note=note,
    )
    db.session.commit()
    return moved


def move(actor, obj, direction: int) -> None:
    """Reorder an industry, category or template one step up (-1) or down (+1) among its siblings."""
    _ensure_curator(actor)
    siblings = _siblings(obj)
    index = siblings.index(obj)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, item in enumerate(siblings, start=1):
        item.position = position
    _audit(actor, "reorder", _entity(obj), obj.code, after={"position": obj.position})
    db.session.commit()


def update_group(actor, obj, fields: dict[str, Any]) -> None:
    """Edit an industry's or category's names and description; `active=False` retires it."""
    _ensure_curator(actor)
    if not (fields.get("name_zh") or "").strip():
        raise ValidationFailed(fields={"name_zh": [_("请填写中文名称。")]})
    allowed = ("name_zh", "name_en", "description_zh", "description_en", "active")
    before = {k: getattr(obj, k) for k in allowed if hasattr(obj, k)}
    for key in allowed:
        if key in fields and hasattr(obj, key):
            setattr(obj, key, fields[key])
    after = {k: getattr(obj, k) for k in allowed if hasattr(obj, k)}
    _audit(actor, "edit", _entity(obj), obj.code, before=before, after=after)
    db.session.commit()


def _entity(obj) -> str:
    return {Industry: "industry", ScenarioCategory: "category", ScenarioTemplate: "template"}[
        type(obj)
    ]


def _siblings(obj) -> list:
    model = type(obj)
    query = select(model)
    if model is ScenarioTemplate:
        query = query.where(model.category_id == obj.category_id, model.status == "active")
    return list(db.session.scalars(query.order_by(model.position, model.code)))


def taxonomy_names() -> dict[str, str]:
    """Code → Chinese name of every industry, category and template (match reasons)."""
    names: dict[str, str] = {}
    for model in (Industry, ScenarioCategory):
        names |= {row.code: row.name_zh for row in db.session.scalars(select(model))}
    names |= {t.code: t.title_zh for t in db.session.scalars(select(ScenarioTemplate))}
    return names
