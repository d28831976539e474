"""The free-text search page: published needs and offerings only, bad input answered with a
message (never an error page)."""

from __future__ import annotations

import pytest

from matchmaker.needs import search_documents as need_docs
from matchmaker.solvers import search_documents as offering_docs
from tests.factories import ensure_taxonomy, make_need, make_offering, make_org
from tests.search_wiring import search_index  # noqa: F401  (fixture)


@pytest.fixture
def indexed(app_ctx, search_index):  # noqa: F811
    templates = ensure_taxonomy()
    owner = make_org("factory", name="保密纺织有限公司")
    public = make_need(owner, status="published", template=templates[0], title="坯布疵点检测公开")
    secret = make_need(owner, status="published", template=templates[0],
                       confidentiality="invited_only", title="坯布疵点检测邀请制")  # fmt: skip
    offering = make_offering(status="published", title="坯布疵点视觉检测系统",
                             summary="自动识别坯布疵点", templates=[templates[0]])  # fmt: skip
    for need in (public, secret):
        need_docs.sync(need)
    offering_docs.sync(offering)
    return public, secret, offering


def test_finds_needs_and_offerings_but_never_invited_only(indexed, client):
    public, secret, offering = indexed
    page = client.get("/search?q=坯布疵点检测").get_data(as_text=True)
    assert f"/needs/{public.id}" in page and f"/solutions/{offering.id}" in page
    assert f"/needs/{secret.id}" not in page and "邀请制" not in page
    assert "保密纺织有限公司" not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [("", "请输入要搜索的内容"), ("   ", "请输入要搜索的内容"), ("疵" * 201, "搜索内容过长")],
)
def test_bad_queries_get_a_message(indexed, client, query, message):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_nothing_found_says_so(app_ctx, search_index, client):  # noqa: F811
    page = client.get("/search?q=完全无关的内容").get_data(as_text=True)
    assert "暂无足够匹配的结果" in page
