"""Hostile text is stored as text and rendered inert: XSS payloads come back escaped, SQL
fragments are data, redirect targets stay on the site."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from matchmaker.accounts.models import Organisation, User
from matchmaker.extensions import db
from matchmaker.scenarios.models import ScenarioTemplate, TaxonomyChange
from tests.factories import credit_code, login, make_need, make_offering

XSS = [
    '<script>alert("xss")</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
]
SQL = "x'); DROP TABLE organisations; --"


def registration(**overrides) -> dict[str, str]:
    data = {
        "kind": "factory",
        "org_name": "佛山市某五金制品有限公司",
        "credit_code": credit_code(),
        "contact_name": "陈工",
        "contact_phone": "13912345678",
        "district": "南海区",
        "town": "狮山镇",
        "name": "陈一",
        "email": "chen@example.com",
        "password": "long-enough-1",
        "password2": "long-enough-1",
    }
    data.update(overrides)
    return data


def assert_inert(html: str, payload: str) -> None:
    assert payload not in html
    escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert escaped.replace('"', "&#34;").replace("'", "&#39;") in html or escaped in html


@pytest.mark.parametrize("payload", XSS)
def test_registration_fields_are_escaped_for_the_member_and_the_reviewer(
    payload, client, world, client_as
):
    fields = {"org_name": payload, "contact_name": payload, "district": payload, "name": payload}
    response = client.post("/register", data=registration(**fields))
    assert response.status_code == 302
    login(client, "chen@example.com", "long-enough-1")  # registration does not log in
    assert_inert(client.get("/account").get_data(as_text=True), payload)
    assert_inert(
        client_as("organiser").get("/organisations/pending").get_data(as_text=True), payload
    )


@pytest.mark.parametrize("payload", XSS)
def test_invalid_input_echoed_back_is_escaped(payload, client):
    response = client.post("/register", data=registration(org_name=payload, credit_code="bad"))
    assert response.status_code == 422
    assert_inert(response.get_data(as_text=True), payload)
    response = client.post("/login", data={"email": payload, "password": "x"})
    assert response.status_code == 422
    assert_inert(response.get_data(as_text=True), payload)


@pytest.mark.parametrize("payload", XSS)
def test_curated_taxonomy_text_is_escaped_on_public_and_console_pages(payload, world, client_as):
    organiser = client_as("organiser")
    template = db.session.get(ScenarioTemplate, world.ids["template_id"])
    form = {
        "code": template.code,
        "industry_id": template.industry_id,
        "category_id": template.category_id,
        "stage": template.stage,
        "title_zh": payload,
        "title_en": payload,
        "pain_point_zh": payload,
        "data_zh": payload,
        "example_zh": payload,
        "kpis": f"{payload}|%|down",
    }
    path = world.path("/console/taxonomy/templates/{template_id}/edit")
    assert organiser.post(path, data=form).status_code == 302
    group = world.path("/console/taxonomy/industry/{industry_id}/edit")
    assert organiser.post(group, data={"name_zh": payload, "active": "y"}).status_code == 302
    anonymous = client_as("anonymous")
    for page in (
        "/scenarios/{template_code}",
        "/scenarios/",
        "/scenarios/industry/{industry_code}",
    ):
        assert_inert(anonymous.get(world.path(page)).get_data(as_text=True), payload)
    anonymous.get("/lang/en")
    assert_inert(
        anonymous.get(world.path("/scenarios/{template_code}")).get_data(as_text=True), payload
    )
    for page in ("/console/taxonomy/", path):
        assert_inert(organiser.get(page).get_data(as_text=True), payload)
    page = organiser.get("/console/taxonomy/audit").get_data(as_text=True)
    audit = page.split('id="content"', 1)[1].split("</main>", 1)[0]  # the page's own content
    assert payload not in audit and "<script>" not in audit and "<img" not in audit


def test_sql_shaped_registration_is_stored_as_text(client, app_ctx):
    data = registration(org_name=SQL, contact_name="' OR '1'='1", email="o'brien@example.com")
    assert client.post("/register", data=data).status_code == 302
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == SQL))
    assert org is not None and org.contact_name == "' OR '1'='1"
    assert db.session.scalar(sa.select(User.email)) == "o'brien@example.com"


def test_sql_shaped_login_does_not_log_in(world, client):
    for email, password in [
        ("' OR '1'='1' --@example.com", "x"),
        (world.email["organiser"], "' OR ''='"),
        (world.email["organiser"] + "' --", "x"),
    ]:
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 422
    assert client.get("/account").status_code == 302


def test_sql_shaped_paths_and_curation_text_are_data(world, client_as):
    anonymous = client_as("anonymous")
    assert anonymous.get("/scenarios/T001' OR '1'='1").status_code == 404
    assert anonymous.get("/scenarios/industry/x' UNION SELECT 1 --").status_code == 404
    organiser = client_as("organiser")
    template = db.session.get(ScenarioTemplate, world.ids["template_id"])
    note = "'; DELETE FROM scenario_templates; --"
    path = world.path("/console/taxonomy/templates/{template_id}/retire")
    assert organiser.post(path, data={"note": note}).status_code == 302
    count = db.session.scalar(sa.select(sa.func.count()).select_from(ScenarioTemplate))
    assert count == 3
    change = db.session.scalar(sa.select(TaxonomyChange).order_by(TaxonomyChange.id.desc()))
    assert change.note == note and change.entity_code == template.code


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "javascript:alert(1)",
        "/\\evil.example",
        "\\\\evil",
    ],
)
def test_redirect_targets_stay_on_the_site(target, world, client):
    response = client.get("/lang/en", query_string={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": world.email["factory_a"], "password": "secret-pass-1"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/account"


@pytest.mark.parametrize("payload", XSS)
def test_need_and_offering_text_is_escaped_wherever_it_is_listed(payload, world, client_as):
    owner = db.session.get(Organisation, world.ids["org_factory_a"])
    text = {"title": payload, "pain_point": payload, "goal": payload, "town": payload}
    public = make_need(owner, "published", **text)
    submitted = make_need(owner, "submitted", **text)
    vendor = db.session.get(Organisation, world.ids["org_vendor_a"])
    offering = make_offering(vendor, "published", title=payload, summary=payload)
    pages = {
        "anonymous": ["/needs/", f"/needs/{public.id}", "/solutions/", f"/solutions/{offering.id}"],
        "vendor_b": [f"/needs/{public.id}", f"/vendors/{vendor.id}"],
        "factory_a": ["/needs/mine", f"/needs/{public.id}/edit"],
        "vendor_a": ["/vendor/offerings"],
        "organiser": ["/needs/review", f"/needs/{submitted.id}", "/console/offerings/"],
    }
    for role, paths in pages.items():
        client = client_as(role)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert payload not in response.get_data(as_text=True), (role, path)
