"""The demo's 专家库: the five demo experts' fields, organisations and availability, and one
invitation not yet accepted (its mail is in the outbox)."""

from __future__ import annotations

import sqlalchemy as sa

from ..accounts import services as accounts
from ..competitions import experts
from ..extensions import db
from ..scenarios.models import Industry, ScenarioCategory
from .accounts import EMAIL_DOMAIN

# email local part → (工作单位, 职称, 研究方向, category codes, industry codes, availability, note)
PROFILES = {
    "expert1": (
        "浙江大学控制科学与工程学院",
        "教授",
        "机器视觉与表面缺陷检测，纺织品疵点识别",
        ("vision_inspection",),
        ("textile_fiber", "dyeing_finishing"),
        "available",
        "",
    ),
    "expert2": (
        "杭州市特种设备检测研究院",
        "高级工程师",
        "设备状态监测、振动分析与预测性维护",
        ("predictive_maintenance", "safety_monitoring"),
        ("equipment_manufacturing", "auto_parts"),
        "available",
        "",
    ),
    "expert3": (
        "中国科学院宁波材料所",
        "研究员",
        "印染工艺参数优化与能耗建模",
        ("process_optimization", "energy_optimization"),
        ("dyeing_finishing", "chemicals"),
        "limited",
        "12 月下旬出差，其余时间可评审",
    ),
    "expert4": (
        "萧山区经信局专家组",
        "总工程师",
        "生产排程与智能工厂规划",
        ("scheduling", "embodied_flexible_line"),
        ("auto_parts", "metal_products"),
        "available",
        "",
    ),
    "expert5": (
        "浙江工业大学",
        "博士、副教授",
        "工业大模型、知识库问答与研发设计辅助",
        ("knowledge_assistant", "rd_design"),
        ("electronics", "new_materials"),
        "available",
        "",
    ),
}
INVITED = ("expert6", "吴教授", "浙江理工大学", "服装智能制造与需求预测")


def _ids(model, codes) -> list[int]:
    return list(db.session.scalars(sa.select(model.id).where(model.code.in_(codes))))


def load_expert_pool(organiser) -> None:
    for local, (org, title, expertise, cats, inds, availability, note) in PROFILES.items():
        user = accounts.find_user_by_email(f"{local}@{EMAIL_DOMAIN}")
        if user is None or experts.profile_of(user).expertise:
            continue
        experts.update_profile(
            organiser,
            user,
            experts.ProfileData(
                name=user.name,
                organisation_name=org,
                title=title,
                expertise=expertise,
                availability=availability,
                availability_note=note,
                category_ids=_ids(ScenarioCategory, cats),
                industry_ids=_ids(Industry, inds),
            ),
        )
    local, name, org, expertise = INVITED
    if accounts.find_user_by_email(f"{local}@{EMAIL_DOMAIN}") is None:
        experts.invite_expert(
            organiser,
            f"{local}@{EMAIL_DOMAIN}",
            experts.ProfileData(
                name=name,
                organisation_name=org,
                expertise=expertise,
                category_ids=_ids(ScenarioCategory, ("demand_forecasting",)),
                industry_ids=_ids(Industry, ("apparel_home_textiles",)),
            ),
        )
