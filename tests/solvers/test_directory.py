import re

import pytest

from matchmaker.solvers.queries import PER_PAGE, Filters, directory_page, parse_page
from tests.factories import make_offering, make_org
from tests.sql_statements import counted


def titles(html: str) -> list[str]:
    return re.findall(r"目录方案(\d+)", html)


@pytest.fixture
def catalogue(tax):
    """Published offerings of two vendors plus some that must never be listed."""
    a, b = make_org("vendor", name="甲视觉"), make_org("vendor", name="乙优化")
    vision = dict(categories=[tax.categories["vision"]], industries=[tax.industries["textile"]])
    for i in range(PER_PAGE + 3):
        make_offering(a, "published", title=f"目录方案{i}", tech=["vision"], **vision)
    make_offering(
        b,
        "published",
        title="目录方案99",
        tech=["optimisation"],
        deployment=["cloud"],
        categories=[tax.categories["process"]],
        industries=[tax.industries["auto"]],
    )
    for status in ("draft", "submitted", "returned", "retired"):
        make_offering(a, status, title=f"隐藏{status}", **vision)
    pending = make_org("vendor", approved=False)
    make_offering(pending, "published", title="隐藏pending", **vision)
    return a, b


def test_directory_lists_published_offerings_of_approved_vendors(client, catalogue):
    first = client.get("/solutions/").get_data(as_text=True)
    second = client.get("/solutions/?page=2").get_data(as_text=True)
    assert len(titles(first)) == PER_PAGE and len(titles(second)) == 4
    assert "隐藏" not in first + second
    assert "第 1 / 2 页" in first and 'rel="next"' in first and 'rel="prev"' in second


@pytest.mark.parametrize("page", ["abc", "-3", "0", "1.5", "", "%00", "9" * 40, "99999"])
def test_bad_page_numbers_never_fail(client, catalogue, page):
    response = client.get(f"/solutions/?page={page}")
    assert response.status_code == 200
    assert titles(response.get_data(as_text=True))
    assert client.get(f"/vendors/?page={page}").status_code == 200


def test_page_past_the_end_shows_the_last_page(app_ctx, catalogue):
    page = directory_page(Filters(), parse_page("99999"))
    assert (page.page, page.pages, len(page.items)) == (2, 2, 4)
    assert parse_page("x") == 1 and parse_page(None) == 1 and parse_page("3") == 3


@pytest.mark.parametrize(
    "query,expected",
    [
        ("category=process", ["99"]),
        ("industry=auto", ["99"]),
        ("tech=optimisation", ["99"]),
        ("deployment=cloud", ["99"]),
        ("category=process&tech=vision", []),
        ("industry=auto&deployment=cloud&tech=optimisation&category=process", ["99"]),
    ],
)
def test_filters(client, catalogue, query, expected):
    html = client.get(f"/solutions/?{query}").get_data(as_text=True)
    assert titles(html) == expected


@pytest.mark.parametrize(
    "query", ["industry=mars", "category=%3Cscript%3E", "tech=quantum", "deployment=" + "x" * 500]
)
def test_unknown_filter_values_are_ignored(client, catalogue, query):
    response = client.get(f"/solutions/?{query}")
    assert response.status_code == 200 and len(titles(response.get_data(as_text=True))) == PER_PAGE
    assert "<script>" not in response.get_data(as_text=True)


def test_pagination_keeps_filters(client, catalogue):
    html = client.get("/solutions/?tech=vision").get_data(as_text=True)
    assert "page=2" in html and "tech=vision" in html.split('rel="next"')[0].rsplit("href", 1)[1]


def test_vendor_directory_and_vendor_page(client, catalogue):
    a, b = catalogue
    html = client.get("/vendors/").get_data(as_text=True)
    assert "甲视觉" in html and "乙优化" in html and "15 个已发布方案" in html
    only_b = client.get("/vendors/?category=process").get_data(as_text=True)
    assert "乙优化" in only_b and "甲视觉" not in only_b
    page = client.get(f"/vendors/{b.id}").get_data(as_text=True)
    assert "目录方案99" in page and "尚未填写机构介绍" in page


def test_vendor_page_only_for_approved_vendors(client, app_ctx):
    assert client.get(f"/vendors/{make_org('vendor', approved=False).id}").status_code == 404
    assert client.get(f"/vendors/{make_org('factory').id}").status_code == 404
    assert client.get("/vendors/999999").status_code == 404


def test_directory_query_count_does_not_grow_with_rows(app_ctx, catalogue):
    with counted() as statements:
        page = directory_page(Filters(), 1)
        for offering in page.items:
            _ = [c.code for c in offering.categories], offering.kpis, offering.organisation.name
    assert len(statements) < 12
