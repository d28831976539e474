"""Building the need form: taxonomy choices and pre-filling from a scenario template or a need
(the template picker at /needs/new is in picker.py)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from ..extensions import db
from ..formtools import choices
from ..i18n import current_locale
from ..scenarios.models import Industry, ScenarioCategory, ScenarioTemplate
from ..scenarios.services import active_entries as _active
from ..scenarios.services import active_templates
from .choices import TOWNS
from .forms import OTHER, NeedForm
from .models import CONTENT_FIELDS, Need

MIN_KPI_ROWS = 3
OTHER_CODE = "other"


def picked_template(code: str | None) -> tuple[ScenarioTemplate | None, bool]:
    """(template, is_other) from the `template` query parameter; unknown codes pick nothing."""
    if code == OTHER_CODE:
        return None, True
    if not code:
        return None, False
    template = db.session.scalar(
        select(ScenarioTemplate).where(
            ScenarioTemplate.code == code, ScenarioTemplate.status == "active"
        )
    )
    return template, False


def _template_choices(locale: str) -> dict[str, list[SelectChoice]]:
    groups: dict[str, list[SelectChoice]] = {
        _("其他"): [SelectChoice(OTHER, _("其他（自行描述场景）"))]
    }
    for template in active_templates():
        group = template.category.label("name", locale)
        label = f"{template.label('title', locale)}（{template.industry.label('name', locale)}）"
        groups.setdefault(group, []).append(SelectChoice(template.id, label))
    return groups


def _kpi_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = list(rows)
    while len(rows) < max(MIN_KPI_ROWS, len(rows) + 1) and len(rows) < 10:
        rows.append({"direction": "down"})
    return rows


def initial_from_template(template: ScenarioTemplate | None) -> dict[str, Any]:
    if template is None:
        return {"kpis": _kpi_rows([])}
    kpis = [
        {"indicator": k.get("name_zh", ""), "unit": k.get("unit", ""), "direction": k["direction"]}
        for k in template.kpis or []
        if k.get("direction") in ("up", "down")
    ]
    return {
        "title": template.title_zh,
        "industry_id": template.industry_id,
        "category_id": template.category_id,
        "template_id": template.id,
        "pain_point": template.pain_point_zh,
        "data_description": template.data_zh,
        "kpis": _kpi_rows(kpis),
    }


def initial_from_need(need: Need) -> dict[str, Any]:
    data = {name: getattr(need, name) for name in CONTENT_FIELDS}
    data["template_id"] = need.template_id or OTHER
    data["kpis"] = _kpi_rows([kpi.as_record() for kpi in need.kpis])
    return data


def need_form(need: Need | None = None, template: ScenarioTemplate | None = None) -> NeedForm:
    initial = initial_from_need(need) if need is not None else initial_from_template(template)
    form = NeedForm(data=initial)
    locale = current_locale()
    form.industry_id.choices = choices((i.id, i.label("name", locale)) for i in _active(Industry))
    form.category_id.choices = choices(
        (c.id, c.label("name", locale)) for c in _active(ScenarioCategory)
    )
    form.template_id.choices = _template_choices(locale)
    if need is not None and need.template is not None and not need.template.is_active:
        form.template_id.choices[_("其他")].append(
            SelectChoice(need.template_id, need.template.title_zh)
        )
    example = (template.example_zh if template is not None else "") or ""
    form.goal.render_kw = {"placeholder": example, "rows": 5}
    form.town.render_kw = {"list": "towns"}
    form.towns = TOWNS
    return form
