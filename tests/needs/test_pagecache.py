"""Anonymous hall and need pages come from the worker's page cache while their content is
unchanged; logged-in users and changed content never get a cached page."""

from __future__ import annotations

import pytest

from matchmaker import pagecache
from matchmaker.extensions import db
from tests.factories import login, make_need, make_org, make_user
from tests.needs.test_page_queries import counted


@pytest.fixture
def cached(app, app_ctx, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 30)
    pagecache.clear()
    yield
    pagecache.clear()


def test_a_second_anonymous_visit_costs_one_statement(cached, client):
    need = make_need(status="published", title="坯布疵点检测")
    first = client.get("/needs/").get_data()
    with counted() as statements:
        again = client.get("/needs/")
    assert again.status_code == 200 and again.get_data() == first
    assert len(statements) == 1  # the content stamp
    assert "script-src 'self'" in again.headers["Content-Security-Policy"]
    client.get(f"/needs/{need.id}")
    with counted() as statements:
        assert need.title in client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert len(statements) == 1


def test_a_published_or_edited_need_shows_at_once(cached, client):
    need = make_need(status="published", title="第一条需求")
    assert "第一条需求" in client.get("/needs/").get_data(as_text=True)
    make_need(status="published", title="第二条需求")
    assert "第二条需求" in client.get("/needs/").get_data(as_text=True)
    need.title = "改过的标题"
    db.session.commit()
    assert "改过的标题" in client.get("/needs/").get_data(as_text=True)
    assert "改过的标题" in client.get(f"/needs/{need.id}").get_data(as_text=True)


def test_logged_in_users_and_other_queries_are_not_served_from_the_cache(cached, client):
    need = make_need(status="published", title="坯布疵点检测")
    client.get("/needs/")
    client.get("/needs/?q=疵点")
    vendor = make_user(make_org("vendor"))
    login(client, vendor.email)
    with counted() as statements:
        page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "关注该需求" in page and len(statements) > 1
    keys = {key[1] for key in pagecache._pages}
    assert keys == {"/needs/?", "/needs/?q=疵点"}  # one entry per query; none for the vendor


def test_zero_seconds_turns_the_cache_off(cached, app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 0)
    make_need(status="published")
    client.get("/needs/")
    with counted() as statements:
        client.get("/needs/")
    assert len(statements) > 1 and not pagecache._pages
