"""Forms of the needs package. Field-level checks here; content rules in `validation`
(the service re-checks them and its messages land on the same fields)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField,
    FieldList,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from .. import clock
from ..formtools import AppForm, RowForm, choices, numbered_rows
from ..numbers import KPI_VALUE, MONEY_INT, MONTHS, BoundedIntegerField, FiniteFloatField
from . import validation
from .choices import (
    CONFIDENTIALITY,
    CONSTRAINTS,
    DATA_LABELLED,
    DATA_SOURCES,
    KPI_DIRECTIONS,
    MAX_KPIS,
    VOUCHERS,
)

OTHER = 0  # template_id choice meaning "其他"


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _kpi_row_used(row) -> bool:
    return row.target.data is not None or row.baseline.data is not None


class KpiForm(RowForm):
    """One KPI row; a row without baseline and target is ignored (an unused suggestion)."""

    indicator = StringField(_l("指标"), validators=[Optional(), Length(max=100)])
    baseline = FiniteFloatField(
        _l("现状值"), validators=[Optional()], render_kw={"inputmode": "decimal"}, bounds=KPI_VALUE
    )
    target = FiniteFloatField(
        _l("目标值"), validators=[Optional()], render_kw={"inputmode": "decimal"}, bounds=KPI_VALUE
    )
    unit = StringField(_l("单位"), validators=[Optional(), Length(max=30)])
    direction = SelectField(_l("方向"), choices=choices(KPI_DIRECTIONS), default="down")


class NeedForm(AppForm):
    title = StringField(
        _l("需求名称"), validators=[DataRequired(_l("请填写需求名称。")), Length(max=200)]
    )
    industry_id = SelectField(_l("行业"), coerce=int, validators=[InputRequired()])
    category_id = SelectField(_l("场景类别"), coerce=int, validators=[InputRequired()])
    template_id = SelectField(_l("场景模板"), coerce=int, default=OTHER)
    other_description = TextAreaField(
        _l("场景说明（选择“其他”时必填）"), validators=[Optional(), Length(max=2000)]
    )
    goal = TextAreaField(
        _l("需求描述与期望效果"),
        validators=[DataRequired(_l("请描述需求与期望效果。")), Length(max=4000)],
    )
    pain_point = TextAreaField(
        _l("痛点"), validators=[DataRequired(_l("请描述痛点。")), Length(max=4000)]
    )
    current_process = TextAreaField(_l("现状（当前做法）"), validators=[Length(max=4000)])
    data_sources = MultiCheckboxField(_l("数据来源"), choices=choices(DATA_SOURCES))
    data_volume = StringField(_l("数据规模"), validators=[Length(max=200)])
    data_labelled = RadioField(_l("数据是否已标注"), choices=choices(DATA_LABELLED), default="no")
    data_description = TextAreaField(_l("数据条件说明"), validators=[Length(max=4000)])
    kpis = FieldList(FormField(KpiForm), min_entries=3, max_entries=MAX_KPIS)
    budget_min = BoundedIntegerField(
        _l("预算下限（万元）"), validators=[Optional()], bounds=MONEY_INT
    )
    budget_max = BoundedIntegerField(
        _l("预算上限（万元）"), validators=[Optional()], bounds=MONEY_INT
    )
    vouchers = MultiCheckboxField(_l("拟申请的券"), choices=choices(VOUCHERS))
    delivery_months = BoundedIntegerField(
        _l("期望交付周期（月）"), validators=[Optional()], bounds=MONTHS
    )
    delivery_date = DateField(_l("或期望交付日期"), validators=[Optional()])
    town = StringField(_l("实施地点（镇街）"), validators=[Length(max=100)])
    constraints = MultiCheckboxField(_l("部署约束"), choices=choices(CONSTRAINTS))
    constraints_note = TextAreaField(_l("其他部署要求"), validators=[Length(max=2000)])
    confidentiality = RadioField(_l("保密级别"), choices=choices(CONFIDENTIALITY), default="public")
    attachments = MultipleFileField(_l("附件（PDF/PNG/JPG/XLSX，最多 5 个，每个不超过 10 MB）"))
    save = SubmitField(_l("保存草稿"))
    submit = SubmitField(_l("保存并提交审核"))
    identify = SubmitField(_l("智能识别"))

    def content(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """(fields, kpi rows) for the services."""
        names = [
            "title", "industry_id", "category_id", "other_description", "goal", "pain_point",
            "current_process", "data_sources", "data_volume", "data_labelled",
            "data_description", "budget_min", "budget_max", "vouchers", "delivery_months",
            "delivery_date", "town", "constraints", "constraints_note", "confidentiality",
        ]  # fmt: skip
        fields = {name: self[name].data for name in names}
        for name in ("data_sources", "vouchers", "constraints"):
            fields[name] = list(fields[name] or [])
        fields["template_id"] = self.template_id.data or None
        kpis = [
            dict(row.data, form_row=number)
            for number, row in numbered_rows(self.kpis, _kpi_row_used)
        ]
        return fields, kpis

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then the content rules, so every problem shows at once."""
        valid = super().validate(extra_validators)
        fields, kpis = self.content()
        errors = validation.text_errors(fields)
        errors |= validation.budget_errors(fields["budget_min"], fields["budget_max"])
        errors |= validation.delivery_errors(
            fields["delivery_months"], fields["delivery_date"], clock.local_now().date()
        )
        errors |= validation.kpi_errors(kpis)
        for name, messages in errors.items():
            field = self[name]
            new = [m for m in messages if m not in field.errors]
            if new:
                field.errors = [*field.errors, *new]
                valid = False
        return valid

    @property
    def submitting(self) -> bool:
        return bool(self.submit.data)


class ReasonForm(AppForm):
    comment = TextAreaField(_l("意见"), validators=[Length(max=2000)])


class InterestForm(AppForm):
    message = TextAreaField(
        _l("响应内容"),
        validators=[DataRequired(_l("请填写响应内容。")), Length(max=4000)],
        description=_l("简述贵机构的方案、案例与交付周期。"),
    )
    contact = StringField(_l("联系方式（可选）"), validators=[Length(max=200)])


class InviteForm(AppForm):
    vendor = StringField(
        _l("揭榜方名称或统一社会信用代码"),
        validators=[DataRequired(_l("请填写揭榜方名称或统一社会信用代码。")), Length(max=200)],
    )


class ConfirmForm(AppForm):
    """A POST with only the CSRF token (follow, NDA, submit, withdraw)."""
