"""The API refuses what the pages refuse: NaN, ±Infinity, 1e309 and absurd amounts are a 422
naming the field in Chinese (never stored, never a 500), and a body nested too deeply is
refused before it reaches the recursive JSON parser."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.needs.models import Need
from matchmaker.solvers.models import Offering
from tests.factories import KPI_ROW, ensure_taxonomy, make_need, make_user, need_fields

from .test_offerings import offering_body

NOT_FINITE = ("NaN", "Infinity", "-Infinity", "1e309", "-1e309")


def raw(body: dict, **literals: str) -> str:
    """JSON text with `"@name@"` placeholders replaced by literal tokens (NaN, 1e309…)."""
    text = json.dumps(body, ensure_ascii=False)
    for name, literal in literals.items():
        text = text.replace(f'"@{name}@"', literal)
    return text


def need_body(**kpi) -> dict:
    return {**need_fields(), "kpis": [{**KPI_ROW, **kpi}]}


def messages(response) -> list[str]:
    return [m for ms in response.get_json()["error"]["fields"].values() for m in ms]


@pytest.mark.parametrize("literal", NOT_FINITE)
@pytest.mark.parametrize("field", ["target", "baseline"])
def test_need_kpi_values_must_be_finite(as_user, literal, field):
    caller = as_user(make_user(role="factory_member"))
    body = raw(need_body(**{field: "@v@"}), v=literal)
    response = caller.post("/api/v1/needs", data=body, content_type="application/json")
    assert response.status_code == 422, response.get_json()
    assert f"kpis.0.{field}" in response.get_json()["error"]["fields"]
    assert any("NaN" in m or "不能" in m for m in messages(response))
    assert db.session.scalar(select(func.count(Need.id))) == 0


def test_need_budget_refuses_huge_and_infinite_numbers(as_user):
    caller = as_user(make_user(role="factory_member"))
    for literal in ("1e309", "NaN", "99999999999999999999"):
        body = raw({**need_body(), "budget_max": "@v@"}, v=literal)
        response = caller.post("/api/v1/needs", data=body, content_type="application/json")
        assert response.status_code == 422, literal
        assert "budget_max" in response.get_json()["error"]["fields"]
    assert db.session.scalar(select(func.count(Need.id))) == 0


def test_messages_are_chinese_and_say_why(as_user):
    caller = as_user(make_user(role="factory_member"))
    body = raw(need_body(target="@v@"), v="NaN")
    response = caller.post("/api/v1/needs", data=body, content_type="application/json")
    assert messages(response) == ["请输入数字（不接受 NaN 或无穷大）。"]
    body = raw(need_body(target="@v@"), v="1e13")
    response = caller.post("/api/v1/needs", data=body, content_type="application/json")
    assert messages(response) == ["不能大于 1000000000000。"]


@pytest.mark.parametrize("literal", NOT_FINITE)
def test_offering_prices_and_kpis_must_be_finite(as_user, literal):
    template = ensure_taxonomy()[0]
    vendor = as_user(make_user(role="vendor_member"))
    for field in ("price_min", "price_max"):
        body = raw({**offering_body(template), field: "@v@"}, v=literal)
        response = vendor.post("/api/v1/offerings", data=body, content_type="application/json")
        assert response.status_code == 422, (field, response.get_json())
        assert field in response.get_json()["error"]["fields"]
    kpis = [{**offering_body(template)["kpis"][0], "after": "@v@"}]
    body = raw({**offering_body(template), "kpis": kpis}, v=literal)
    response = vendor.post("/api/v1/offerings", data=body, content_type="application/json")
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(Offering.id))) == 0


def test_offering_ids_beyond_the_id_range_are_refused(as_user):
    template = ensure_taxonomy()[0]
    vendor = as_user(make_user(role="vendor_member"))
    body = {**offering_body(template), "template_ids": [2**63]}
    response = vendor.post("/api/v1/offerings", json=body)
    assert response.status_code == 422
    assert "template_ids.0" in response.get_json()["error"]["fields"]


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [40, 5_000, 100_000])
def test_deeply_nested_json_is_refused_everywhere(as_user, depth):
    template = ensure_taxonomy()[0]
    factory = as_user(make_user(role="factory_member"))
    vendor = as_user(make_user(role="vendor_member"))
    need = factory.post("/api/v1/needs", json=need_body()).get_json()
    calls = [
        (factory, "POST", "/api/v1/needs", {**need_body(), "kpis": "@deep@"}),
        (factory, "PUT", f"/api/v1/needs/{need['id']}", {**need_body(), "kpis": "@deep@"}),
        (vendor, "POST", "/api/v1/offerings", {**offering_body(template), "kpis": "@deep@"}),
        (vendor, "POST", "/api/v1/offerings", "@deep@"),
    ]
    for caller, method, path, body in calls:
        text = raw(body, deep=deep(depth)) if isinstance(body, dict) else deep(depth)
        response = caller.open(method, path, data=text, content_type="application/json")
        assert response.status_code == 422, (method, path, response.status_code)
        assert response.get_json()["error"]["code"] == "validation_failed"
        assert "嵌套过深" in response.get_json()["error"]["message"]


def test_nesting_that_a_real_body_has_is_accepted(as_user):
    caller = as_user(make_user(role="factory_member"))
    text = json.dumps({**need_body(), "title": "[[[[{{{{ 括号只在字符串里 ]]]]}}}}"})
    response = caller.post("/api/v1/needs", data=text, content_type="application/json")
    assert response.status_code == 201, response.get_json()


def test_huge_ids_in_api_paths_are_404(as_user):
    need = make_need(status="published")
    caller = as_user(make_user(role="factory_member"))
    for path in ("/api/v1/needs/9223372036854775808", "/api/v1/offerings/99999999999999999999"):
        assert caller.get(path).status_code == 404
    assert caller.get(f"/api/v1/needs/{need.id}").status_code == 200
