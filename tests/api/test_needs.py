"""Needs through the API: the same access rules as the pages, pagination, validation."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.needs.models import Need
from tests.factories import KPI_ROW, make_need, make_org, make_user, need_fields


def body(**overrides) -> dict:
    fields = need_fields(**overrides)
    return {**fields, "kpis": [KPI_ROW]}


def test_factory_creates_updates_and_submits_a_need(as_user):
    factory = make_user(role="factory_member")
    caller = as_user(factory)
    created = caller.post("/api/v1/needs", json=body())
    assert created.status_code == 201, created.get_json()
    need = created.get_json()
    assert need["status"] == "draft" and need["details"]["kpis"][0]["indicator"] == "漏检率"
    changed = caller.put(f"/api/v1/needs/{need['id']}", json=body(title="新的标题"))
    assert changed.status_code == 200 and changed.get_json()["title"] == "新的标题"
    submitted = caller.post(f"/api/v1/needs/{need['id']}/submit")
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"
    assert db.session.get(Need, need["id"]).status == "submitted"
    again = caller.post(f"/api/v1/needs/{need['id']}/submit")
    assert again.status_code == 409


def test_vendor_cannot_create_needs(as_user):
    response = as_user(make_user(role="vendor_member")).post("/api/v1/needs", json=body())
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert db.session.scalar(select(Need)) is None


def test_anonymous_cannot_create_needs(as_user):
    assert as_user(None).post("/api/v1/needs", json=body()).status_code == 401


def test_other_factorys_draft_is_404_and_published_is_403_to_edit(as_user):
    owner_org = make_org("factory")
    draft = make_need(owner_org)
    published = make_need(owner_org, status="published")
    other = as_user(make_user(role="factory_member"))
    assert other.get(f"/api/v1/needs/{draft.id}").status_code == 404
    assert other.put(f"/api/v1/needs/{draft.id}", json=body()).status_code == 404
    assert other.get(f"/api/v1/needs/{published.id}").status_code == 200
    assert other.put(f"/api/v1/needs/{published.id}", json=body()).status_code == 403
    assert other.get("/api/v1/needs/999999").status_code == 404


def test_token_sees_no_more_than_its_user(as_user):
    summary_only = make_need(status="published", confidentiality="summary_only")
    invited = make_need(status="published", confidentiality="invited_only")
    vendor = as_user(make_user(role="vendor_member"))
    got = vendor.get(f"/api/v1/needs/{summary_only.id}").get_json()
    assert got["details"] is None and got["owner"].startswith("某")
    assert vendor.get(f"/api/v1/needs/{invited.id}").status_code == 404
    listed = {n["id"] for n in vendor.get("/api/v1/needs").get_json()["items"]}
    assert listed == {summary_only.id}
    anonymous = as_user(None).get(f"/api/v1/needs/{summary_only.id}").get_json()
    assert anonymous["details"] is None


def test_validation_errors_name_the_fields(as_user):
    caller = as_user(make_user(role="factory_member"))
    response = caller.post("/api/v1/needs", json={"title": "x" * 201, "industry_id": "abc"})
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert {"title", "industry_id", "category_id"} <= set(fields)
    response = caller.post("/api/v1/needs", json=body(budget_min=80, budget_max=10))
    assert response.status_code == 422
    assert "budget_max" in response.get_json()["error"]["fields"]
    assert caller.post("/api/v1/needs", data="not json").status_code == 422


def test_pagination_bounds_links_and_total(as_user):
    org = make_org("factory")
    for _ in range(5):
        make_need(org, status="published")
    caller = as_user(None)
    first = caller.get("/api/v1/needs?per_page=2&sort=newest").get_json()
    assert (first["total"], first["pages"], first["page"], len(first["items"])) == (5, 3, 1, 2)
    assert first["links"]["prev"] is None
    assert "page=2" in first["links"]["next"] and "sort=newest" in first["links"]["next"]
    last = caller.get(first["links"]["last"]).get_json()
    assert len(last["items"]) == 1 and last["links"]["next"] is None
    ids = {
        n["id"]
        for p in (1, 2, 3)
        for n in caller.get(f"/api/v1/needs?per_page=2&page={p}").get_json()["items"]
    }
    assert len(ids) == 5
    assert caller.get("/api/v1/needs?per_page=2&page=4").status_code == 404
    for bad in ("per_page=0", "per_page=101", "page=0", "page=abc"):
        response = caller.get(f"/api/v1/needs?{bad}")
        assert response.status_code == 422, bad
        assert set(response.get_json()["error"]["fields"]) & {"page", "per_page"}
