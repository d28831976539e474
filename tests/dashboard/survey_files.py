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
        "镇街": "柯北街道",
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
