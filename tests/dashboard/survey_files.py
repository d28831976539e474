"""Build survey workbooks for the import tests."""

from __future__ import annotations

import io

from openpyxl import Workbook

from matchmaker.dashboard.survey import COLUMNS
from tests.factories import credit_code


def survey_row(**cells) -> dict:
    """A valid row (factory of the textile industry, exact template title) with overrides."""
    row = {
        "企业名称": "示范纺织有限公司",
        "统一社会信用代码": credit_code(),
        "行业": "纺织化纤",
        "场景": "坯布疵点视觉检测",
        "痛点": "人工验布漏检多",
        "数据条件": "验布机相机图像",
        "指标": "出次率:6→5.1%:down; 良率:95→98%:up",
        "预算（万元）": "30-60",
        "镇街": "衙前镇",
        "联系人": "张三",
        "联系电话": "13800138000",
    }
    row.update(cells)
    return row


def workbook(*rows: dict, header=COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append([row.get(column) for column in header])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def declaring(content: bytes, ref: str) -> bytes:
    """The same workbook with its first sheet's <dimension> rewritten to `ref` (e.g.
    "A1:XFD10000"): a tiny file that claims a huge sheet."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
            target.writestr(item, data)
    return buffer.getvalue()


def far_cell(*rows: dict, row: int, column: int) -> bytes:
    """A survey workbook with one more cell far away (it widens the declared dimension)."""
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for values in rows:
        sheet.append([values.get(c) for c in COLUMNS])
    sheet.cell(row=row, column=column, value="x")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_part(content: bytes, name: str, size: int) -> bytes:
    """The workbook with one more part of `size` zero bytes (tiny once compressed)."""
    import zipfile

    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, b"\0" * size)
    return buffer.getvalue()
