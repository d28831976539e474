"""Offerings, taxonomy, search and rounds through the API."""

from __future__ import annotations

from tests.factories import ensure_taxonomy, make_need, make_offering, make_org, make_user


def offering_body(template) -> dict:
    return {
        "title": "AI 验布系统",
        "summary": "坯布疵点在线检测",
        "description": "深度学习视觉检测。",
        "deployment_modes": ["on_prem"],
        "template_ids": [template.id],
        "kpis": [
            {"indicator": "漏检率", "before": 10, "after": 2, "unit": "%", "direction": "down"}
        ],
        "price_min": 20,
        "price_max": 50,
        "delivery_weeks": 12,
    }


def test_vendor_creates_and_updates_an_offering(as_user):
    template = ensure_taxonomy()[0]
    vendor = as_user(make_user(role="vendor_member"))
    created = vendor.post("/api/v1/offerings", json=offering_body(template))
    assert created.status_code == 201, created.get_json()
    offering = created.get_json()
    assert offering["status"] == "draft" and offering["templates"] == [template.code]
    changed = vendor.put(
        f"/api/v1/offerings/{offering['id']}", json=offering_body(template) | {"title": "新方案"}
    )
    assert changed.status_code == 200 and changed.get_json()["title"] == "新方案"
    # A draft is the vendor's own: 404 for others, 403 for a factory's create.
    assert (
        as_user(make_user(role="vendor_member"))
        .get(f"/api/v1/offerings/{offering['id']}")
        .status_code
        == 404
    )
    factory = as_user(make_user(role="factory_member"))
    assert factory.post("/api/v1/offerings", json=offering_body(template)).status_code == 403


def test_offering_validation_names_fields(as_user):
    ensure_taxonomy()
    vendor = as_user(make_user(role="vendor_member"))
    response = vendor.post(
        "/api/v1/offerings", json={"title": "方案", "price_min": 9, "price_max": 1}
    )
    assert response.status_code == 422
    assert {"price_max", "deployment_modes"} <= set(response.get_json()["error"]["fields"])


def test_offering_directory_lists_published_only(as_user):
    ensure_taxonomy()
    published = make_offering(status="published")
    make_offering(status="draft")
    page = as_user(None).get("/api/v1/offerings").get_json()
    assert [o["id"] for o in page["items"]] == [published.id] and page["total"] == 1


def test_taxonomy_lists(as_user):
    templates = ensure_taxonomy()
    caller = as_user(None)
    assert caller.get("/api/v1/industries").get_json()["items"]
    assert caller.get("/api/v1/categories").get_json()["items"]
    items = caller.get(f"/api/v1/templates?category={templates[0].category_id}").get_json()["items"]
    assert templates[0].code in {t["code"] for t in items}
    assert all(t["category_id"] == templates[0].category_id for t in items)


def test_matches_are_for_owners_and_organisers(as_user):
    org = make_org("factory")
    need = make_need(org, status="published")
    offering = make_offering(status="published")
    stranger = as_user(make_user(role="factory_member"))
    assert stranger.get(f"/api/v1/needs/{need.id}/matches").status_code == 403
    owner = as_user(make_user(org))
    response = owner.get(f"/api/v1/needs/{need.id}/matches")
    assert response.status_code == 200 and "items" in response.get_json()
    assert as_user(None).get(f"/api/v1/needs/{need.id}/matches").status_code == 401
    vendor_member = as_user(make_user(offering.organisation))
    assert vendor_member.get(f"/api/v1/offerings/{offering.id}/matches").status_code == 200
    assert stranger.get(f"/api/v1/offerings/{offering.id}/matches").status_code == 403


def test_search_validates_the_query(as_user):
    caller = as_user(None)
    assert caller.get("/api/v1/search").status_code == 422
    assert caller.get("/api/v1/search?q=" + "字" * 201).status_code == 422
    response = caller.get("/api/v1/search?q=验布")
    assert response.status_code == 200 and "items" in response.get_json()


def test_rounds_and_applications(as_user):
    caller = as_user(None)
    assert caller.get("/api/v1/rounds").get_json() == {"items": []}
    assert caller.get("/api/v1/rounds/1").status_code == 404
    assert caller.get("/api/v1/listings/1").status_code == 404
    assert caller.get("/api/v1/applications").status_code == 401
    vendor = as_user(make_user(role="vendor_member"))
    assert vendor.get("/api/v1/applications").get_json() == {"items": []}
    assert vendor.get("/api/v1/applications/1").status_code == 404
