import json

from matchmaker.solvers.documents import offering_document
from matchmaker.solvers.offerings import create_offering
from matchmaker.solvers.queries import published_offerings
from tests.factories import make_offering, make_org

from .conftest import valid_data


def test_offering_document_is_plain_and_complete(tax, vendor):
    offering = create_offering(vendor, valid_data(tax))
    doc = offering_document(offering)
    json.dumps(doc)  # plain values only
    assert doc["title"] == "基于深度学习的坯布瑕疵在线检测系统"
    assert (doc["categories"], doc["templates"], doc["industries"]) == (
        ["vision"],
        ["T001"],
        ["textile"],
    )
    assert doc["kpis"] == [
        {"indicator": "漏检率", "before": 5.0, "after": 0.8, "unit": "%", "direction": "down"}
    ]
    assert doc["deployment_modes"] == ["edge", "on_prem"]
    assert (doc["price_min"], doc["price_max"]) == (30.0, 80.0)
    assert doc["vendor"] == vendor.organisation.name
    for part in ("坯布瑕疵", "坯布疵点视觉检测", "纺织化纤", "漏检率 5% → 0.8%", "机器视觉"):
        assert part in doc["text"]


def test_published_offerings_is_what_the_public_sees(app_ctx, vendor):
    shown = make_offering(vendor.organisation, "published")
    for status in ("draft", "submitted", "returned", "retired"):
        make_offering(vendor.organisation, status)
    make_offering(make_org("vendor", approved=False), "published")
    assert published_offerings() == [shown]
