"""The search page's facets and snippets (pure functions of matchmaker.main.search_page)."""

from markupsafe import Markup

from matchmaker.main.search_page import highlight_terms, parse_facets, snippet


def test_snippet_escapes_the_text_then_marks_the_terms():
    text = "前文" * 50 + "<b>缺陷</b>检测系统，漏检率低" + "后文" * 50
    out = snippet(text, "缺陷检测")
    assert isinstance(out, Markup)
    assert "&lt;b&gt;<mark>缺陷</mark>&lt;/b&gt;<mark>检测</mark>" in out
    assert "<b>" not in out
    assert out.startswith("…") and out.endswith("…")


def test_snippet_without_a_term_in_the_text_is_its_beginning():
    assert snippet("焊缝视觉检测", "注塑") == "焊缝视觉检测"


def test_highlight_terms_prefer_whole_words_then_chinese_pairs():
    terms = highlight_terms("AOI 缺陷检测", "aoi 复判：缺陷的检测")
    assert "AOI" in terms and "缺陷" in terms and "检测" in terms and "陷检" not in terms


def test_parse_facets_keeps_known_names_only():
    args = {"kind": "need", "industry": "x" * 41, "owner": "1", "category": " C01 "}
    assert parse_facets(args) == {"kind": "need", "category": "C01"}
