"""What the matching engine indexes about an offering: plain values only (no ORM objects).

The search package receives these dicts (or builds its `Document`s from them); it never
imports this package's models.
"""

from __future__ import annotations

from typing import Any

from .models import Offering
from .vocab import DEPLOYMENT_MODES, TECH_TAGS, labels


def _kpi_line(kpi) -> str:
    return f"{kpi.indicator} {_num(kpi.before)}{kpi.unit} → {_num(kpi.after)}{kpi.unit}"


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def search_text(offering: Offering) -> str:
    """Everything a factory might search for, one zh-CN text (titles of the taxonomy included)."""
    parts = [offering.title, offering.summary, offering.description]
    parts += [*search_labels(offering), offering.kpi_note]
    return "\n".join(part for part in parts if part)


def search_labels(offering: Offering) -> list[str]:
    """The parts of the text that are not the vendor's own wording: taxonomy names, tags and
    KPI lines (matching never offers them as "the closest wording")."""
    parts = [
        "；".join(c.name_zh for c in offering.categories),
        "；".join(t.title_zh for t in offering.templates),
        "；".join(i.name_zh for i in offering.industries),
        "；".join(labels(TECH_TAGS, offering.tech_tags)),
        "；".join(_kpi_line(k) for k in offering.kpis),
    ]
    return [part for part in parts if part]


def offering_document(offering: Offering) -> dict[str, Any]:
    """Fields (codes for filtering and explanations) and the `text` to index."""
    return {
        "id": offering.id,
        "kind": "offering",
        "title": offering.title,
        "summary": offering.summary,
        "description": offering.description,
        "vendor_id": offering.organisation_id,
        "vendor": offering.organisation.name,
        "status": offering.status,
        "categories": [c.code for c in offering.categories],
        "templates": [t.code for t in offering.templates],
        "industries": [i.code for i in offering.industries],
        "tech_tags": offering.tech_tags,
        "deployment_modes": offering.deployment_modes,
        "deployment_labels": labels(DEPLOYMENT_MODES, offering.deployment_modes),
        "kpis": [
            {
                "indicator": k.indicator,
                "before": k.before,
                "after": k.after,
                "unit": k.unit,
                "direction": k.direction,
            }
            for k in offering.kpis
        ],
        "kpi_note": offering.kpi_note,
        "price_min": offering.price_min,
        "price_max": offering.price_max,
        "delivery_weeks": offering.delivery_weeks,
        "text": search_text(offering),
        "labels": search_labels(offering),
    }
