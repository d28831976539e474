"""Headline figures against a known data set, and who may see the console."""

from decimal import Decimal

from matchmaker.dashboard import figures
from tests.competitions.builders import awarded
from tests.factories import ensure_taxonomy, login, make_need, make_offering, make_org, make_user


def known_data():
    """One awarded listing (two vendors, two eligible applications, one award of 100 万元)
    plus two drafts of T001, one submitted need of T003, a pending factory and a draft
    offering."""
    t001, _t002, t003 = ensure_taxonomy()
    scene = awarded(contract=Decimal("100"))
    factory = scene["owner"].organisation
    make_need(factory, status="draft", template=t001)
    make_need(factory, status="draft", template=t001)
    pending = make_org("factory", approved=False)
    make_need(pending, status="submitted", template=t003)
    make_offering(scene["leads"][0].organisation, status="draft")
    return scene


def test_headline_figures(app_ctx):
    scene = known_data()
    values = {f.key: f.value for f in figures.headline()}
    assert figures.needs_by_status() == {
        "draft": 2,
        "submitted": 1,
        "published": 0,
        "returned": 0,
        "closed": 1,  # the award closed the listing's need
        "withdrawn": 0,
    }
    assert values["offerings_published"] == 2 and values["offerings_total"] == 3
    assert values["vendors_approved"] == 2 and values["factories_approved"] == 1
    assert values["listings_open"] == 1 and values["applications"] == 2
    assert values["contract_value"] == Decimal("100.00")
    assert values["vouchers_committed"] == scene["award"].voucher_amount == Decimal("30.00")
    assert values["vouchers_paid"] == Decimal("0.00")


def test_paid_vouchers_and_cancelled_ones(app_ctx):
    scene = known_data()
    scene["award"].voucher_status = "payable"
    from matchmaker.extensions import db

    db.session.commit()
    values = {f.key: f.value for f in figures.headline()}
    assert values["vouchers_paid"] == values["vouchers_committed"] == Decimal("30.00")
    scene["award"].voucher_status = "cancelled"
    db.session.commit()
    values = {f.key: f.value for f in figures.headline()}
    assert values["vouchers_paid"] == values["vouchers_committed"] == Decimal("0.00")


def test_top_templates(app_ctx):
    known_data()
    top = [(t.code, t.needs) for t in figures.top_templates()]
    assert top == [("T001", 3), ("T003", 1)]


def test_console_page_shows_every_figure(client, app_ctx):
    known_data()
    organiser = make_user(role="organiser")
    login(client, organiser.email)
    page = client.get("/console").get_data(as_text=True)
    assert '<tr id="figure-contract_value"><td>挂帅合同金额</td><td class="num">100.00 万元' in page
    assert '<tr id="figure-needs_draft"><td>需求（草稿）</td><td class="num">2</td>' in page
    assert '<td>T001</td><td>坯布疵点视觉检测</td><td class="num">3</td>' in page
    assert 'href="/console"' in page  # the 工作台 header link


def test_console_access(client, app_ctx):
    response = client.get("/console")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    for role in ("factory_member", "vendor_member", "expert"):
        user = make_user(role=role)
        login(client, user.email)
        assert client.get("/console").status_code == 403
        assert client.get("/console/exports/needs.csv").status_code == 403
        assert client.get("/console/import").status_code == 403
        assert 'href="/console"' not in client.get("/").get_data(as_text=True)
        client.post("/logout")
