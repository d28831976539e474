"""A vendor's profile: who they are, what they are qualified for, what they have delivered."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..errors import NotAllowed, ValidationFailed
from ..extensions import db
from ..scenarios.models import Industry, ScenarioTemplate
from . import checks
from .models import CaseStudy, VendorProfile
from .vocab import QUALIFICATIONS

MAX_CASE_STUDIES = 10
FIRST_YEAR = 1949


@dataclass
class ProfileData:
    introduction: str = ""
    qualifications: list[str] = field(default_factory=list)
    qualification_note: str = ""
    team_size: Any = None
    rd_staff: Any = None
    founded_year: Any = None
    industry_ids: list[Any] = field(default_factory=list)
    service_areas: str = ""
    website: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    # rows of customer_type / template_id / work_done / result / year; blank rows are dropped
    case_studies: list[dict[str, Any]] = field(default_factory=list)


def profile_of(org) -> VendorProfile | None:
    return db.session.scalar(select(VendorProfile).where(VendorProfile.organisation_id == org.id))


def save_profile(actor, org, data: ProfileData) -> VendorProfile:
    """A member of the vendor organisation creates or replaces its profile."""
    if not (
        getattr(actor, "is_vendor_member", False)
        and getattr(actor, "is_active", False)
        and actor.organisation_id == org.id
    ):
        raise NotAllowed()
    values, errors = clean_profile(data)
    if errors:
        raise ValidationFailed(fields=dict(errors))
    profile = profile_of(org) or VendorProfile(organisation_id=org.id)
    for name, value in values.items():
        if name != "case_studies":
            setattr(profile, name, value)
    profile.case_studies = [
        CaseStudy(position=i, **row) for i, row in enumerate(values["case_studies"])
    ]
    db.session.add(profile)
    db.session.commit()
    return profile


def clean_profile(data: ProfileData) -> tuple[dict[str, Any], checks.Errors]:
    errors = checks.Errors()
    values: dict[str, Any] = {}
    for name, maximum in (
        ("introduction", 5000),
        ("qualification_note", 300),
        ("service_areas", 500),
        ("website", 300),
        ("contact_name", 100),
        ("contact_phone", 30),
        ("contact_email", 254),
    ):
        values[name], message = checks.text(getattr(data, name), maximum)
        errors.add(name, message)
    values["qualifications"], message = checks.codes(data.qualifications, QUALIFICATIONS)
    errors.add("qualifications", message)
    if "other" in values["qualifications"] and not values["qualification_note"]:
        errors.add("qualification_note", _("选择“其他”时请说明资质名称。"))
    if values["website"] and not checks.URL_PATTERN.match(values["website"]):
        errors.add("website", _("请输入以 http:// 或 https:// 开头的网址。"))
    if values["contact_email"] and not checks.EMAIL_PATTERN.match(values["contact_email"]):
        errors.add("contact_email", _("请输入有效的邮箱地址。"))
    _clean_numbers(data, values, errors)
    wanted = checks.ids(data.industry_ids)
    industries = (
        list(db.session.scalars(select(Industry).where(Industry.id.in_(wanted)))) if wanted else []
    )
    if wanted is None or len(industries) != len(wanted):
        errors.add("industry_ids", _("包含无效的选项。"))
    values["industries"] = industries
    values["case_studies"] = _clean_case_studies(data.case_studies, errors)
    return values, errors


def _clean_numbers(data: ProfileData, values: dict, errors: checks.Errors) -> None:
    values["team_size"], message = checks.number(data.team_size, 1, 1_000_000, integer=True)
    errors.add("team_size", message)
    values["rd_staff"], message = checks.number(data.rd_staff, 0, 1_000_000, integer=True)
    errors.add("rd_staff", message)
    team, rd = values["team_size"], values["rd_staff"]
    if team is not None and rd is not None and rd > team:
        errors.add("rd_staff", _("研发人员数不能多于团队总人数。"))
    this_year = clock.local_now().year
    values["founded_year"], message = checks.number(
        data.founded_year, FIRST_YEAR, this_year, integer=True
    )
    errors.add("founded_year", message)


def _clean_case_studies(rows, errors: checks.Errors) -> list[dict[str, Any]]:
    filled = [row for row in rows or () if any(not checks.blank(v) for v in row.values())]
    if len(filled) > MAX_CASE_STUDIES:
        errors.add("case_studies", _("最多填写 %(n)d 个案例。", n=MAX_CASE_STUDIES))
    cleaned = []
    for line, row in enumerate(filled[:MAX_CASE_STUDIES], start=1):
        case, message = _clean_case(row)
        if message:
            errors.add("case_studies", _("案例 %(n)d：%(message)s", n=line, message=message))
        else:
            cleaned.append(case)
    return cleaned


def _clean_case(row: dict) -> tuple[dict | None, str | None]:
    customer_type, message = checks.text(row.get("customer_type"), 100, required=True)
    if message:
        return None, _("请填写客户类型（不超过 100 个字符）。")
    work_done, message = checks.text(row.get("work_done"), 2000, required=True)
    if message:
        return None, _("请填写实施内容（不超过 2000 个字符）。")
    result, message = checks.text(row.get("result"), 300)
    if message:
        return None, _("成效不能超过 300 个字符。")
    year, message = checks.number(row.get("year"), FIRST_YEAR, clock.local_now().year, True)
    if message:
        return None, _("年份%(message)s", message=message)
    template_id = None
    if not checks.blank(row.get("template_id")):
        found = checks.ids([row.get("template_id")])
        template = db.session.get(ScenarioTemplate, found[0]) if found else None
        if template is None:
            return None, _("场景模板无效。")
        template_id = template.id
    return {
        "customer_type": customer_type,
        "work_done": work_done,
        "result": result,
        "year": year,
        "template_id": template_id,
    }, None
