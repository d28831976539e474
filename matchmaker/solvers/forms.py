"""Vendor-side forms. They carry what the user typed (numbers as text, so that a wrong value
comes back as typed); the services validate and answer with zh-CN messages per field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    FieldList,
    FormField,
    MultipleFileField,
    SelectChoice,  # (value, label) tuples are deprecated since WTForms 3.3
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..formtools import AppForm, RowForm, choices
from .lifecycle import MAX_COMMENT
from .offerings import MAX_KPIS, OfferingData
from .profiles import MAX_CASE_STUDIES, ProfileData
from .vocab import DEPLOYMENT_MODES, KPI_DIRECTIONS, QUALIFICATIONS, TECH_TAGS

BLANK_ROWS = 2


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _max(n: int):
    return Length(max=n, message=_l("不能超过 %(max)d 个字符。"))


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes; the service checks the chosen values (so unknown ones get a clear message)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


def _text(label, maximum: int, area: bool = False, **kwargs):
    field = TextAreaField if area else StringField
    return field(label, filters=[_strip], validators=[_max(maximum)], **kwargs)


class KpiRowForm(RowForm):
    indicator = _text(_l("指标"), 100)
    before = _text(_l("实施前"), 30)
    after = _text(_l("实施后"), 30)
    unit = _text(_l("单位"), 30)
    direction = SelectField(
        _l("方向"),
        choices=[SelectChoice("", "—"), *choices(KPI_DIRECTIONS)],
        validate_choice=False,
    )


class OfferingForm(AppForm):
    title = _text(_l("方案名称"), 200)
    summary = _text(_l("一句话简介"), 500, area=True, description=_l("解决什么问题、效果如何。"))
    description = _text(_l("详细介绍"), 10_000, area=True)
    category_ids = MultiCheckboxField(_l("场景类别"))
    template_ids = SelectMultipleField(
        _l("针对的场景模板"),
        validate_choice=False,
        description=_l("可多选（按住 Ctrl 或 ⌘）；所选模板的类别和行业会自动加入。"),
    )
    industry_ids = MultiCheckboxField(_l("适用行业"))
    tech_tags = MultiCheckboxField(_l("技术方向"), choices=choices(TECH_TAGS))
    deployment_modes = MultiCheckboxField(_l("部署方式"), choices=choices(DEPLOYMENT_MODES))
    kpis = FieldList(FormField(KpiRowForm), max_entries=MAX_KPIS + BLANK_ROWS)
    kpi_note = _text(_l("成效补充说明"), 2000, area=True)
    price_min = _text(_l("最低报价（万元）"), 30)
    price_max = _text(_l("最高报价（万元）"), 30)
    delivery_weeks = _text(_l("交付周期（周）"), 10)
    references_text = _text(_l("参考案例与证明材料"), 5000, area=True)
    attachments = MultipleFileField(
        _l("附件"), description=_l("PDF、PNG、JPG，每个不超过 10 MB，最多 10 个。")
    )

    def to_data(self) -> OfferingData:
        names = [n for n in OfferingData.__dataclass_fields__ if n != "kpis"]
        return OfferingData(
            **{n: self[n].data for n in names}, kpis=[row.data for row in self.kpis]
        )

    @staticmethod
    def initial(offering) -> dict:
        return {
            **{n: getattr(offering, n) for n in ("title", "summary", "description", "kpi_note")},
            "references_text": offering.references_text,
            "price_min": _num(offering.price_min),
            "price_max": _num(offering.price_max),
            "delivery_weeks": _num(offering.delivery_weeks),
            "category_ids": [str(c.id) for c in offering.categories],
            "template_ids": [str(t.id) for t in offering.templates],
            "industry_ids": [str(i.id) for i in offering.industries],
            "tech_tags": offering.tech_tags,
            "deployment_modes": offering.deployment_modes,
            "kpis": [
                {
                    "indicator": k.indicator,
                    "before": _num(k.before),
                    "after": _num(k.after),
                    "unit": k.unit,
                    "direction": k.direction,
                }
                for k in offering.kpis
            ],
        }


class CaseStudyRowForm(RowForm):
    customer_type = _text(_l("客户类型"), 100, description=_l("如：大型纺织企业"))
    template_id = SelectField(_l("对应场景"), validate_choice=False)
    work_done = _text(_l("实施内容"), 2000, area=True)
    result = _text(_l("量化成效"), 300, description=_l("如：漏检率从5%降至0.8%"))
    year = _text(_l("年份"), 10)


class ProfileForm(AppForm):
    introduction = _text(_l("公司简介"), 5000, area=True)
    qualifications = MultiCheckboxField(_l("资质"), choices=choices(QUALIFICATIONS))
    qualification_note = _text(_l("其他资质说明"), 300)
    team_size = _text(_l("团队人数"), 10)
    rd_staff = _text(_l("其中研发人员"), 10)
    founded_year = _text(_l("成立年份"), 10)
    industry_ids = MultiCheckboxField(_l("服务行业"))
    service_areas = _text(_l("服务区域（镇街）"), 500, description=_l("如：宁围街道、瓜沥镇"))
    website = _text(_l("网站"), 300)
    contact_name = _text(_l("联系人"), 100)
    contact_phone = _text(_l("联系电话"), 30)
    contact_email = _text(_l("联系邮箱"), 254)
    case_studies = FieldList(FormField(CaseStudyRowForm), max_entries=MAX_CASE_STUDIES + BLANK_ROWS)

    def to_data(self) -> ProfileData:
        names = [n for n in ProfileData.__dataclass_fields__ if n != "case_studies"]
        return ProfileData(
            **{n: self[n].data for n in names},
            case_studies=[row.data for row in self.case_studies],
        )

    @staticmethod
    def initial(profile) -> dict:
        if profile is None:
            return {}
        names = [
            n for n in ProfileData.__dataclass_fields__ if n not in ("industry_ids", "case_studies")
        ]
        values = {n: getattr(profile, n) for n in names}
        for n in ("team_size", "rd_staff", "founded_year"):
            values[n] = _num(values[n])
        values["industry_ids"] = [str(i.id) for i in profile.industries]
        values["case_studies"] = [
            {
                "customer_type": c.customer_type,
                "template_id": str(c.template_id or ""),
                "work_done": c.work_done,
                "result": c.result,
                "year": _num(c.year),
            }
            for c in profile.case_studies
        ]
        return values


class CommentForm(AppForm):
    """Review actions and withdrawals: an optional (for return and reject, required) comment."""

    comment = _text(_l("意见"), MAX_COMMENT, area=True)


def _num(value) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def pad_rows(field_list, blank: int = BLANK_ROWS) -> None:
    """Offer `blank` empty rows after the filled ones (no JavaScript needed to add a row)."""
    filled = sum(1 for entry in field_list if any(v for v in entry.data.values()))
    while len(field_list) < min(filled + blank, field_list.max_entries):
        field_list.append_entry()
