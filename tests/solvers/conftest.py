from types import SimpleNamespace

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.scenarios.loader import load_taxonomy
from matchmaker.scenarios.models import Industry, ScenarioCategory, ScenarioTemplate
from matchmaker.solvers.offerings import OfferingData
from tests.factories import make_org, make_user
from tests.scenarios.mini import MINI


def _by_code(model) -> dict:
    return {obj.code: obj for obj in db.session.scalars(select(model))}


@pytest.fixture
def tax(app_ctx):
    """The three-template mini taxonomy, by code: tax.templates["T001"], tax.categories[…]."""
    load_taxonomy(MINI)
    return SimpleNamespace(
        templates=_by_code(ScenarioTemplate),
        categories=_by_code(ScenarioCategory),
        industries=_by_code(Industry),
    )


@pytest.fixture
def vendor(app_ctx):
    return make_user(make_org("vendor"))


@pytest.fixture
def other_vendor(app_ctx):
    return make_user(make_org("vendor"))


@pytest.fixture
def organiser(app_ctx):
    return make_user(role="organiser")


def valid_data(tax, **overrides) -> OfferingData:
    values = {
        "title": "基于深度学习的坯布瑕疵在线检测系统",
        "summary": "验布机上加装线阵相机，120 米/分钟车速下实时识别 40 余类疵点。",
        "description": "支持断经、断纬、油污等疵点；与验布机联动打标。",
        "tech_tags": ["vision", "edge"],
        "deployment_modes": ["on_prem", "edge"],
        "template_ids": [tax.templates["T001"].id],
        "kpis": [
            {"indicator": "漏检率", "before": "5", "after": "0.8", "unit": "%", "direction": "down"}
        ],
        "price_min": "30",
        "price_max": "80",
        "delivery_weeks": "8",
    }
    values.update(overrides)
    return OfferingData(**values)
