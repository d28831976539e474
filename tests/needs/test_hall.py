from datetime import UTC, date, datetime, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from matchmaker import clock
from matchmaker.extensions import db
from matchmaker.needs import hall
from matchmaker.needs.hall import need_document, parse_filters, parse_page
from tests.factories import ensure_taxonomy, make_need, make_org, make_user


@pytest.fixture
def owner(app_ctx):
    return make_user(make_org("factory"))


def titles(page):
    return [need.title for need in page.items]


def listing(user=None, page=1, **args):
    from flask_login import AnonymousUserMixin

    return hall.listing(user or AnonymousUserMixin(), parse_filters(MultiDict(args)), page)


@pytest.mark.parametrize(
    "raw,expected", [(None, 1), ("", 1), ("abc", 1), ("-3", 1), ("0", 1), ("2", 2), ("1e9", 1)]
)
def test_parse_page(raw, expected):
    assert parse_page(raw) == expected


def test_parse_filters_drops_garbage():
    filters = parse_filters(
        MultiDict(
            {
                "industry": "x",
                "budget_min": "-5",
                "voucher": "bogus",
                "sort": "random",
                "q": " 视觉 ",
            }
        )
    )
    assert filters.industry_id is None and filters.budget_min is None and filters.voucher == ""
    assert filters.sort == "newest" and filters.keyword == "视觉"
    assert filters.args == {"q": "视觉"}


def test_pagination_twenty_per_page(owner):
    base = datetime(2025, 3, 1, tzinfo=UTC)
    for i in range(45):
        with clock.frozen(base + timedelta(minutes=i)):
            make_need(owner.organisation, status="published", title=f"需求{i:02d}")
    first = listing()
    assert first.total == 45 and first.pages == 3 and len(first.items) == 20
    assert titles(first)[0] == "需求44"  # newest first
    third = listing(page=3)
    assert len(third.items) == 5 and not third.has_next and third.has_prev
    with pytest.raises(hall.PageOutOfRange):
        listing(page=4)


def test_pagination_through_http(client, owner):
    make_need(owner.organisation, status="published")
    assert client.get("/needs/?page=abc").status_code == 200
    assert client.get("/needs/?page=-1").status_code == 200
    assert client.get("/needs/?page=99").status_code == 404
    assert client.get("/needs/?page=99999999999999999999").status_code == 200
    assert client.get("/needs/?industry=abc&budget_min=x&within=0&sort=';drop").status_code == 200


def test_empty_hall_page_one_is_fine(client, app_ctx):
    response = client.get("/needs/")
    assert response.status_code == 200 and "没有符合条件的需求" in response.get_data(as_text=True)


def test_filters(owner):
    t1, t2, t3 = ensure_taxonomy()
    make_need(owner.organisation, status="published", title="A", template=t1, budget_min=10,
              budget_max=20, vouchers=["compute"], town="新塘街道", delivery_months=3)  # fmt: skip
    make_need(owner.organisation, status="published", title="B", template=t2, budget_min=50,
              budget_max=100, vouchers=["scenario"], town="衙前镇", delivery_months=12)  # fmt: skip
    make_need(owner.organisation, status="published", title="C", template=t3, budget_min=None,
              budget_max=None, vouchers=[], delivery_months=None,
              delivery_date=date.today() + timedelta(days=40))  # fmt: skip
    make_need(owner.organisation, status="draft", title="D草稿")
    assert sorted(titles(listing())) == ["A", "B", "C"]
    assert titles(listing(industry=str(t2.industry_id))) == ["B"]
    assert sorted(titles(listing(category=str(t1.category_id)))) == ["A", "B"]
    assert titles(listing(town="新塘街道")) == ["A"]
    assert titles(listing(voucher="compute")) == ["A"]
    assert titles(listing(budget_min="40")) == ["B"]
    assert titles(listing(budget_max="30")) == ["A"]
    assert sorted(titles(listing(within="3"))) == ["A", "C"]
    assert titles(listing(sort="budget_high"))[:2] == ["B", "A"]
    assert titles(listing(sort="budget_low"))[:2] == ["A", "B"]


def test_keyword_does_not_search_confidential_text(owner):
    make_need(owner.organisation, status="published", title="织机断纱", pain_point="秘密工艺X")
    make_need(owner.organisation, status="published", title="染色", pain_point="公开的色差问题")
    make_need(owner.organisation, status="published", title="保密需求",
              pain_point="秘密工艺X", confidentiality="summary_only")  # fmt: skip
    assert titles(listing(q="色差")) == ["染色"]
    assert titles(listing(q="秘密工艺")) == ["织机断纱"]
    assert titles(listing(q="断纱")) == ["织机断纱"]
    assert titles(listing(q="100%")) == []  # LIKE wildcards are escaped


def test_invited_only_in_hall(owner):
    from matchmaker.needs.engagement import invite_vendor

    need = make_need(owner.organisation, status="published", confidentiality="invited_only")
    vendor, other = make_user(make_org("vendor")), make_user(make_org("vendor"))
    organiser = make_user(role="organiser")
    assert listing(vendor).total == 0 and listing().total == 0
    invite_vendor(owner, need, vendor.organisation.credit_code)
    assert listing(vendor).total == 1 and listing(other).total == 0
    assert listing(organiser).total == 1 and listing(owner).total == 1


def test_need_document_hides_confidential_text(owner):
    public = make_need(owner.organisation, status="published", pain_point="人工验布漏检多")
    doc = need_document(public)
    assert doc["id"] == public.id and doc["kind"] == "need"
    assert "人工验布漏检多" in doc["text"] and "漏检率" in doc["text"]
    assert doc["industry"] == "textile" and doc["template"] == "T001"
    secret = make_need(owner.organisation, status="published", confidentiality="summary_only")
    assert "人工验布漏检多" not in need_document(secret)["text"]
    assert "人工验布漏检多" in need_document(secret, include_confidential=True)["text"]
    assert [n.id for n in hall.published_needs()] == [public.id, secret.id]
    db.session.rollback()
