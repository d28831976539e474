"""How people really write a need or a query, brought to the wording the index knows.

Factory managers and vendors' sales engineers paste contact blocks, write in traditional
characters or full-width forms, and use English abbreviations (AOI, APS, PHM, OCR …) where
the offerings and templates say the Chinese term, or the other way round. Three steps:

- `fold(text)`: NFKC (full-width Ａ１％ → A1%), traditional → simplified characters (a table
  derived from OpenCC, `t2s.txt`), lower case. Used by the lexical index on both sides, so
  stored texts and queries meet in one form.
- `strip_noise(text)`: phone and fax numbers, e-mail addresses and web addresses removed:
  they carry no meaning for matching, and their digits and Latin letters would match
  vendors' product names character by character.
- `expand(text)`: each glossary term found (`GLOSSARY`, manufacturing-AI abbreviations and a
  few English phrases) gets its Chinese wording appended, so the
  lexical and dense signals see both forms.

`query_text(text)` applies all three to free text before it is encoded and scored; stored
documents keep their own text (their vectors are stored), only folded by the lexical index.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

_T2S_PATH = os.path.join(os.path.dirname(__file__), "t2s.txt")


@lru_cache(maxsize=1)
def _t2s() -> dict[int, str]:
    table: dict[int, str] = {}
    with open(_T2S_PATH, encoding="utf-8") as fh:
        for line in fh:
            if len(line) >= 2 and not line.startswith("#"):
                table[ord(line[0])] = line[1]
    return table


def fold(text: str) -> str:
    """Full-width → half-width (NFKC), traditional → simplified, lower case."""
    return unicodedata.normalize("NFKC", text).translate(_t2s()).lower()


_NOISE = re.compile(
    r"(?:https?://|www\.)[^\s，。；、）)]+"  # web addresses
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|(?<![\w.])(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?![\w.])"  # mobile numbers
    r"|(?<![\w.])\(?0\d{2,3}\)?[\s-]?\d{3,4}[\s-]?\d{4}(?![\w.])"  # fixed lines, fax
    r"|(?<![\w.])400[\s-]?\d{3}[\s-]?\d{4}(?![\w.])",  # service numbers
    re.ASCII,
)


# Full-width letters and digits (Ａ１) → ASCII, the ideographic space → space; Chinese
# punctuation is kept (the reasons quote the text).
_WIDTH = {
    **{c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
       for c in range(r[0], r[1] + 1)},
    0x3000: 0x20,
}  # fmt: skip


def strip_noise(text: str) -> str:
    """Phone and fax numbers, e-mail and web addresses removed (full-width digits and letters
    read as ASCII first)."""
    return _NOISE.sub(" ", text.translate(_WIDTH))


# Term (matched case-insensitively; a Latin term only as a whole word) → its Chinese wording
# as offerings and the scenario templates write it. Curated for manufacturing AI; keep each
# expansion to the words a Chinese text about the same thing would contain.
GLOSSARY: dict[str, str] = {
    "aoi": "自动光学检测 视觉检测",
    "axi": "X射线检测",
    "ocr": "字符识别 喷码识别",
    "ocv": "字符校验",
    "plc": "可编程控制器 设备数据",
    "scada": "数据采集与监控",
    "dcs": "集散控制系统",
    "mes": "制造执行系统",
    "erp": "企业资源计划",
    "wms": "仓储管理系统",
    "aps": "高级计划排产 排产",
    "oee": "设备综合效率",
    "spc": "统计过程控制",
    "phm": "故障预测与健康管理 预测性维护",
    "rul": "剩余寿命预测",
    "agv": "自动导引车",
    "amr": "自主移动机器人",
    "3d视觉": "三维视觉",
    "2d视觉": "二维视觉",
    "vm": "虚拟量测",
    "r2r": "批次间控制",
    "fdc": "故障检测与分类",
    "adc": "缺陷自动分类",
    "el": "电致发光 隐裂",
    "soh": "电池健康状态",
    "soc": "荷电状态",
    "bms": "电池管理系统",
    "llm": "大模型",
    "rag": "知识库检索 大模型问答",
    "capa": "纠正预防措施",
    "sop": "标准作业程序",
    "gmp": "药品生产质量管理规范",
    "mpc": "模型预测控制",
    "apc": "先进过程控制",
    "doe": "实验设计",
    "nvh": "噪声振动",
    "ogi": "气体泄漏成像",
    "rto": "蓄热式焚烧炉 废气处理",
    "voc": "挥发性有机物",
    "vocs": "挥发性有机物",
    "smt": "表面贴装",
    "pcb": "电路板",
    "pcba": "电路板组装 焊点",
    "cae": "仿真分析",
    "predictive maintenance": "预测性维护 故障预测",
    "demand forecast": "需求预测 销量预测",
    "forecast": "预测",
    "knowledge assistant": "知识问答助手",
    "defect": "缺陷",
    "inspection": "检测",
    "wafer": "晶圆",
    "gearbox": "齿轮箱",
    "bearing": "轴承",
    "scheduling": "排产",
    "energy saving": "节能",
}

_LATIN = re.compile(r"[a-z0-9]")


@lru_cache(maxsize=1)
def _glossary_pattern() -> re.Pattern:
    parts = []
    for term in sorted(GLOSSARY, key=len, reverse=True):
        body = re.escape(term).replace(r"\ ", r"\s+")
        if _LATIN.match(term):
            body = rf"(?<![a-z0-9]){body}" + (r"(?![a-z0-9])" if _LATIN.search(term[-1]) else "")
        parts.append(body)
    return re.compile("|".join(parts))


def glossary_terms(text: str) -> list[str]:
    """The glossary terms in `text` (folded), in order of first appearance."""
    seen: dict[str, None] = {}
    for found in _glossary_pattern().finditer(fold(text)):
        seen.setdefault(re.sub(r"\s+", " ", found.group(0)), None)
    return list(seen)


def expand(text: str) -> str:
    """`text` followed by the Chinese wording of each glossary term it contains."""
    extra = [GLOSSARY[t] for t in glossary_terms(text) if t in GLOSSARY]
    return f"{text} {' '.join(extra)}" if extra else text


def plain(text: str) -> str:
    """Free text without contact noise, in simplified characters, letters and digits
    half-width (case and punctuation kept): what the encoder reads and what the reasons quote
    of the user's words."""
    return strip_noise(text).translate(_t2s())


def query_text(text: str) -> str:
    """Free text as the engine scores it: `plain`, then the glossary terms expanded."""
    return expand(plain(text))
