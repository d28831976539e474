"""Rules on a need's content that the services enforce whatever the entry point (form, API, demo).

Every function returns `{field: [messages]}`; an empty dict means valid.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _

from ..numbers import KPI_VALUE, MONEY_INT, problem
from .choices import (
    CONFIDENTIALITY,
    CONSTRAINTS,
    DATA_LABELLED,
    DATA_SOURCES,
    KPI_DIRECTIONS,
    MAX_KPIS,
    VOUCHERS,
)


def kpi_errors(rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    """At least one indicator; each with a target that improves on its baseline.

    A row from a form carries `form_row`, its number on the page (blank rows are dropped before
    this check but keep their place); rows without it (API, import) count from 1."""
    messages: list[str] = []
    if not rows:
        messages.append(_("请至少填写一个目标指标。"))
    if len(rows) > MAX_KPIS:
        messages.append(_("目标指标最多 %(n)s 个。", n=MAX_KPIS))
    for position, row in enumerate(rows, start=1):
        number = row.get("form_row") or position
        problem = _kpi_row_problem(row)
        if problem:
            messages.append(_("第 %(n)s 个指标：%(problem)s", n=number, problem=problem))
    return {"kpis": messages} if messages else {}


def _kpi_row_problem(row: dict[str, Any]) -> str | None:
    if not (row.get("indicator") or "").strip():
        return _("请填写指标名称。")
    if row.get("direction") not in KPI_DIRECTIONS:
        return _("请选择指标方向。")
    target, baseline = row.get("target"), row.get("baseline")
    if target is None:
        return _("请填写目标值。")
    refused = problem(target, KPI_VALUE) or problem(baseline, KPI_VALUE)
    if refused:
        return refused
    if baseline is None:
        return None
    if row["direction"] == "down" and not target < baseline:
        return _("“越低越好”的指标，目标值应低于现状值（例如出次率 6 → 5.1）。")
    if row["direction"] == "up" and not target > baseline:
        return _("“越高越好”的指标，目标值应高于现状值。")
    return None


def budget_errors(low: int | None, high: int | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if low is not None and low < 0:
        errors["budget_min"] = [_("预算不能为负数。")]
    if high is not None and high < 0:
        errors["budget_max"] = [_("预算不能为负数。")]
    for name, value in (("budget_min", low), ("budget_max", high)):
        refused = None if name in errors else problem(value, MONEY_INT)
        if refused:
            errors[name] = [refused]
    if not errors and low is not None and high is not None and low > high:
        errors["budget_max"] = [_("预算上限不能低于下限。")]
    return errors


def delivery_errors(months: int | None, until: date | None, today: date) -> dict[str, list[str]]:
    if months is not None and until is not None:
        return {"delivery_months": [_("交付周期请填写月数或日期中的一种。")]}
    if months is not None and not 1 <= months <= 60:
        return {"delivery_months": [_("交付周期应为 1 到 60 个月。")]}
    if until is not None and until <= today:
        return {"delivery_date": [_("期望交付日期应晚于今天。")]}
    return {}


def choice_errors(fields: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, allowed in (
        ("data_sources", DATA_SOURCES),
        ("vouchers", VOUCHERS),
        ("constraints", CONSTRAINTS),
    ):
        if any(value not in allowed for value in fields.get(name) or []):
            errors[name] = [_("请选择有效的选项。")]
    for name, allowed in (("data_labelled", DATA_LABELLED), ("confidentiality", CONFIDENTIALITY)):
        if fields.get(name) not in allowed:
            errors[name] = [_("请选择有效的选项。")]
    return errors


def text_errors(fields: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, message in (
        ("title", _("请填写需求名称。")),
        ("pain_point", _("请描述痛点。")),
        ("goal", _("请描述需求与期望效果。")),
    ):
        if not (fields.get(name) or "").strip():
            errors[name] = [message]
    if fields.get("template_id") is None and not (fields.get("other_description") or "").strip():
        errors["other_description"] = [_("选择“其他”时，请描述场景。")]
    return errors
