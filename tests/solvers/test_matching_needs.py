"""The solvers side of matching: offerings indexed on approve / retire, and the vendor's
"适合我的榜单" page (ranked needs with reasons, never an invited_only need or a hidden owner)."""

from __future__ import annotations

import pytest

from matchmaker.search.app import service
from matchmaker.solvers import lifecycle
from tests.factories import ensure_taxonomy, login, make_need, make_offering, make_org, make_user
from tests.search_wiring import index_now, search_index  # noqa: F401  (fixture)


@pytest.fixture
def world(app_ctx, search_index):  # noqa: F811
    templates = ensure_taxonomy()
    vendor = make_user(make_org("vendor"))
    return templates, vendor, make_user(role="organiser")


def _published_need(templates, index=0, **fields):
    need = make_need(status="published", template=templates[index], **fields)
    index_now("need", need)
    return need


def test_approve_indexes_and_retire_removes(world):
    templates, vendor, organiser = world
    offering = make_offering(vendor.organisation, status="submitted", templates=[templates[0]])
    lifecycle.approve_offering(organiser, offering)
    assert service.stored_document("offering", offering.id).title == offering.title
    lifecycle.retire_offering(vendor, offering)
    assert service.stored_document("offering", offering.id) is None


def test_vendor_page_ranks_needs_with_reasons(world, client):
    templates, vendor, organiser = world
    offering = make_offering(
        vendor.organisation,
        status="submitted",
        title="坯布疵点视觉检测系统",
        summary="验布机加装线阵相机，自动识别坯布疵点。",
        templates=[templates[0]],
    )
    lifecycle.approve_offering(organiser, offering)
    fitting = _published_need(templates, 0, title="坯布疵点视觉检测需求")
    other = _published_need(
        templates, 2, title="染料配方智能配比需求", goal="减少打样次数", pain_point="配方靠经验"
    )
    login(client, vendor.email)
    page = client.get("/vendor/matching-needs").get_data(as_text=True)
    # the other need is below the calibrated floor (not recommended) or after the fitting one
    shown = page.find(f"/needs/{other.id}")
    assert shown == -1 or page.index(f"/needs/{fitting.id}") < shown
    assert "match-badge" in page
    assert "同一场景模板" in page and offering.title in page


def test_vendor_page_never_leaks_invited_only_or_hidden_owner(world, client):
    templates, vendor, organiser = world
    offering = make_offering(vendor.organisation, status="submitted", templates=[templates[0]])
    lifecycle.approve_offering(organiser, offering)
    owner = make_org("factory", name="保密纺织有限公司")
    secret = _published_need(templates, 0, org=owner, confidentiality="invited_only",
                             title="邀请制疵点检测")  # fmt: skip
    summary = _published_need(templates, 0, org=owner, confidentiality="summary_only",
                              title="摘要公开疵点检测", goal="内部保密目标文字")  # fmt: skip
    login(client, vendor.email)
    page = client.get("/vendor/matching-needs").get_data(as_text=True)
    assert f"/needs/{summary.id}" in page
    assert f"/needs/{secret.id}" not in page and "邀请制疵点检测" not in page
    assert "保密纺织有限公司" not in page and "内部保密目标文字" not in page


def test_vendor_page_without_offerings_says_so(world, client):
    templates, vendor, _ = world
    _published_need(templates)
    login(client, vendor.email)
    page = client.get("/vendor/matching-needs").get_data(as_text=True)
    assert "暂无足够匹配的需求" in page


def test_vendor_page_is_for_vendor_members(world, client):
    login(client, make_user(make_org("factory")).email)
    assert client.get("/vendor/matching-needs").status_code == 403
