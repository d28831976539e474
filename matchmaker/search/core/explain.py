"""Why a match: shared taxonomy, the closest pair of the texts' own sentences, the KPIs.

Reasons are structured data; pages turn them into words later. Each kind has its own rule
and its own threshold, and a reason below it is not given at all (an empty reason teaches
users to skip them all):

- **shared taxonomy**: the same template, category or industry (inferred codes only when the
  classifier was confident, see classify.py);
- **closest wording**: the most similar pair of sentences written by the two authors
  (character 1–2-gram cosine ≥ `SENTENCE_MIN`, and at least one shared term). Taxonomy names, tag lists and KPI lines
  (`Document.labels`), budget and price lines, and fragments under `MIN_SENTENCE_CHARS` are
  never candidates, so a category label is never "matched" with itself;
- **KPI**: each indicator the need targets, paired with the offering's value for the same
  indicator (same name, a synonym, or names sharing ≥ `KPI_NAME_OVERLAP` of their bigrams),
  else with the offering's own sentence that names it; never with a budget line.

The terms both sentences contain are returned for highlighting. Everything is lexical: no
encoding at request time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .collection import TaxCodes
from .documents import (
    Document,
    Kpi,
    KpiReason,
    Reasons,
    SentencePair,
    SharedTaxonomy,
    split_sentences,
)
from .lexical import LexicalModel, normalise

KPI_NAME_OVERLAP = 0.5  # bigram Jaccard above which two KPI names mean the same metric
SENTENCE_MIN = 0.15  # char-gram cosine below which no sentence pair is shown
MIN_SENTENCE_CHARS = 6  # shorter fragments are labels or headings, not wording
MAX_TERMS = 6
PAIRS_TRIED = 5  # the most similar pairs tried for one that shares a term
MIN_TERM_CHARS = 2

# Lines about money or schedule: never "the closest wording", never a KPI statement.
_MONEY = re.compile(r"预算|报价|价格|费用|投资|万元|元/|工期|付款|合同额|资金|补贴|场景券")
# A KPI line as the features write them ("漏检率 3% → 0.5%", "漏检率（%）").
_KPI_LINE = re.compile(r"→|->|^[^，,。；;]{1,16}（[^）]{0,8}）$")
_PIECES = re.compile(r"[\s，,。；;：:、（）()！？!?“”\"'/·]+")
_STOP_TERMS = frozenset(
    [
        "我们",
        "进行",
        "可以",
        "需要",
        "通过",
        "实现",
        "目前",
        "现在",
        "一个",
        "没有",
        "问题",
        "系统",
        "提供",
        "支持",
        "以及",
        "及时",
        "工作",
        "方案",
        "数据",
        "希望",
    ]
)

# Indicator names that mean the same metric, as plants and vendors write them.
KPI_SYNONYMS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "漏检率 漏检 漏判率 漏报率 漏检比例",
        "误检率 误报率 误判率 过杀率 误检 误报 过检率 假报警率",
        "检出率 检测准确率 识别准确率 准确率 识别率",
        "良率 良品率 合格率 一次合格率 直通率 成品率 优等品率",
        "不良率 缺陷率 次品率 废品率 报废率",
        "oee 设备综合效率 设备综合效能",
        "停机时间 非计划停机 非计划停机时间 故障停机 停机时长 停线时间",
        "能耗 单位能耗 单耗 吨耗 电耗 综合能耗 用电量",
        "人工 人工成本 人员 用工 人数 检验人员",
        "检测时间 检测节拍 检测速度 节拍 单件检测时间 cycle time",
        "交付周期 交期 订单交付周期 准时交付率 准交率",
        "库存 库存周转 库存周转天数 库存金额 呆滞库存",
        "预测准确率 预测精度 mape 预测误差",
        "故障预警 预警准确率 提前预警时间 故障预测准确率",
        "换型时间 换线时间 换模时间 切换时间",
        "排产时间 排程时间 计划编制时间",
        "碳排放 碳排 排放量 co2",
    )
)


def explain_many(
    query: Document,
    query_tax: TaxCodes,
    matches: Sequence[tuple[Document, TaxCodes]],
    lexical: LexicalModel,
) -> list[Reasons]:
    """Reasons for each match; the sentences of all matches are scored in one product."""
    pairs = best_sentence_pairs(query, [doc for doc, _ in matches], lexical)
    out = []
    for (doc, tax), pair in zip(matches, pairs, strict=True):
        need, offering = (query, doc) if query.kind == "need" else (doc, query)
        kpis = ()
        if need.kind != offering.kind:
            kpis = kpi_reasons(need.kpis, offering.kpis, own_sentences(offering))
        out.append(Reasons(shared_taxonomy(query_tax, tax), pair, kpis))
    return out


def explain(query, query_tax, match, match_tax, lexical) -> Reasons:
    return explain_many(query, query_tax, [(match, match_tax)], lexical)[0]


def shared_taxonomy(a: TaxCodes, b: TaxCodes) -> tuple[SharedTaxonomy, ...]:
    out = []
    for level in ("template", "category", "industry"):
        code = getattr(a, level)
        if code and code == getattr(b, level):
            inferred = level in a.inferred or level in b.inferred
            out.append(SharedTaxonomy(level=level, code=code, inferred=inferred))
    return tuple(out)


def own_sentences(doc: Document) -> list[str]:
    """The author's own sentences: no taxonomy names, tag lists, KPI lines or money lines."""
    labels = _label_set(doc.labels)
    out = []
    for sentence in split_sentences(doc.full_text):
        key = _key(sentence)
        if len(key) < MIN_SENTENCE_CHARS or key in labels or _is_label_list(sentence, labels):
            continue
        if _MONEY.search(sentence) or _KPI_LINE.search(sentence.strip()):
            continue
        if sentence not in out:
            out.append(sentence)
    return out


def best_sentence_pairs(
    query: Document, docs: Sequence[Document], lexical: LexicalModel
) -> list[SentencePair | None]:
    """For each document, its own sentence closest to one of the query's own sentences,
    when the pair's char-gram cosine reaches SENTENCE_MIN (else None)."""
    left = own_sentences(query)
    parts = [own_sentences(d) for d in docs]
    flat = [s for p in parts for s in p]
    if not left or not flat:
        return [None] * len(docs)
    rows = lexical.transform(left + flat)
    sims = (rows[: len(left)] @ rows[len(left) :].T).toarray()
    out, start = [], 0
    for sentences in parts:
        block = sims[:, start : start + len(sentences)]
        start += len(sentences)
        out.append(_best_pair(block, left, sentences))
    return out


def _best_pair(block, left: list[str], right: list[str]) -> SentencePair | None:
    """The most similar pair at or above SENTENCE_MIN that shares a term (a few tried)."""
    if block.size == 0:
        return None
    flat = block.ravel()
    for index in flat.argsort()[::-1][:PAIRS_TRIED]:
        if flat[index] < SENTENCE_MIN:
            break
        i, j = divmod(int(index), block.shape[1])
        terms = shared_terms(left[i], right[j])
        if terms:
            return SentencePair(left[i], right[j], float(flat[index]), terms)
    return None


def shared_terms(a: str, b: str) -> tuple[str, ...]:
    """The longest runs of characters (≥ 2, no punctuation, not a stop word or a number)
    both texts contain, longest first, none inside another."""
    found: list[str] = []
    for chunk in _PIECES.split(a):
        i = 0
        while i < len(chunk):
            length = 0
            while i + length < len(chunk) and chunk[i : i + length + 1] in b:
                length += 1
            term = chunk[i : i + length]
            if len(term) >= MIN_TERM_CHARS and _is_word(term):
                found.append(term)
            i += max(length, 1)
    unique = sorted(set(found), key=lambda t: (-len(t), a.find(t)))
    out: list[str] = []
    for term in unique:
        if not any(term in kept for kept in out):
            out.append(term)
    return tuple(out[:MAX_TERMS])


def kpi_reasons(
    targets: tuple[Kpi, ...], achieved: tuple[Kpi, ...], statements: Sequence[str] = ()
) -> tuple[KpiReason, ...]:
    """Each targeted indicator with the offering's value for it, or its sentence about it."""
    out = []
    for target in targets:
        if _MONEY.search(target.metric):
            continue
        same = [a for a in achieved if not _MONEY.search(a.metric) and same_metric(target, a)]
        if same:
            best = max(same, key=lambda a: _name_overlap(target.metric, a.metric))
            out.append(KpiReason(target.metric, target, best, _meets(target, best)))
            continue
        statement, name = _statement_about(target.metric, statements)
        if statement:
            out.append(KpiReason(target.metric, target, Kpi(name), None, statement))
    return tuple(out)


def same_metric(a: Kpi, b: Kpi) -> bool:
    x, y = _key(a.metric), _key(b.metric)
    if not x or not y:
        return False
    if x == y or _synonyms(x) & _synonyms(y):
        return True
    return _name_overlap(a.metric, b.metric) >= KPI_NAME_OVERLAP


def _statement_about(metric: str, sentences: Sequence[str]) -> tuple[str, str]:
    """The first sentence naming the metric (or a synonym): (sentence, name found)."""
    names = sorted({_key(metric), *_synonym_names(_key(metric))}, key=len, reverse=True)
    names = [n for n in names if len(n) >= MIN_TERM_CHARS]
    for sentence in sentences:
        if _MONEY.search(sentence):
            continue
        key = _key(sentence)
        for name in names:
            if name in key:
                return sentence, name
    return "", ""


def _synonyms(key: str) -> set[int]:
    return {i for i, group in enumerate(KPI_SYNONYMS) if key in group}


def _synonym_names(key: str) -> set[str]:
    return {name for i in _synonyms(key) for name in KPI_SYNONYMS[i]}


def _meets(target: Kpi, achieved: Kpi) -> bool | None:
    better = target.better or achieved.better
    if target.value is None or achieved.value is None or better not in ("lower", "higher"):
        return None
    if target.unit and achieved.unit and target.unit != achieved.unit:
        return None
    if better == "lower":
        return achieved.value <= target.value
    return achieved.value >= target.value


def _key(text: str) -> str:
    return normalise(text).replace(" ", "")


def _label_set(labels: Sequence[str]) -> set[str]:
    out = set()
    for label in labels:
        out.add(_key(label))
        out.update(_key(p) for p in re.split(r"[；;、，,\n]", label))
    out.discard("")
    return out


def _is_label_list(sentence: str, labels: set[str]) -> bool:
    parts = [_key(p) for p in re.split(r"[；;、，,]", sentence)]
    parts = [p for p in parts if p]
    return bool(parts) and all(p in labels for p in parts)


_CJK = re.compile(r"[\u3400-\u9fff]")


def _is_word(term: str) -> bool:
    """A term worth showing: two characters or more, not a number or a stop word, and with a
    Chinese character (a Latin-only run such as "AOI" or "PLC" is no reason in itself: the
    pages are read in Chinese, and letters match vendors' product names by accident)."""
    key = _key(term)
    return (
        len(key) >= MIN_TERM_CHARS
        and not key.isdigit()
        and key not in _STOP_TERMS
        and _CJK.search(key) is not None
    )


def _bigrams(text: str) -> set[str]:
    t = _key(text)
    return {t[i : i + 2] for i in range(len(t) - 1)} or {t}


def _name_overlap(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / max(1, len(x | y))
