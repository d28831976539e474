"""The round forms refuse NaN, ±inf and absurd numbers with a Chinese message on the page; the
typed text stays in the form and nothing is stored. The application service refuses them
whatever the entry point (不得降低考核指标 can no longer be passed with -inf)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from matchmaker.competitions import applications, stageflow
from matchmaker.competitions.models import Application, Round
from matchmaker.errors import ValidationFailed
from matchmaker.extensions import db
from tests.factories import login, make_user

from .builders import OPENS, application_data, at, make_listing, make_round, make_vendor
from .test_views import RUBRIC_FORM

NOT_FINITE = ("-inf", "NaN", "-1e309", "Infinity")
FINITE_ONLY = "请输入数字（不接受 NaN 或无穷大）。"


@pytest.fixture
def open_listing(app_ctx):
    organiser = make_user(role="organiser")
    at(OPENS - timedelta(days=1))
    listing = make_listing(organiser, make_round(organiser))
    at(OPENS + timedelta(hours=1))
    stageflow.tick()
    return listing


def apply_form(listing, offering, **overrides) -> dict:
    return {
        "offering_id": str(offering.id),
        "approach": "边缘部署视觉检测",
        "commitments-0-kpi_id": str(listing.kpis[0].id),
        "commitments-0-committed": "1.5",
        "milestones-0-title": "试运行",
        "milestones-0-due_date": "2025-06-01",
        "rights_declared": "y",
        **overrides,
    }


@pytest.mark.parametrize("typed", NOT_FINITE)
def test_a_commitment_must_be_a_finite_number(client, open_listing, typed):
    _org, lead, offering = make_vendor()
    login(client, lead.email)
    data = apply_form(open_listing, offering, **{"commitments-0-committed": typed})
    response = client.post(f"/rounds/listings/{open_listing.id}/apply", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "第 1 行“承诺值”：" in page and f'value="{typed}"' in page
    assert FINITE_ONLY in page or "应在 -1000000000000 到 1000000000000 之间。" in page
    assert "inf 秒" not in page and db.session.query(Application).count() == 0


@pytest.mark.parametrize(("field", "typed"), [("price", "NaN"), ("voucher_use", "-Infinity")])
def test_price_and_voucher_must_be_finite(client, open_listing, field, typed):
    _org, lead, offering = make_vendor()
    login(client, lead.email)
    data = apply_form(open_listing, offering, **{field: typed})
    response = client.post(f"/rounds/listings/{open_listing.id}/apply", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert FINITE_ONLY in page and f'value="{typed}"' in page
    assert db.session.query(Application).count() == 0


def test_a_price_beyond_reason_is_refused(client, open_listing):
    _org, lead, offering = make_vendor()
    login(client, lead.email)
    data = apply_form(open_listing, offering, price="1e309")
    response = client.post(f"/rounds/listings/{open_listing.id}/apply", data=data)
    assert response.status_code == 422
    assert "应在 0 到 10000000 之间。" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "overrides",
    [
        {"price": Decimal("NaN")},
        {"voucher_use": Decimal("-Infinity")},
        {"price": Decimal("1e30")},
    ],
)
def test_the_service_refuses_non_finite_amounts(open_listing, overrides):
    _org, lead, offering = make_vendor()
    data = application_data(open_listing, **overrides)
    with pytest.raises(ValidationFailed) as raised:
        applications.start_application(lead, open_listing, offering, data)
    assert set(raised.value.fields) & {"price", "voucher_use"}
    assert db.session.query(Application).count() == 0


@pytest.mark.parametrize("value", [float("-inf"), float("inf"), float("nan")])
def test_the_service_refuses_non_finite_commitments(open_listing, value):
    _org, lead, offering = make_vendor()
    data = application_data(open_listing, committed=value)
    with pytest.raises(ValidationFailed) as raised:
        applications.start_application(lead, open_listing, offering, data)
    assert "commitments" in raised.value.fields


ROUND_FORM = {
    "name": "专项批次",
    "opens_at": "2025-03-02T09:00",
    "closes_at": "2025-03-20T17:00",
    "publicity_days": "7",
    "quota": "1",
    "voucher_share": "0.3",
    "voucher_cap": "50",
    "max_leads": "3",
    "scale_max": "10",
    "tie_break": "指标承诺",
    **RUBRIC_FORM,
}


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("voucher_share", "NaN", FINITE_ONLY),
        ("voucher_cap", "Infinity", FINITE_ONLY),
        ("voucher_share", "1.5", "应在 0 到 1 之间。"),
        ("max_leads", "99999999999999999999", "应在 1 到 1000 之间。"),
        ("publicity_days", "9223372036854775808", "应在 1 到 365 之间。"),
        ("rubric-0-weight", "NaN", "第 1 行“权重”：" + FINITE_ONLY),
    ],
)
def test_round_form_numbers(client, app_ctx, field, typed, message):
    login(client, make_user(role="organiser").email)
    response = client.post("/rounds/console/new", data={**ROUND_FORM, field: typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page and f'value="{typed}"' in page
    assert db.session.query(Round).count() == 0


@pytest.mark.parametrize("typed", ["-inf", "NaN", "1e309"])
def test_listing_kpis_and_amounts(client, app_ctx, typed):
    organiser = make_user(role="organiser")
    at(OPENS - timedelta(days=1))
    round_ = make_round(organiser)
    listing = make_listing(organiser, round_)
    login(client, organiser.email)
    rows = {"kpis-0-indicator": "漏检率", "kpis-0-target": typed, "kpis-0-direction": "down"}
    response = client.post(f"/rounds/console/listings/{listing.id}/kpis", data=rows)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "第 1 行“目标”：" in page
    assert f'value="{typed}"' in page
    db.session.refresh(listing)
    assert listing.kpis[0].target == 2.0
    form = {"title": "榜单", "need_ids": [str(listing.needs[0].id)], "reward": typed}
    response = client.post(f"/rounds/console/{round_.id}/listings/new", data=form)
    assert response.status_code == 422 and f'value="{typed}"' in response.get_data(as_text=True)
