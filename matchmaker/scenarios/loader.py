"""Load the shipped taxonomy (`data/taxonomy.json`) into the database, idempotently.

Entries are matched by code. Missing ones are created; existing ones are left as the
organisers curated them unless `update=True`, which refreshes the shipped fields (retired or
merged templates stay retired or merged either way).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from sqlalchemy import select

from ..extensions import db
from .miit_stages import STAGE_CODES
from .models import Industry, ScenarioCategory, ScenarioTemplate, TaxonomyChange

TEMPLATE_FIELDS = (
    "stage",
    "title_zh",
    "title_en",
    "pain_point_zh",
    "data_zh",
    "example_zh",
    "kpis",
    "position",
)


@dataclass
class LoadResult:
    created: dict[str, int] = field(
        default_factory=lambda: {"industries": 0, "categories": 0, "scenarios": 0}
    )
    updated: dict[str, int] = field(
        default_factory=lambda: {"industries": 0, "categories": 0, "scenarios": 0}
    )


def shipped_taxonomy() -> dict[str, Any]:
    text = resources.files("matchmaker.scenarios").joinpath("data/taxonomy.json").read_text("utf-8")
    return json.loads(text)


def load_taxonomy(data: dict[str, Any] | None = None, *, update: bool = False) -> LoadResult:
    data = data if data is not None else shipped_taxonomy()
    _check_stages(data)
    result = LoadResult()
    industries = _upsert_simple(
        Industry,
        data["industries"],
        ("name_zh", "name_en", "position"),
        "industries",
        result,
        update,
    )
    categories = _upsert_simple(
        ScenarioCategory,
        data["categories"],
        ("name_zh", "name_en", "description_zh", "description_en", "position"),
        "categories",
        result,
        update,
    )
    existing = {t.code: t for t in db.session.scalars(select(ScenarioTemplate))}
    for row in data["templates"]:
        template = existing.get(row["code"])
        if template is None:
            template = ScenarioTemplate(code=row["code"], status="active")
            db.session.add(template)
            result.created["scenarios"] += 1
        elif not update:
            continue
        else:
            result.updated["scenarios"] += 1
        template.industry = industries[row["industry"]]
        template.category = categories[row["category"]]
        for name in TEMPLATE_FIELDS:
            setattr(template, name, row.get(name, getattr(template, name)))
    if any(result.created.values()) or any(result.updated.values()):
        db.session.add(
            TaxonomyChange(
                action="load",
                entity="template",
                entity_code="*",
                after={"created": result.created, "updated": result.updated},
            )
        )
    db.session.commit()
    return result


def _check_stages(data: dict[str, Any]) -> None:
    shipped = {s["code"] for s in data.get("stages", [])} or set(STAGE_CODES)
    if shipped != set(STAGE_CODES):
        raise ValueError(f"taxonomy stages {sorted(shipped)} differ from {sorted(STAGE_CODES)}")


def _upsert_simple(model, rows, fields, key, result: LoadResult, update: bool) -> dict[str, Any]:
    by_code = {obj.code: obj for obj in db.session.scalars(select(model))}
    for row in rows:
        obj = by_code.get(row["code"])
        if obj is None:
            obj = model(code=row["code"])
            db.session.add(obj)
            by_code[row["code"]] = obj
            result.created[key] += 1
        elif not update:
            continue
        else:
            result.updated[key] += 1
        for name in fields:
            if name in row:
                setattr(obj, name, row[name])
    return by_code
