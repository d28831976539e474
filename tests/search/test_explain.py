"""Reasons worth reading (issue 17): each rule with the pairs that produced today's bad reasons."""

from __future__ import annotations

from markupsafe import Markup

from matchmaker.search.core.collection import TaxCodes
from matchmaker.search.core.documents import Document, Kpi
from matchmaker.search.core.explain import (
    SENTENCE_MIN,
    best_sentence_pairs,
    explain,
    kpi_reasons,
    own_sentences,
    shared_terms,
)
from matchmaker.search.core.lexical import LexicalModel
from matchmaker.templating import highlight

# A need and an offering as the feature packages write them: the taxonomy names and the KPI
# lines are lines of the text, and are listed as labels.
NEED = Document(
    "need",
    "1",
    "涤纶面料验布",
    "印染\n质量检测\n机器视觉质量检测\n验布工靠眼睛找疵点，夜班漏检多。\n"
    "预算 90–110 万元，希望年内上线。\n漏检率（%）",
    labels=("印染", "质量检测", "机器视觉质量检测", "漏检率（%）"),
    kpis=(Kpi("漏检率", 0.5, "%", "lower"),),
)
OFFERING = Document(
    "offering",
    "9",
    "布面疵点在线检测",
    "线阵相机在验布机上找疵点，夜班也不漏检。\n机器视觉质量检测\n印染\n漏检率 3% → 0.5%",
    labels=("机器视觉质量检测", "印染", "漏检率 3% → 0.5%"),
    kpis=(Kpi("漏检率", 0.5, "%", "lower"),),
)
TAX = TaxCodes(industry="textile", category="quality", template="T01")


def _lexical(*docs: Document) -> LexicalModel:
    return LexicalModel.fit([d.full_text for d in docs])


def test_a_taxonomy_label_is_never_the_closest_wording():
    """Today: “机器视觉质量检测” ↔ “机器视觉质量检测” and “印染” ↔ “印染”."""
    labels_only = Document(
        "offering", "8", "", "机器视觉质量检测\n印染", labels=("机器视觉质量检测", "印染")
    )
    lexical = _lexical(NEED, OFFERING, labels_only)
    assert best_sentence_pairs(NEED, [labels_only], lexical) == [None]
    (pair,) = best_sentence_pairs(NEED, [OFFERING], lexical)
    assert pair.query_sentence == "验布工靠眼睛找疵点，夜班漏检多"
    assert pair.match_sentence == "线阵相机在验布机上找疵点，夜班也不漏检"
    assert pair.similarity >= SENTENCE_MIN


def test_a_short_industry_name_without_labels_is_not_wording_either():
    need = Document("need", "2", "", "印染\n染色车间的色差靠老师傅目测判定。")
    offering = Document("offering", "3", "", "印染\n用分光测色仪判定色差，替代目测。")
    (pair,) = best_sentence_pairs(need, [offering], _lexical(need, offering))
    assert "印染" not in (pair.query_sentence, pair.match_sentence)


def test_a_kpi_line_is_never_paired_with_a_budget_line():
    """Today: “漏检率 3% → 0.5%” ↔ “预算 90–110 万元…”."""
    offering = Document(
        "offering", "4", "", "漏检率 3% → 0.5%\n预算 90–110 万元起", labels=("漏检率 3% → 0.5%",)
    )
    sentences = own_sentences(NEED) + own_sentences(offering)
    assert not any("预算" in s or "→" in s for s in sentences)
    assert best_sentence_pairs(NEED, [offering], _lexical(NEED, offering)) == [None]


def test_kpi_reason_pairs_the_same_indicator_or_a_synonym_never_a_budget():
    target = (Kpi("漏检率", 0.5, "%", "lower"),)
    budget = (Kpi("预算", 100, "万元", "lower"),)
    assert kpi_reasons(target, budget) == ()
    (synonym,) = kpi_reasons(target, (Kpi("漏判率", 0.3, "%", "lower"),))
    assert synonym.achieved.metric == "漏判率" and synonym.meets_target is True
    assert kpi_reasons((Kpi("预算", 100, "万元"),), (Kpi("预算", 90, "万元"),)) == ()


def test_kpi_reason_falls_back_to_the_offerings_own_sentence_about_it():
    statements = ["整体报价 90 万元，漏检率不变", "夜班漏报率降到千分之五以下"]
    (reason,) = kpi_reasons((Kpi("漏检率", 0.5, "%", "lower"),), (), statements)
    assert reason.statement == "夜班漏报率降到千分之五以下"
    assert reason.achieved.metric == "漏报率" and reason.meets_target is None
    assert kpi_reasons((Kpi("OEE", 85, "%", "higher"),), (), statements) == ()


def test_each_reason_kind_has_its_own_threshold():
    far = Document("offering", "5", "仓储叉车调度", "根据订单波次安排叉车路线，减少空驶。")
    reasons = explain(NEED, TAX, far, TaxCodes(), _lexical(NEED, OFFERING, far))
    assert reasons.shared == () and reasons.sentence_pair is None and reasons.kpis == ()
    full = explain(NEED, TAX, OFFERING, TAX, _lexical(NEED, OFFERING, far))
    assert [s.level for s in full.shared] == ["template", "category", "industry"]
    assert full.sentence_pair is not None
    (kpi,) = full.kpis
    assert kpi.meets_target is True and kpi.statement == ""


def test_shared_terms_are_whole_words_longest_first():
    terms = shared_terms("验布工靠眼睛找疵点，夜班漏检多", "线阵相机在验布机上找疵点，夜班也不漏检")
    assert terms == ("找疵点", "验布", "夜班", "漏检")
    assert shared_terms("约 2024 台，目前", "共 2024 件，目前") == ()


def test_highlight_escapes_the_text_and_marks_the_terms():
    out = highlight("<b>疵点</b> & 漏检", ["疵点", "<b>"])
    assert isinstance(out, Markup)
    assert out == "<mark>&lt;b&gt;</mark><mark>疵点</mark>&lt;/b&gt; &amp; 漏检"
    assert highlight("<i>x</i>", []) == "&lt;i&gt;x&lt;/i&gt;"
    assert highlight("AOI 复判", ["aoi"]) == "<mark>AOI</mark> 复判"
