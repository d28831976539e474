"""Closed vocabularies of the vendor side: stored as codes, shown through these labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .states import DRAFT, PUBLISHED, RETIRED, RETURNED, SUBMITTED

QUALIFICATIONS = {
    "high_tech": _l("高新技术企业"),
    "specialised": _l("专精特新"),
    "little_giant": _l("专精特新“小巨人”"),
    "iso9001": _l("ISO9001"),
    "cmmi": _l("CMMI"),
    "software": _l("软件企业"),
    "other": _l("其他"),
}

TECH_TAGS = {
    "vision": _l("机器视觉"),
    "llm": _l("大模型"),
    "time_series": _l("时序分析"),
    "robotics": _l("机器人"),
    "optimisation": _l("运筹优化"),
    "knowledge_graph": _l("知识图谱"),
    "digital_twin": _l("数字孪生"),
    "edge": _l("边缘计算"),
    "iot": _l("工业物联网"),
    "forecasting": _l("预测建模"),
}

DEPLOYMENT_MODES = {
    "on_prem": _l("本地部署"),
    "cloud": _l("云端 SaaS"),
    "edge": _l("边缘部署"),
    "hybrid": _l("混合部署"),
}

KPI_DIRECTIONS = {"down": _l("越低越好"), "up": _l("越高越好")}

STATUS_LABELS = {
    DRAFT: _l("草稿"),
    SUBMITTED: _l("待审核"),
    PUBLISHED: _l("已发布"),
    RETURNED: _l("已退回"),
    RETIRED: _l("已下架"),
}

ACTION_LABELS = {
    "submit": _l("提交审核"),
    "approve": _l("审核通过"),
    "return": _l("退回修改"),
    "reject": _l("驳回"),
    "retire": _l("下架"),
}


def labels(vocabulary: dict, codes) -> list[str]:
    """Labels of the known codes, in the vocabulary's order."""
    chosen = set(codes or ())
    return [str(label) for code, label in vocabulary.items() if code in chosen]
