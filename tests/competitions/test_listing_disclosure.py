"""A listing shows of its needs only what each need's page shows the same viewer: a
summary_only need's KPIs and owner stay hidden until the viewer's organisation signs the NDA
(HTML and API), and the listing form offers no invited_only need."""

from __future__ import annotations

import pytest

from matchmaker.competitions import rounds
from matchmaker.errors import ValidationFailed
from matchmaker.extensions import db
from matchmaker.needs.engagement import accept_nda
from tests.api.conftest import bearer
from tests.factories import login, make_need, make_org, make_user

from .builders import make_listing, make_round

SECRET_KPI = "保密指标：良率"
OWNER = "保密工厂股份有限公司"


@pytest.fixture
def scene(app_ctx):
    organiser = make_user(role="organiser")
    factory = make_org("factory", name=OWNER)
    need = make_need(factory, "published", confidentiality="summary_only", title="摘要需求")
    need.kpis[0].indicator = SECRET_KPI
    db.session.commit()
    listing = make_listing(organiser, make_round(organiser), [need])
    vendor_org = make_org("vendor")
    return {
        "listing": listing,
        "need": need,
        "organiser": organiser,
        "owner": make_user(factory),
        "vendor": make_user(vendor_org),
        "signed": make_user(make_org("vendor")),
    }


def page(client, scene, role=None) -> str:
    if role is not None:
        login(client, scene[role].email)
    response = client.get(f"/rounds/listings/{scene['listing'].id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def api_listing(client, scene, role=None) -> dict:
    headers = bearer(scene[role]) if role else {}
    response = client.get(f"/api/v1/listings/{scene['listing'].id}", headers=headers)
    assert response.status_code == 200
    return response.get_json()


def test_anonymous_sees_neither_the_kpis_nor_the_owner(client, scene):
    html = page(client, scene)
    assert SECRET_KPI not in html and OWNER not in html
    assert "登录后可查看考核指标" in html
    body = api_listing(client, scene)
    assert body["kpis"] is None and OWNER not in body["owners"]
    round_body = client.get(f"/api/v1/rounds/{scene['listing'].round_id}").get_json()
    assert SECRET_KPI not in str(round_body) and OWNER not in str(round_body)


def test_a_vendor_without_the_nda_is_sent_to_the_need(client, scene):
    html = page(client, scene, "vendor")
    assert SECRET_KPI not in html and OWNER not in html
    assert f'href="/needs/{scene["need"].id}"' in html
    assert api_listing(client, scene, "vendor")["kpis"] is None


def test_the_nda_opens_the_kpis_and_the_owner(client, scene):
    accept_nda(scene["signed"], scene["need"])
    html = page(client, scene, "signed")
    assert SECRET_KPI in html and OWNER in html
    body = api_listing(client, scene, "signed")
    assert [k["indicator"] for k in body["kpis"]] == [SECRET_KPI]
    assert body["owners"] == [OWNER]


@pytest.mark.parametrize("role", ["organiser", "owner"])
def test_owner_and_organisers_see_everything(client, scene, role):
    assert SECRET_KPI in page(client, scene, role)
    assert api_listing(client, scene, role)["kpis"] is not None


def test_a_public_need_keeps_its_kpis_for_members_only(client, app_ctx):
    organiser = make_user(role="organiser")
    listing = make_listing(organiser, make_round(organiser))
    url = f"/rounds/listings/{listing.id}"
    assert "漏检率" not in client.get(url).get_data(as_text=True)
    assert client.get(f"/api/v1/listings/{listing.id}").get_json()["kpis"] is None
    login(client, make_user(make_org("vendor")).email)
    assert "漏检率" in client.get(url).get_data(as_text=True)


# --- the listing form's need picker -----------------------------------------------------


def test_the_picker_offers_no_invited_only_need(client, app_ctx):
    organiser = make_user(role="organiser")
    round_ = make_round(organiser)
    invited = make_need(status="published", confidentiality="invited_only", title="邀请制需求")
    make_need(status="published", confidentiality="summary_only", title="摘要制需求")
    login(client, organiser.email)
    url = f"/rounds/console/{round_.id}/listings/new"
    form = client.get(url).get_data(as_text=True)
    assert "摘要制需求" in form and "邀请制需求" not in form
    response = client.post(url, data={"title": "邀请制榜单", "need_ids": [str(invited.id)]})
    assert response.status_code == 422
    assert "邀请制榜单" in response.get_data(as_text=True)
    assert invited not in rounds.publishable_needs()


def test_the_service_refuses_an_invited_only_need(app_ctx):
    organiser = make_user(role="organiser")
    invited = make_need(status="published", confidentiality="invited_only")
    with pytest.raises(ValidationFailed) as refused:
        make_listing(organiser, make_round(organiser), [invited])
    assert "仅受邀" in refused.value.message


# --- the apply form commits to the KPIs, so it waits for the NDA as the listing page does ---


def _open_summary_listing():
    from datetime import timedelta

    from matchmaker.competitions import stageflow

    from .builders import OPENS, at, make_vendor

    organiser = make_user(role="organiser")
    need = make_need(make_org("factory"), "published", confidentiality="summary_only")
    need.kpis[0].indicator = SECRET_KPI
    db.session.commit()
    at(OPENS - timedelta(days=1))
    listing = make_listing(organiser, make_round(organiser), [need])
    at(OPENS + timedelta(hours=1))
    stageflow.tick()
    _org, vendor, offering = make_vendor()
    return listing, need, vendor, offering


def test_the_apply_form_waits_for_the_nda(client, app_ctx):
    from matchmaker.competitions import applications
    from matchmaker.errors import NotAllowed

    listing, need, vendor, offering = _open_summary_listing()
    login(client, vendor.email)
    response = client.get(f"/rounds/listings/{listing.id}/apply")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and SECRET_KPI not in html
    assert "请先签署该榜单所含需求的保密承诺" in html and f'href="/needs/{need.id}"' in html
    assert client.post(f"/rounds/listings/{listing.id}/apply").status_code == 403
    with pytest.raises(NotAllowed):
        applications.start_application(vendor, listing, offering)
    accept_nda(vendor, need)
    html = client.get(f"/rounds/listings/{listing.id}/apply").get_data(as_text=True)
    assert SECRET_KPI in html and "请先签署" not in html
