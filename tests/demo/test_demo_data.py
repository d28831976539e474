"""The demo's data, without a database: KPI values a plant engineer would believe, towns of
萧山 only."""

import json
from pathlib import Path

import pytest

from matchmaker.demo.district import FACTORIES, VENDORS
from matchmaker.demo.kpi_values import KPI_VALUES, kpi_values
from matchmaker.needs.choices import TOWNS

TAXONOMY = Path(__file__).parents[2] / "matchmaker" / "scenarios" / "data" / "taxonomy.json"
TEMPLATES = json.loads(TAXONOMY.read_text(encoding="utf-8"))["templates"]


@pytest.mark.parametrize("template", TEMPLATES, ids=[t["code"] for t in TEMPLATES])
def test_every_shipped_template_has_believable_kpi_values(template):
    kpis = template["kpis"]
    assert len(KPI_VALUES[template["code"]]) == len(kpis)
    for kpi, (baseline, target) in zip(kpis, kpi_values(template["code"], kpis), strict=True):
        assert (target < baseline) if kpi["direction"] == "down" else (target > baseline), kpi
        assert baseline >= 0 and target >= 0
        if kpi["unit"] == "%" and kpi["name_zh"] != "采购均价相对市场均价":
            assert max(baseline, target) <= 100, kpi
        if kpi["unit"] == "次/色号":  # the example: 3.5 → 2, never 70 → 42
            assert baseline <= 6


def test_an_unknown_template_gets_modest_values():
    kpis = [{"unit": "%", "direction": "down"}, {"unit": "天", "direction": "up"}]
    assert kpi_values("T999", kpis) == [(4.0, 2.0), (10.0, 12.0)]


def test_the_district_is_xiaoshan():
    assert {"河上镇", "瓜沥镇", "衙前镇", "义桥镇", "宁围街道", "新塘街道"} <= set(TOWNS)
    assert not {"北滘镇", "柯北街道", "华舍街道", "柯桥街道"} & set(TOWNS)
    assert {town for _name, _industry, town in FACTORIES} <= set(TOWNS)
    assert {town for _name, town, _what in VENDORS} <= set(TOWNS)
    assert len({name for name, *_ in FACTORIES + VENDORS}) == len(FACTORIES) + len(VENDORS)
