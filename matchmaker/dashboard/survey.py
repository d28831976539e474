"""The district's needs survey as a spreadsheet: its columns, the template file, and the
parsing of one cell (KPIs, budget). Pure functions over cell values: no database here.

Formats (also written into the template's second sheet, 填写说明):
- 指标: items separated by ";" or "；", each `名称:现状→目标[单位]:up|down`, e.g.
  `出次率:6→5.1%:down; 良率:95→98%:up` ("->" may replace "→"; 现状 may be empty;
  the direction may also be written 越低越好 / 越高越好).
- 预算（万元）: empty, a whole number (`50`) or a range (`30-60`, `30~60`, `30—60`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl import Workbook

from ..numbers import KPI_VALUE, MONEY_INT, NumberError, parse, problem

COLUMNS = (
    "企业名称",
    "统一社会信用代码",
    "行业",
    "场景",
    "痛点",
    "数据条件",
    "指标",
    "预算（万元）",
    "镇街",
    "联系人",
    "联系电话",
)
REQUIRED = ("企业名称", "统一社会信用代码", "行业", "场景", "痛点", "指标")
MAX_ROWS = 1000  # non-empty data rows per file
# The sheet as declared (its <dimension>, header and blank rows included) and as read: a file
# declaring more is refused before any row is read, and rows are never read past these bounds.
MAX_SHEET_ROWS = 2 * MAX_ROWS + 1
MAX_SHEET_COLUMNS = 64
# All parts of the XLSX (a zip) once unpacked, and its largest part (a sheet's XML): the
# reader holds one row's cells at a time, so a row of a million tiny cells must not fit.
# A full survey (1,000 rows of long Chinese text) unpacks to a few MB.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_PART_BYTES = 8 * 1024 * 1024
DIRECTIONS = {"down": "down", "up": "up", "越低越好": "down", "越高越好": "up"}
_NUMBER = r"-?\d+(?:\.\d+)?"
_KPI_VALUES = re.compile(rf"^\s*({_NUMBER})?\s*[^\d→>]*?\s*(?:→|->)\s*({_NUMBER})\s*(.*?)\s*$")
_BUDGET = re.compile(r"^\s*(\d{1,18})\s*(?:[-~～—至]\s*(\d{1,18}))?\s*$")

EXAMPLE = (
    "示范纺织有限公司",
    "91330109MA2BXXXXXX",
    "纺织化纤",
    "坯布疵点视觉检测",
    "人工验布漏检多，夜班更严重",
    "验布机相机图像，每天约 2TB，部分已标注",
    "出次率:6→5.1%:down; 良率:95→98%:up",
    "30-60",
    "衙前镇",
    "张三",
    "13800138000",
)

RULES = (
    ("企业名称", "必填。工厂的全称。"),
    ("统一社会信用代码", "必填。18 位，按 GB 32100-2015 校验；已在平台的企业按此代码复用。"),
    ("行业", "必填。平台行业名称（如 纺织化纤）或行业代码。"),
    (
        "场景",
        "必填。场景描述；与本行业场景模板名称或编号完全一致时直接匹配，否则由系统在本行业的"
        "模板中推荐；把握不大的行标为“需人工确认”，在预览中选定模板后才会导入。",
    ),
    ("痛点", "必填。"),
    ("数据条件", "选填。现有数据的来源、数量、标注情况。"),
    ("指标", "必填。名称:现状→目标[单位]:up|down，多个用 ; 分隔，如 出次率:6→5.1%:down"),
    ("预算（万元）", "选填。整数，或区间 30-60。"),
    ("镇街", "选填。"),
    ("联系人", "选填。新建企业时记为联系人。"),
    ("联系电话", "选填。"),
)


@dataclass(frozen=True)
class Kpi:
    indicator: str
    baseline: float | None
    target: float
    unit: str
    direction: str

    def as_row(self) -> dict:
        return self.__dict__.copy()


def parse_kpis(text: str) -> tuple[list[Kpi], str | None]:
    """(KPIs, None) or ([], an error message for the user)."""
    items = [item.strip() for item in re.split(r"[;；\n]", text or "") if item.strip()]
    kpis = []
    for number, item in enumerate(items, start=1):
        parts = [p.strip() for p in re.split(r"[:：]", item)]
        values = _KPI_VALUES.match(parts[1]) if len(parts) == 3 else None
        direction = DIRECTIONS.get(parts[2].lower()) if len(parts) == 3 else None
        if not (parts[0] and values and direction):
            return [], _(
                "第 %(n)s 个指标“%(item)s”格式不正确，应为 名称:现状→目标单位:up|down，"
                "如 出次率:6→5.1%%:down。",
                n=number,
                item=item,
            )
        try:
            baseline = parse(values.group(1), KPI_VALUE)
            target = parse(values.group(2), KPI_VALUE)
        except NumberError as err:
            return [], _("第 %(n)s 个指标“%(item)s”：%(problem)s", n=number, item=item, problem=err)
        kpis.append(Kpi(parts[0], baseline, target, values.group(3), direction))
    return kpis, None


def parse_budget(text: str) -> tuple[tuple[int | None, int | None], str | None]:
    """((min, max), None) or ((None, None), an error message)."""
    text = (text or "").strip()
    if not text:
        return (None, None), None
    match = _BUDGET.match(text)
    if not match:
        return (None, None), _("预算应为整数（万元）或区间，如 50 或 30-60。")
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) else low
    refused = problem(low, MONEY_INT) or problem(high, MONEY_INT)
    if refused:
        return (None, None), _("预算（万元）：%(problem)s", problem=refused)
    if low > high:
        return (None, None), _("预算区间的下限不能高于上限。")
    return (low, high), None


def cell_text(value) -> str:
    """A cell as text: numbers without a trailing ".0" (Excel stores 50 as 50.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def template_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "需求调查"
    sheet.append(list(COLUMNS))
    sheet.append(list(EXAMPLE))
    for column, width in zip(
        "ABCDEFGHIJK", (24, 22, 12, 24, 30, 30, 36, 12, 12, 10, 14), strict=True
    ):
        sheet.column_dimensions[column].width = width
    rules = book.create_sheet("填写说明")
    rules.append(["列", "格式"])
    for row in RULES:
        rules.append(list(row))
    rules.append(["", "第一行为表头，请勿修改；示例行（第 2 行）导入前请删除或替换。"])
    limits = f"每次最多 {MAX_ROWS} 行数据；整张表（含表头和空行）不超过 {MAX_SHEET_ROWS} 行、"
    rules.append(["", limits + f"{MAX_SHEET_COLUMNS} 列。"])
    rules.column_dimensions["A"].width = 16
    rules.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
