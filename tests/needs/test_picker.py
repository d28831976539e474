"""The template picker at /needs/new: industry groups with counts (the factory's own first and
open), a GET keyword filter with an empty state, and "其他" at the top."""

import re

import pytest

from matchmaker.needs.picker import home_industry_id
from tests.factories import ensure_taxonomy, login, make_need, make_org, make_user


@pytest.fixture
def templates(app_ctx):
    return ensure_taxonomy()  # T001 纺织 视觉, T002 汽车 视觉, T003 纺织 工艺


@pytest.fixture
def factory(app_ctx):
    return make_org("factory", name="越新纺织化纤有限公司")


@pytest.fixture
def page(client, factory, templates):
    login(client, make_user(factory).email)
    return lambda query="": client.get(f"/needs/new{query}").get_data(as_text=True)


def groups(html: str) -> list[tuple[str, bool, str]]:
    """(industry name, open?, count text) of every industry group, in page order."""
    found = re.findall(
        r'<details class="card picker-group"[^>]*?( open)?>\s*<summary.*?'
        r'picker-group-name">([^<]+)</span>.*?picker-count">([^<]+)</span>',
        html,
        re.S,
    )
    return [(name, bool(is_open), count) for is_open, name, count in found]


def test_templates_are_grouped_by_industry_with_counts(page):
    html = page()
    assert groups(html) == [("纺织化纤", False, "2 个模板"), ("汽车零部件", False, "1 个模板")]
    assert "机器视觉质量检测 · 1" in html and "工艺参数优化 · 1" in html  # category headers
    assert "共 3 个场景模板，按行业分组" in html
    for code in ("T001", "T002", "T003"):  # each template one tap away
        assert f'href="/needs/new?template={code}"' in html


def test_the_factorys_own_industry_comes_first_and_open(page, factory, templates):
    make_need(factory, template=templates[1])  # 注塑件 → 汽车零部件
    html = page()
    assert groups(html) == [("汽车零部件", True, "1 个模板"), ("纺织化纤", False, "2 个模板")]
    assert html.index("本厂行业") < html.index("纺织化纤")


def test_home_industry_is_the_one_most_of_its_needs_are_in(app_ctx, factory, templates):
    assert home_industry_id(factory.id) is None
    assert home_industry_id(None) is None
    make_need(factory, template=templates[1])
    make_need(factory, template=templates[0])
    make_need(factory, template=templates[2])
    assert home_industry_id(factory.id) == templates[0].industry_id  # two textile needs
    assert home_industry_id(make_org("factory").id) is None  # another factory's needs don't count


def test_keyword_finds_templates_by_a_chinese_word(page):
    html = page("?q=疵点")
    assert "坯布疵点视觉检测" in html and "注塑件外观缺陷检测" not in html
    assert groups(html) == [("纺织化纤", True, "1 个模板")]  # the matching group is open
    assert "与“疵点”相符的模板共 1 个" in html
    assert 'value="疵点"' in html  # the keyword stays in its box
    assert '<a href="/needs/new">清除搜索，查看全部模板</a>' in html
    html = page("?q=纺织 配方")  # every word must occur (industry name and title)
    assert "染料配方智能配比" in html and "坯布疵点视觉检测" not in html


def test_no_match_shows_a_clear_empty_state_with_a_way_back(page):
    html = page("?q=火星探测")
    assert "没有找到与“火星探测”相符的场景模板。" in html
    assert re.search(r'<a class="btn btn-primary" href="/needs/new">查看全部模板</a>', html)
    assert "<details" not in html
    assert page("?q=" + "长" * 300).count("长" * 51) == 0  # the keyword is cut to 50


def test_other_is_offered_above_the_templates(page):
    html = page()
    other = html.index("其他（不在模板中）")
    assert other < html.index("<details")
    assert html.index('href="/needs/new?template=other"') < html.index("<details")
    assert 'href="/needs/new?template=other"' in page("?q=火星")
