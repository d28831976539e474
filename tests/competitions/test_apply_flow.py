"""The vendor's way through 揭榜: apply again after withdrawing, the planned voucher bounded by
the price and the round's policy, the best-fitting offering proposed, an unapproved vendor
told before the form, and the commitment error worded by the indicator's direction."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from matchmaker.competitions import applications, offering_choice, publicity
from matchmaker.competitions import statuses as st
from matchmaker.competitions.models import Application, Award
from matchmaker.errors import ValidationFailed
from matchmaker.extensions import db
from tests.competitions.builders import (
    OPENS,
    application_data,
    apply,
    at,
    make_listing,
    make_round,
    make_vendor,
)
from tests.competitions.formwalk import form_with
from tests.competitions.test_races import form_data, open_round
from tests.factories import (
    ensure_taxonomy,
    login,
    make_need,
    make_offering,
    make_org,
    make_user,
)
from tests.search_wiring import index_now, search_index  # noqa: F401  (fixture)

# --- 10: a new application after 撤回 -------------------------------------------------------


def test_a_withdrawn_application_no_longer_blocks_a_new_one(app_ctx):
    _round, (listing,) = open_round(1, max_leads=1)
    _org, lead, offering = make_vendor()
    first = apply(lead, offering, listing)
    applications.withdraw_application(lead, first)
    second = apply(lead, offering, listing)
    assert first.status == st.WITHDRAWN and second.status == st.SUBMITTED
    with pytest.raises(ValidationFailed, match="只能提交一份"):
        applications.start_application(lead, listing, offering)


def test_apply_after_withdrawing_opens_a_new_form(client, app_ctx):
    _round, (listing,) = open_round(1)
    _org, lead, offering = make_vendor()
    first = apply(lead, offering, listing)
    login(client, lead.email)
    assert client.post(f"/rounds/applications/{first.id}/withdraw").status_code == 302
    page = client.get(f"/rounds/listings/{listing.id}").get_data(as_text=True)
    assert f"/rounds/listings/{listing.id}/apply" in page
    url = f"/rounds/listings/{listing.id}/apply"
    form_page = client.get(url)
    assert form_page.status_code == 200 and 'name="approach"' in form_page.get_data(as_text=True)
    response = client.post(url, data=form_data(listing, offering))
    assert response.status_code == 302
    rows = db.session.query(Application).order_by(Application.id).all()
    assert [a.status for a in rows] == [st.WITHDRAWN, st.DRAFT]
    page = client.get(f"/rounds/listings/{listing.id}").get_data(as_text=True)
    assert f"/rounds/applications/{rows[1].id}" in page and "我的揭榜申请" in page


def test_the_apply_form_sent_twice_in_turn_lands_on_the_first_application(client, app_ctx):
    _round, (listing,) = open_round(1)
    _org, lead, offering = make_vendor()
    login(client, lead.email)
    url = f"/rounds/listings/{listing.id}/apply"
    first = client.post(url, data=form_data(listing, offering))
    second = client.post(url, data=form_data(listing, offering))
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.query(Application).count() == 1


# --- 11: 拟使用场景券 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "voucher", "message"),
    [
        ("48", "60", "不能超过报价 48.00 万元"),
        ("48", "20", "不能超过报价的 30%，即 14.40 万元"),
        (None, "5", "请先填写报价"),
        ("-1", None, "应在 0 到 10000000 之间"),  # numbers.MONEY, before the voucher rules
    ],
)
def test_voucher_bounded_at_save(app_ctx, price, voucher, message):
    _round, (listing,) = open_round(1)
    _org, lead, offering = make_vendor()
    draft = applications.start_application(lead, listing, offering)
    data = application_data(
        listing,
        price=None if price is None else Decimal(price),
        voucher_use=None if voucher is None else Decimal(voucher),
    )
    with pytest.raises(ValidationFailed) as caught:
        applications.save_application(lead, draft, data)
    assert message in " ".join(m for ms in caught.value.fields.values() for m in ms)
    db.session.refresh(draft)
    assert draft.voucher_use is None


def test_voucher_bounded_by_the_firms_yearly_cap(app_ctx):
    _round, (listing,) = open_round(1)
    factory = listing.owners[0]
    _org, lead, offering = make_vendor()
    _grant(factory, Decimal("40"))
    draft = applications.start_application(lead, listing, offering)
    with pytest.raises(ValidationFailed, match="剩余额度为 10.00 万元"):
        applications.save_application(lead, draft, application_data(listing))  # 18 planned
    applications.save_application(lead, draft, application_data(listing, voucher_use=Decimal(10)))


def _grant(factory, amount: Decimal) -> None:
    """A voucher already granted to the factory this year (another round's award)."""
    scene_org, _lead, offering = make_vendor()
    other_round, (other,) = open_round(1)
    app = applications.start_application(_lead, other, offering)
    db.session.add(
        Award(
            listing_id=other.id,
            application=app,
            beneficiary_id=factory.id,
            contract_value=amount * 3,
            start_date=date(2025, 4, 1),
            voucher_year=2025,
            voucher_amount=amount,
        )
    )
    db.session.commit()
    assert publicity.committed_vouchers(factory.id, 2025) == amount


def test_voucher_checked_again_at_submit(client, app_ctx):
    round_, (listing,) = open_round(1)
    _org, lead, offering = make_vendor()
    draft = applications.start_application(lead, listing, offering, application_data(listing))
    round_.voucher_share = Decimal("0.1")  # the policy tightened after the draft was saved
    db.session.commit()
    login(client, lead.email)
    response = client.post(f"/rounds/applications/{draft.id}/submit")
    assert response.status_code == 422
    assert "不能超过报价的 10%，即 6.00 万元" in response.get_data(as_text=True)
    db.session.refresh(draft)
    assert draft.status == st.DRAFT


def test_voucher_above_the_price_in_the_form_keeps_what_was_typed(client, app_ctx):
    _round, (listing,) = open_round(1)
    _org, lead, offering = make_vendor()
    login(client, lead.email)
    data = {**form_data(listing, offering), "price": "48", "voucher_use": "60"}
    response = client.post(f"/rounds/listings/{listing.id}/apply", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "拟使用场景券 60.00 万元不能超过报价 48.00 万元" in page
    assert 'value="60"' in page and 'value="48"' in page
    assert db.session.query(Application).count() == 0


# --- 12: the best-fitting offering ----------------------------------------------------------


def _fitting_world():
    templates = ensure_taxonomy()
    organiser = make_user(role="organiser")
    at(OPENS - timedelta(days=1))
    need = make_need(status="published", template=templates[0])
    listing = make_listing(organiser, make_round(organiser), [need])
    org = make_org("vendor")
    lead = make_user(org)
    unrelated = make_offering(
        org,
        status="published",
        title="染料配方智能配比",
        summary="根据来样颜色推荐染料配方，减少打样次数。",
        templates=[templates[2]],
    )
    fitting = make_offering(
        org,
        status="published",
        title="坯布疵点视觉检测系统",
        summary="验布机加装线阵相机，自动识别坯布疵点，漏检率低于 1%。",
        templates=[templates[0]],
    )
    return need, listing, lead, unrelated, fitting


def _selected_offering(client, listing) -> str:
    page = client.get(f"/rounds/listings/{listing.id}/apply").get_data(as_text=True)
    return form_with(page, "approach").data()["offering_id"]


def test_apply_form_proposes_the_best_matching_offering(client, app_ctx, search_index):  # noqa: F811
    need, listing, lead, unrelated, fitting = _fitting_world()
    index_now("need", need)
    for offering in (unrelated, fitting):
        index_now("offering", offering)
    scores = offering_choice.engine_scores(listing, [unrelated, fitting])
    assert scores[fitting.id] > scores.get(unrelated.id, 0)
    login(client, lead.email)
    assert _selected_offering(client, listing) == str(fitting.id)


def test_apply_form_falls_back_to_taxonomy_without_the_index(client, app_ctx, monkeypatch):
    _need, listing, lead, _unrelated, fitting = _fitting_world()

    def unavailable(*args, **kwargs):
        raise RuntimeError("index not built")

    monkeypatch.setattr(offering_choice.service, "match_for", unavailable)
    login(client, lead.email)
    assert _selected_offering(client, listing) == str(fitting.id)


# --- 13: an unapproved vendor is told first -------------------------------------------------


def test_unapproved_vendor_is_told_before_any_form(client, app_ctx):
    _round, (listing,) = open_round(1)
    pending = make_org("vendor", approved=False)
    lead = make_user(pending)
    make_offering(pending, status="published")
    login(client, lead.email)
    page = client.get(f"/rounds/listings/{listing.id}").get_data(as_text=True)
    assert "尚未通过主办方审核" in page and 'href="/account"' in page
    assert f"/rounds/listings/{listing.id}/apply" not in page
    response = client.get(f"/rounds/listings/{listing.id}/apply")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "尚未通过主办方审核" in html and 'href="/account"' in html
    assert 'name="approach"' not in html
    posted = client.post(f"/rounds/listings/{listing.id}/apply", data={"approach": "x"})
    assert posted.status_code == 403 and db.session.query(Application).count() == 0


def test_vendor_without_a_published_offering_is_told_before_the_form(client, app_ctx):
    _round, (listing,) = open_round(1)
    lead = make_user(make_org("vendor"))
    login(client, lead.email)
    response = client.get(f"/rounds/listings/{listing.id}/apply")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "还没有已发布的解决方案" in html and 'name="approach"' not in html
    assert client.post(f"/rounds/listings/{listing.id}/apply", data={}).status_code == 422


# --- 16: the commitment error follows the indicator's direction -----------------------------


def test_commitment_error_says_worse_for_a_lower_is_better_indicator(app_ctx):
    _round, (listing,) = open_round(1)  # the listing's KPI: 漏检率 2 %, lower is better
    _org, lead, offering = make_vendor()
    draft = applications.start_application(lead, listing, offering)
    with pytest.raises(ValidationFailed) as caught:
        applications.save_application(lead, draft, application_data(listing, committed=3.0))
    [message] = caught.value.fields["commitments"]
    assert "劣于榜单要求的 2%" in message and "越低越好" in message
    assert "低于" not in message


def test_commitment_error_says_not_reached_for_a_higher_is_better_indicator(app_ctx):
    _round, (listing,) = open_round(1)
    kpi = listing.kpis[0]
    kpi.direction, kpi.target = "up", 95.0
    db.session.commit()
    _org, lead, offering = make_vendor()
    draft = applications.start_application(lead, listing, offering)
    with pytest.raises(ValidationFailed) as caught:
        applications.save_application(lead, draft, application_data(listing, committed=90.0))
    [message] = caught.value.fields["commitments"]
    assert "未达到榜单要求的 95%" in message and "越高越好" in message
