import pytest

from matchmaker.errors import InvalidTransition, NotAllowed, ValidationFailed
from matchmaker.solvers.offerings import MAX_KPIS, create_offering, update_offering
from tests.factories import make_offering, make_org, make_user

from .conftest import valid_data


def errors_of(call) -> dict:
    with pytest.raises(ValidationFailed) as err:
        call()
    return err.value.fields


def test_create_links_the_template_its_category_and_industry(tax, vendor):
    offering = create_offering(vendor, valid_data(tax))
    assert offering.status == "draft"
    assert offering.organisation_id == vendor.organisation_id
    assert [t.code for t in offering.templates] == ["T001"]
    assert [c.code for c in offering.categories] == ["vision"]
    assert [i.code for i in offering.industries] == ["textile"]
    assert offering.tech_tags == ["edge", "vision"]
    assert offering.deployment_modes == ["edge", "on_prem"]
    assert (offering.price_min, offering.price_max, offering.delivery_weeks) == (30, 80, 8)
    kpi = offering.kpis[0]
    assert (kpi.indicator, kpi.before, kpi.after, kpi.direction) == ("漏检率", 5, 0.8, "down")


def test_blank_kpi_rows_and_blank_prices_are_fine(tax, vendor):
    blank = {"indicator": "", "before": "", "after": "", "unit": "", "direction": ""}
    data = valid_data(tax, kpis=[blank, blank], price_min="", price_max=None, delivery_weeks="")
    offering = create_offering(vendor, data)
    assert offering.kpis == [] and offering.price_min is None and offering.delivery_weeks is None


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"price_min": "90", "price_max": "80"}, "price_max", "最高价不能低于最低价"),
        ({"price_min": "-1"}, "price_min", "之间"),
        ({"price_max": "很多"}, "price_max", "请输入数字"),
        ({"price_min": "nan"}, "price_min", "请输入数字"),
        ({"delivery_weeks": "2.5"}, "delivery_weeks", "请输入整数"),
        ({"delivery_weeks": "0"}, "delivery_weeks", "之间"),
        ({"title": "  "}, "title", "必填"),
        ({"summary": ""}, "summary", "必填"),
        ({"title": "长" * 201}, "title", "200"),
        ({"deployment_modes": []}, "deployment_modes", "至少选择一种"),
        ({"deployment_modes": ["moon"]}, "deployment_modes", "无效"),
        ({"tech_tags": ["<script>"]}, "tech_tags", "无效"),
        ({"template_ids": ["abc"]}, "template_ids", "无效"),
        ({"template_ids": [999999]}, "template_ids", "无效"),
        ({"template_ids": [], "category_ids": []}, "category_ids", "至少选择"),
        ({"industry_ids": ["-3"]}, "industry_ids", "无效"),
    ],
)
def test_field_errors(tax, vendor, overrides, field, message):
    fields = errors_of(lambda: create_offering(vendor, valid_data(tax, **overrides)))
    assert any(message in m for m in fields[field]), fields


def row(**values):
    base = {"indicator": "漏检率", "before": "5", "after": "1", "unit": "%", "direction": "down"}
    base.update(values)
    return base


@pytest.mark.parametrize(
    "kpi,message",
    [
        (row(indicator=""), "请填写指标名称"),
        (row(before="五"), "都需要填写数字"),
        (row(after=""), "都需要填写数字"),
        (row(direction="sideways"), "请选择指标方向"),
        (row(after="6"), "方向不符"),
        (row(direction="up"), "方向不符"),
        (row(unit="u" * 31), "单位不能超过"),
    ],
)
def test_bad_kpi_rows_name_their_line(tax, vendor, kpi, message):
    fields = errors_of(lambda: create_offering(vendor, valid_data(tax, kpis=[row(), kpi])))
    assert fields["kpis"][0].startswith("第 2 行") and message in fields["kpis"][0]


def test_too_many_kpis(tax, vendor):
    fields = errors_of(
        lambda: create_offering(vendor, valid_data(tax, kpis=[row()] * (MAX_KPIS + 1)))
    )
    assert "最多填写" in fields["kpis"][0]


def test_nothing_is_written_when_validation_fails(tax, vendor):
    from matchmaker.extensions import db
    from matchmaker.solvers.models import Offering

    errors_of(lambda: create_offering(vendor, valid_data(tax, price_min="9", price_max="1")))
    assert db.session.query(Offering).count() == 0


def test_only_vendor_members_write_offerings(tax, organiser):
    factory_member = make_user(make_org("factory"))
    for actor in (factory_member, organiser):
        with pytest.raises(NotAllowed):
            create_offering(actor, valid_data(tax))


def test_pending_vendors_may_keep_drafts(tax):
    pending = make_user(make_org("vendor", approved=False))
    assert create_offering(pending, valid_data(tax)).status == "draft"


def test_update_replaces_kpis_and_links(tax, vendor):
    offering = create_offering(vendor, valid_data(tax))
    data = valid_data(
        tax,
        template_ids=[tax.templates["T003"].id],
        kpis=[row(indicator="打样次数", before="4", after="2", unit="次")],
        tech_tags=["optimisation"],
    )
    update_offering(vendor, offering, data)
    assert [t.code for t in offering.templates] == ["T003"]
    assert [c.code for c in offering.categories] == ["process"]
    assert [k.indicator for k in offering.kpis] == ["打样次数"]
    assert offering.tech_tags == ["optimisation"]


def test_another_vendor_cannot_update(tax, vendor, other_vendor):
    offering = create_offering(vendor, valid_data(tax))
    with pytest.raises(NotAllowed):
        update_offering(other_vendor, offering, valid_data(tax, title="抢来的"))


@pytest.mark.parametrize("status", ["submitted", "published", "retired"])
def test_only_drafts_and_returned_offerings_are_edited(tax, vendor, status):
    offering = make_offering(vendor.organisation, status=status)
    with pytest.raises(InvalidTransition):
        update_offering(vendor, offering, valid_data(tax))


def test_returned_offerings_are_edited(tax, vendor):
    offering = make_offering(vendor.organisation, status="returned")
    assert update_offering(vendor, offering, valid_data(tax, title="改进版")).title == "改进版"
