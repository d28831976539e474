"""Validate the shipped scenario taxonomy (matchmaker/scenarios/data/taxonomy.json).

Pure JSON checks: no Flask app and no database are needed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib import resources

import pytest

STAGE_CODES = {
    "factory_build",
    "product_rd",
    "process_design",
    "production_mgmt",
    "production_ops",
    "operations_mgmt",
    "product_service",
    "supply_chain",
}
CATEGORY_CODES = {
    "vision_inspection",
    "process_optimization",
    "predictive_maintenance",
    "scheduling",
    "embodied_flexible_line",
    "energy_optimization",
    "demand_forecasting",
    "rd_design",
    "safety_monitoring",
    "knowledge_assistant",
}
ZH_FIELDS = ("title_zh", "pain_point_zh", "data_zh", "example_zh")
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def taxonomy() -> dict:
    source = resources.files("matchmaker.scenarios") / "data" / "taxonomy.json"
    return json.loads(source.read_text(encoding="utf-8"))


def _codes(items: list[dict]) -> list[str]:
    return [item["code"] for item in items]


def _nonblank(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def test_version_and_counts(taxonomy):
    assert taxonomy["version"] == 1
    assert len(taxonomy["stages"]) == 8
    assert len(taxonomy["industries"]) == 15
    assert len(taxonomy["categories"]) == 10
    assert len(taxonomy["templates"]) == 104


@pytest.mark.parametrize("section", ["stages", "industries", "categories", "templates"])
def test_codes_unique(taxonomy, section):
    codes = _codes(taxonomy[section])
    duplicates = [code for code, n in Counter(codes).items() if n > 1]
    assert not duplicates


def test_stage_and_category_codes(taxonomy):
    assert set(_codes(taxonomy["stages"])) == STAGE_CODES
    assert set(_codes(taxonomy["categories"])) == CATEGORY_CODES


def test_industry_and_category_fields(taxonomy):
    for section in ("stages", "industries", "categories"):
        for item in taxonomy[section]:
            assert SNAKE.match(item["code"]), item["code"]
            assert _nonblank(item["name_zh"]) and _nonblank(item["name_en"]), item["code"]
    for item in taxonomy["categories"]:
        assert _nonblank(item["description_zh"]) and _nonblank(item["description_en"])


@pytest.mark.parametrize("section", ["industries", "categories", "templates"])
def test_positions_are_one_to_n(taxonomy, section):
    positions = sorted(item["position"] for item in taxonomy[section])
    assert positions == list(range(1, len(taxonomy[section]) + 1))


def test_template_codes_are_t001_to_t104(taxonomy):
    assert sorted(_codes(taxonomy["templates"])) == [f"T{i:03d}" for i in range(1, 105)]


def test_template_references_resolve(taxonomy):
    stages = set(_codes(taxonomy["stages"]))
    industries = set(_codes(taxonomy["industries"]))
    categories = set(_codes(taxonomy["categories"]))
    for t in taxonomy["templates"]:
        assert t["stage"] in stages, t["code"]
        assert t["industry"] in industries, t["code"]
        assert t["category"] in categories, t["code"]


def test_coverage(taxonomy):
    templates = taxonomy["templates"]
    per_industry = Counter(t["industry"] for t in templates)
    per_category = Counter(t["category"] for t in templates)
    for industry in _codes(taxonomy["industries"]):
        assert per_industry[industry] >= 4, industry
    for category in _codes(taxonomy["categories"]):
        assert per_category[category] >= 6, category
    assert {t["stage"] for t in templates} == set(_codes(taxonomy["stages"]))


def test_template_text_fields(taxonomy):
    for t in taxonomy["templates"]:
        for field in ZH_FIELDS:
            assert _nonblank(t[field]), (t["code"], field)
        assert _nonblank(t["title_en"]), t["code"]


def test_template_kpis(taxonomy):
    for t in taxonomy["templates"]:
        kpis = t["kpis"]
        assert 1 <= len(kpis) <= 3, t["code"]
        for kpi in kpis:
            assert kpi["direction"] in {"up", "down"}, t["code"]
            assert _nonblank(kpi["unit"]), t["code"]
            assert _nonblank(kpi["name_zh"]) and _nonblank(kpi["name_en"]), t["code"]
        names = [kpi["name_zh"] for kpi in kpis]
        assert len(names) == len(set(names)), t["code"]


@pytest.mark.parametrize(
    "field", ["title_zh", "title_en", "pain_point_zh", "example_zh", "data_zh"]
)
def test_template_texts_distinct(taxonomy, field):
    values = [t[field].strip().casefold() for t in taxonomy["templates"]]
    duplicates = [value for value, n in Counter(values).items() if n > 1]
    assert not duplicates


def test_kpi_names_are_used_consistently(taxonomy):
    """A KPI that appears in several templates keeps one English name, unit and direction."""
    seen: dict[str, tuple[str, str, str]] = {}
    for t in taxonomy["templates"]:
        for kpi in t["kpis"]:
            meta = (kpi["name_en"], kpi["unit"], kpi["direction"])
            assert seen.setdefault(kpi["name_zh"], meta) == meta, (t["code"], kpi["name_zh"])
