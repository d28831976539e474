import re

from matchmaker import create_app
from matchmaker.config import TestConfig
from matchmaker.urls import is_safe_redirect


def test_home_page_is_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'lang="zh-CN"' in html
    assert "人工智能赋能制造业场景揭榜挂帅" in html


def test_language_switch_to_english_and_back(client):
    response = client.get("/lang/en?next=/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    html = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in html
    assert "AI-enabled manufacturing" in html
    client.get("/lang/zh_Hans_CN")
    assert "人工智能赋能制造业场景揭榜挂帅" in client.get("/").get_data(as_text=True)


def test_unknown_language_is_404(client):
    assert client.get("/lang/xx").status_code == 404


def test_language_switch_never_redirects_off_site(client):
    response = client.get("/lang/en?next=https://evil.example/")
    assert response.headers["Location"] == "/"


def test_safe_redirect_predicate():
    assert is_safe_redirect("/needs/1?x=2")
    for bad in (
        None,
        "",
        "//evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "needs",
        "/\\evil.example",
        "\\\\evil.example",
        "/\tevil",
    ):
        assert not is_safe_redirect(bad)


def test_404_page_in_ui_language(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)
    client.get("/lang/en")
    assert "Page not found" in client.get("/no-such-page").get_data(as_text=True)


def test_error_page_says_what_happened_and_where_to_go(client):
    html = client.get("/no-such-page").get_data(as_text=True)
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "页面不存在" in title and "404" not in title  # the tab says what happened, not a code
    heading = html.split('id="error-title">', 1)[1].split("<", 1)[0]
    assert heading == "页面不存在"
    assert 'href="/"' in html and 'href="/needs/"' in html  # somewhere to go: no dead end
    assert "错误代码：404" in html  # the code, small, for a call to the helpdesk


def test_forbidden_page_offers_login_to_a_visitor(app):
    from flask import abort

    forbidding_app = create_app(TestConfig)

    @forbidding_app.get("/forbidden")
    def forbidden():
        abort(403)

    html = forbidding_app.test_client().get("/forbidden?x=1").get_data(as_text=True)
    assert "没有权限" in html and "/login?next=" in html


def test_api_errors_are_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    body = response.get_json()
    assert body["error"]["code"] == "not_found"
    assert body["error"]["message"]
    assert body["error"]["fields"] == {}


def test_500_is_a_page_not_a_traceback(app):
    crash_app = create_app(TestConfig)
    crash_app.config["PROPAGATE_EXCEPTIONS"] = False

    @crash_app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = crash_app.test_client().get("/boom")
    assert response.status_code == 500
    assert "服务器内部错误" in response.get_data(as_text=True)
    assert "RuntimeError" not in response.get_data(as_text=True)


def test_healthz_touches_the_database(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_home_shows_figures_and_only_visible_needs(client, app_ctx):
    from matchmaker.extensions import db
    from tests.factories import ensure_taxonomy, make_need, make_org

    ensure_taxonomy()
    owner = make_org("factory", name="甲纺织有限公司")
    make_need(owner, status="published", title="坯布疵点检测需求")
    make_need(owner, status="draft", title="尚未提交的草稿")
    make_need(owner, status="published", title="保密的需求", confidentiality="summary_only")
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "坯布疵点检测需求" in html and "尚未提交的草稿" not in html
    assert "保密的需求" in html and "甲纺织有限公司" in html  # the public need names its owner
    assert html.count("甲纺织有限公司") == 1  # the summary-only one does not
    figures = {
        label: int(n)
        for n, label in re.findall(
            r'<div class="figure-value">(\d+)</div><div class="text-secondary">([^<]+)</div>', html
        )
    }
    assert figures["已发布需求"] == 2  # the draft is not counted
    assert figures["需求场景"] == 3  # the MINI taxonomy's three templates
    assert figures["需求方企业"] == 1


def test_days_left_counts_calendar_days_in_beijing_time():
    from datetime import UTC, datetime

    from matchmaker.main.home import days_left

    now = datetime(2025, 3, 1, 15, 0, tzinfo=UTC)  # 23:00 on 1 March in Beijing
    assert days_left(datetime(2025, 3, 1, 17, 0, tzinfo=UTC), now) == 1  # 01:00 on 2 March
    assert days_left(datetime(2025, 3, 1, 15, 30, tzinfo=UTC), now) == 0  # later today
    assert days_left(datetime(2025, 3, 11, 0, 0), now) == 10  # naive = UTC (SQLite)


def test_home_shows_open_rounds_with_countdown_and_category_counts(client, app_ctx):
    from datetime import timedelta

    from matchmaker import clock
    from matchmaker.extensions import db
    from tests.competitions.builders import CLOSES, OPENS, make_round
    from tests.factories import ensure_taxonomy, make_need, make_org, make_user

    ensure_taxonomy()
    organiser = make_user(role="organiser", email="org-home@example.com")
    need = make_need(make_org("factory"), status="published", title="织造车间能耗优化")
    db.session.commit()
    with clock.frozen(OPENS + timedelta(days=1)):
        make_round(organiser, name="萧山区第一批场景揭榜")
        make_round(
            organiser,
            name="已截止的批次",
            opens_at=OPENS - timedelta(days=30),
            closes_at=OPENS - timedelta(days=20),
        )
        html = client.get("/").get_data(as_text=True)
    assert "萧山区第一批场景揭榜" in html and "已截止的批次" not in html
    days = (
        CLOSES.astimezone(clock.LOCAL_TZ).date()
        - (OPENS + timedelta(days=1)).astimezone(clock.LOCAL_TZ).date()
    ).days
    assert f"距截止还有 {days} 天" in html
    category = need.category.name_zh
    assert re.search(rf"{category}</div>\s*<div class=\"text-secondary\">1 条需求", html)
