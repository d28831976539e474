"""Fixed choice lists of a need (stored as codes; labels are translated in the UI).

Town (镇街) is free text with suggestions: `TOWNS` feeds a <datalist> and the hall's town
filter lists the towns of the published needs, so a district with other towns needs no
code change. The suggestions are the towns of 萧山区, which the demo district uses too.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .states import CLOSED, DRAFT, PUBLISHED, RETURNED, SUBMITTED, WITHDRAWN
from .states import STATUSES as STATUSES  # the vocabulary is the state machine's

STATUS_LABELS = {
    DRAFT: _l("草稿"),
    SUBMITTED: _l("待审核"),
    PUBLISHED: _l("已发布"),
    RETURNED: _l("已退回修改"),
    CLOSED: _l("已关闭"),
    WITHDRAWN: _l("已撤回"),
}

# The need's fields as a person names them (version history, exports): the form's wording.
FIELD_LABELS = {
    "title": _l("需求名称"),
    "industry_id": _l("行业"),
    "category_id": _l("场景类别"),
    "template_id": _l("场景模板"),
    "other_description": _l("场景说明"),
    "goal": _l("需求描述与期望效果"),
    "pain_point": _l("痛点"),
    "current_process": _l("现状（当前做法）"),
    "data_sources": _l("数据来源"),
    "data_volume": _l("数据规模"),
    "data_labelled": _l("数据是否已标注"),
    "data_description": _l("数据条件说明"),
    "budget_min": _l("预算下限（万元）"),
    "budget_max": _l("预算上限（万元）"),
    "vouchers": _l("拟申请的券"),
    "delivery_months": _l("期望交付周期（月）"),
    "delivery_date": _l("期望交付日期"),
    "town": _l("实施地点（镇街）"),
    "constraints": _l("部署约束"),
    "constraints_note": _l("其他部署要求"),
    "confidentiality": _l("保密级别"),
    "kpis": _l("考核指标"),
}
# What a version records besides changed fields: version 1 is the first publication.
VERSION_MARKERS = {"published": _l("首次发布")}


def changed_fields_text(fields) -> str:
    """ "预算上限（万元）、期望交付周期（月）": a version's changed fields, as labels."""
    labels = {**FIELD_LABELS, **VERSION_MARKERS}
    return _("、").join(str(labels.get(name, name)) for name in fields or [])


CONFIDENTIALITY = {
    "public": _l("公开"),
    "summary_only": _l("仅公开摘要（签署保密承诺后可见详情）"),
    "invited_only": _l("仅受邀揭榜方可见"),
}

DATA_SOURCES = {
    "mes": "MES",
    "erp": "ERP",
    "plc": "PLC",
    "scada": "SCADA",
    "camera": _l("相机图像"),
    "sensor": _l("传感器"),
    "manual": _l("人工记录"),
    "other": _l("其他"),
}

DATA_LABELLED = {"yes": _l("已标注"), "partly": _l("部分标注"), "no": _l("未标注")}

VOUCHERS = {
    "scenario": _l("场景券"),
    "compute": _l("算力券"),
    "data": _l("数据券"),
    "model": _l("模型券"),
    "enablement": _l("赋能券"),
}

CONSTRAINTS = {
    "on_premise": _l("仅限本地部署"),
    "no_cloud": _l("不接受公有云"),
    "edge": _l("需边缘端部署"),
    "data_stays": _l("数据不出厂"),
    "offline": _l("产线网络隔离（离线运行）"),
}

KPI_DIRECTIONS = {"down": _l("越低越好"), "up": _l("越高越好")}

# The 镇街 of 杭州市萧山区 (the district the demo models): its streets, then its towns.
TOWNS = (
    "城厢街道",
    "北干街道",
    "蜀山街道",
    "新塘街道",
    "靖江街道",
    "南阳街道",
    "闻堰街道",
    "宁围街道",
    "新街街道",
    "盈丰街道",
    "瓜沥镇",
    "衙前镇",
    "益农镇",
    "党湾镇",
    "临浦镇",
    "所前镇",
    "义桥镇",
    "浦阳镇",
    "进化镇",
    "戴村镇",
    "河上镇",
    "楼塔镇",
)

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_KPIS = 10
NDA_TERMS_VERSION = "2025-1"
