"""Hints on the need form: classification suggestions and near-duplicate published needs.

"智能识别" (a submit button; no script) sends the form back with the typed text: the
classifier suggests an industry, a category and the three closest templates, which the
factory confirms with "采用" (that button fills the three taxonomy fields and keeps the
rest of the input). Published needs that say nearly the same thing are listed too; only
needs stored as "published" are shown (never an invited_only one), by title and hall link.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..numbers import as_id
from ..scenarios.models import Industry, ScenarioCategory, ScenarioTemplate
from ..search.app import service
from ..search.core.documents import Document
from .choices import CONSTRAINTS, DATA_SOURCES
from .states import PUBLISHED

log = logging.getLogger(__name__)
TEXT_FIELDS = ("title", "other_description", "goal", "pain_point", "current_process")
MIN_TEXT = 4


@dataclass
class Suggested:
    label: str
    confidence: float
    template: ScenarioTemplate | None = None


@dataclass
class FormHints:
    industry: Suggested | None = None
    category: Suggested | None = None
    templates: list[Suggested] = field(default_factory=list)
    duplicates: list[tuple[Document, float]] = field(default_factory=list)
    message: str = ""


def form_text(form) -> str:
    """The typed need as the index sees a public need (`hall.need_document`'s parts)."""
    names = _names()
    industry = db.session.get(Industry, form.industry_id.data or 0)
    category = db.session.get(ScenarioCategory, form.category_id.data or 0)
    template = db.session.get(ScenarioTemplate, form.template_id.data or 0)
    parts = [str(form.title.data or "")]
    parts += [names.get(x.code, "") for x in (industry, category) if x is not None]
    parts += [template.title_zh] if template is not None else []
    parts += [str(form[name].data or "") for name in TEXT_FIELDS[1:]]
    parts += [str(form.data_description.data or "")]
    parts += [_labels(form.data_sources.data, DATA_SOURCES)]
    parts += [
        f"{row.indicator.data}（{row.unit.data or ''}）" for row in form.kpis if row.indicator.data
    ]
    parts += [_labels(form.constraints.data, CONSTRAINTS), str(form.constraints_note.data or "")]
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _labels(codes, table: dict) -> str:
    return "、".join(str(table[code]) for code in codes or [] if code in table)


def hints_for(text: str, exclude_id: int | None = None) -> FormHints:
    """Suggestions for the typed text; an empty FormHints (with a message) on failure."""
    hints = FormHints()
    if len(text) < MIN_TEXT:
        return hints
    try:
        _classify(hints, text)
        hints.duplicates = duplicates_of(text, exclude_id)
    except Exception:  # noqa: BLE001  (hints are optional; the form still works)
        log.exception("need form hints failed")
        hints.message = "unavailable"
    return hints


def duplicates_of(text: str, exclude_id: int | None = None) -> list[tuple[Document, float]]:
    exclude = [exclude_id] if exclude_id is not None else []
    out = []
    try:
        found = service.near_duplicates(text, k=5, exclude=exclude)
    except Exception:  # noqa: BLE001  (hints are optional)
        log.exception("duplicate hints failed")
        return []
    docs = service.stored_documents("need", [dup.id for dup in found])
    for dup in found:
        doc = docs.get(dup.id)
        if doc is not None and doc.status == PUBLISHED:
            out.append((doc, dup.similarity))
    return out


def _classify(hints: FormHints, text: str) -> None:
    found = service.classify(text)
    names = _names()
    if found.industry is not None:
        hints.industry = Suggested(names.get(found.industry.code, ""), found.industry.confidence)
    if found.category is not None:
        hints.category = Suggested(names.get(found.category.code, ""), found.category.confidence)
    codes = [s.code for s in found.templates]
    by_code = {
        t.code: t
        for t in db.session.scalars(
            select(ScenarioTemplate).where(ScenarioTemplate.code.in_(codes))
        )
    }
    for suggestion in found.templates:
        template = by_code.get(suggestion.code)
        if template is not None and template.is_active:
            hints.templates.append(Suggested(template.title_zh, suggestion.confidence, template))


def _names() -> dict[str, str]:
    rows = list(db.session.scalars(select(Industry))) + list(
        db.session.scalars(select(ScenarioCategory))
    )
    return {row.code: row.name_zh for row in rows}


def apply_template(form, template_id: str | None) -> bool:
    """Fill the taxonomy fields from a confirmed suggestion; False for an unknown template."""
    key = as_id(template_id)
    template = db.session.get(ScenarioTemplate, key) if key is not None else None
    if template is None or not template.is_active:
        return False
    form.industry_id.data = template.industry_id
    form.category_id.data = template.category_id
    form.template_id.data = template.id
    return True
