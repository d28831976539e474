"""Issue 15, item 17: the hall's keyword matches the taxonomy's names and the text the viewer
may read (never confidential text for those who may not); a reversed budget range is
told, not silently empty; integer query args never break the hall."""

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from matchmaker.extensions import db
from matchmaker.needs import hall
from matchmaker.needs.engagement import accept_nda, invite_vendor
from matchmaker.scenarios.models import ScenarioTemplate
from tests.factories import ensure_taxonomy, make_need, make_org, make_user


@pytest.fixture
def owner(app_ctx):
    ensure_taxonomy()
    return make_user(make_org("factory"))


def titles(user=None, **args) -> list[str]:
    filters = hall.parse_filters(MultiDict(args))
    page = hall.listing(user or AnonymousUserMixin(), filters)
    return sorted(need.title for need in page.items)


def test_keyword_matches_category_and_template_names(owner):
    t1, t2, t3 = ensure_taxonomy()
    make_need(owner.organisation, status="published", title="甲", template=t1)  # vision
    make_need(owner.organisation, status="published", title="乙", template=t2)  # vision, auto
    make_need(owner.organisation, status="published", title="丙", template=t3)  # process
    assert titles(q="工艺参数优化") == ["丙"]  # category name
    assert titles(q="机器视觉") == ["乙", "甲"]
    assert titles(q="染料配方") == ["丙"]  # template title
    assert titles(q="注塑件外观") == ["乙"]
    assert titles(q="汽车零部件") == ["乙"]  # industry name
    assert titles(q="DYE recipe") == ["丙"]  # English names, any case
    assert titles(q="dye 注塑") == []  # every word must match
    assert titles(q="纺织 机器视觉") == ["甲"]  # every word somewhere


def test_predictive_maintenance_finds_the_category_on_the_page_and_the_api(client, runner, app_ctx):
    assert runner.invoke(args=["taxonomy", "load"]).exit_code == 0
    owner = make_user(make_org("factory"))
    query = select(ScenarioTemplate).join(ScenarioTemplate.category)
    templates = db.session.scalars(query.order_by(ScenarioTemplate.code)).all()
    maintenance = [t for t in templates if t.category.code == "predictive_maintenance"][:3]
    for template in maintenance:
        make_need(owner.organisation, status="published", template=template, title="设备需求")
    make_need(owner.organisation, status="published", template=templates[0], title="其他需求")
    page = client.get("/needs/?q=预测性维护").get_data(as_text=True)
    assert "共 3 条需求" in page
    assert client.get("/api/v1/needs?q=预测性维护").get_json()["total"] == 3


def test_confidential_text_matches_only_for_those_who_may_read_it(owner):
    secret = make_need(owner.organisation, status="published", title="保密需求",
                       pain_point="秘密工艺X", confidentiality="summary_only")  # fmt: skip
    invited = make_need(owner.organisation, status="published", title="邀请需求",
                        goal="邀请制秘密Y", confidentiality="invited_only")  # fmt: skip
    make_need(owner.organisation, status="published", title="公开需求", pain_point="秘密工艺X")
    vendor, other = make_user(make_org("vendor")), make_user(make_org("vendor"))
    organiser = make_user(role="organiser")
    assert titles(q="秘密工艺") == ["公开需求"]  # anonymous
    assert titles(other, q="秘密工艺") == ["公开需求"]  # signed in, no NDA
    accept_nda(vendor, secret)
    assert titles(vendor, q="秘密工艺") == ["保密需求", "公开需求"]
    assert titles(organiser, q="秘密工艺") == ["保密需求", "公开需求"]
    assert titles(owner, q="秘密工艺") == ["保密需求", "公开需求"]
    assert titles(other, q="邀请制秘密") == []
    invite_vendor(owner, invited, other.organisation.credit_code)
    assert titles(other, q="邀请制秘密") == ["邀请需求"]
    assert titles(vendor, q="邀请制秘密") == []
    # KPI names are details too
    assert titles(q="漏检率") == ["公开需求"] and titles(organiser, q="漏检率") == [
        "保密需求",
        "公开需求",
        "邀请需求",
    ]


def test_reversed_budget_range_is_told_and_ignored(client, owner):
    make_need(owner.organisation, status="published", title="甲", budget_min=30, budget_max=60)
    response = client.get("/needs/?budget_min=80&budget_max=20")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "预算下限（80 万元）高于上限（20 万元），已忽略预算条件" in page
    assert "共 1 条需求" in page  # ignored, not swapped: the notice says so
    assert 'name="budget_min" inputmode="numeric" value="80"' in page
    assert 'name="budget_max" inputmode="numeric" value="20"' in page
    api = client.get("/api/v1/needs?budget_min=80&budget_max=20")
    assert api.status_code == 422
    assert "不能高于上限" in api.get_json()["error"]["message"]
    assert (
        client.get("/needs/?budget_min=20&budget_max=80")
        .get_data(as_text=True)
        .count("hall-notice")
        == 0
    )


def test_a_budget_that_is_not_a_number_is_told_and_kept_in_the_form(client, owner):
    page = client.get("/needs/?budget_min=五十").get_data(as_text=True)
    assert "预算下限“五十”不是 0 到 1000000000 之间的整数（万元），已忽略该条件。" in page
    assert 'value="五十"' in page


@pytest.mark.parametrize(
    "query",
    [
        "industry=9223372036854775808",
        "category=" + "9" * 5000,
        "budget_min=" + "9" * 40,
        "budget_max=1e309&within=99999999999999999999",
        "page=18446744073709551616",
        "industry=%EF%BC%91",  # a full-width digit
        "budget_min=1_000",
    ],
)
def test_huge_or_odd_integers_never_break_the_hall(client, owner, query):
    make_need(owner.organisation, status="published")
    response = client.get("/needs/?" + query)
    assert response.status_code == 200
    assert "共 1 条需求" in response.get_data(as_text=True)


def test_parse_int_accepts_only_plain_bounded_digits():
    """One parser for every query integer (numbers.as_id): plain ASCII digits within bounds."""
    assert hall._int("42") == 42 and hall._int(" 7 ") == 7
    for raw in ("1_000", "１", "9" * 11, "-1", "9" * 30, "0x10", "", None):
        assert hall._int(raw) is None
