"""Forms of the rounds. Datetimes are typed in Asia/Shanghai local time and stored as UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    FormField,
    HiddenField,
    MultipleFileField,
    SelectChoice,  # (value, label) tuples are deprecated since WTForms 3.3
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from .. import numbers
from ..clock import LOCAL_TZ
from ..formtools import AppForm, RowForm
from ..numbers import (
    KPI_VALUE,
    MONEY,
    SHARE,
    WEIGHT,
    BoundedIntegerField,
    Bounds,
    FiniteDecimalField,
    NumberText,
    RowNumbers,
)
from .models.rounds import DEFAULT_RUBRIC, MAX_QUOTA
from .statuses import MIDTERM_LABELS


def to_utc(local: datetime | None) -> datetime | None:
    """A naive datetime typed in Asia/Shanghai → aware UTC."""
    return None if local is None else local.replace(tzinfo=LOCAL_TZ).astimezone(UTC)


def parse_decimal(text: str | None) -> Decimal | None:
    """An amount in 万元; None when blank or refused (NaN, ±inf, out of range: the forms'
    `NumberText`/`RowNumbers` validators say why)."""
    try:
        return numbers.parse_decimal(text, numbers.MONEY)
    except numbers.NumberError:
        return None


def parse_float(text: str | None) -> float | None:
    """A KPI value, score or weight; None when blank or refused (see `parse_decimal`)."""
    return numbers.lenient(text, numbers.KPI_VALUE)


DAYS = Bounds(1, 365, integer=True)


class ActionForm(AppForm):
    """CSRF only: buttons that post an action."""


class ReasonForm(AppForm):
    reason = TextAreaField(_l("原因"))


class CriterionRow(RowForm):
    title = StringField(_l("评分项"))  # not `label`: a FormField has its own label
    weight = StringField(_l("权重"))


class RoundForm(AppForm):
    name = StringField(_l("批次名称"), validators=[DataRequired()])
    rules = TextAreaField(_l("揭榜规则"))
    opens_at = DateTimeLocalField(_l("揭榜开始（北京时间）"), validators=[DataRequired()])
    closes_at = DateTimeLocalField(_l("揭榜截止（北京时间）"), validators=[DataRequired()])
    review_opens_at = DateTimeLocalField(_l("评审开始（北京时间）"), validators=[Optional()])
    review_closes_at = DateTimeLocalField(_l("评审结束（北京时间）"), validators=[Optional()])
    publicity_days = BoundedIntegerField(_l("公示天数"), default=7, bounds=DAYS)
    quota = BoundedIntegerField(
        _l("每个榜单挂帅名额"), default=1, bounds=Bounds(1, MAX_QUOTA, integer=True)
    )
    voucher_share = FiniteDecimalField(
        _l("场景券比例（合同金额的比例，0–1）"), default=Decimal("0.3"), places=3, bounds=SHARE
    )
    voucher_cap = FiniteDecimalField(
        _l("场景券每家企业每年上限（万元）"), default=Decimal("50"), places=2, bounds=MONEY
    )
    max_leads = BoundedIntegerField(
        _l("每家单位本批次最多牵头揭榜数"), default=3, bounds=Bounds(1, 1000, integer=True)
    )
    scale_max = BoundedIntegerField(
        _l("每项评分满分"), default=10, bounds=Bounds(1, 1000, integer=True)
    )
    rubric = FieldList(
        FormField(CriterionRow), min_entries=7, validators=[RowNumbers(WEIGHT, "weight")]
    )
    tie_break = StringField(_l("同分时比较的评分项"), default="指标承诺")

    def prefill_rubric(self, rows) -> None:
        while self.rubric.entries:
            self.rubric.pop_entry()
        for row in rows:
            self.rubric.append_entry({"title": row["label"], "weight": str(row["weight"])})
        for _blank in range(2):
            self.rubric.append_entry()

    def rubric_rows(self) -> tuple[list[dict], str]:
        """(rubric, tie-break code): the default criteria keep their codes, others get c1, c2…"""
        codes = {row["label"]: row["code"] for row in DEFAULT_RUBRIC}
        rows = []
        for row in self.rubric:
            label = (row.title.data or "").strip()
            if label:
                code = codes.get(label, f"c{len(rows) + 1}")
                rows.append(
                    {"code": code, "label": label, "weight": parse_float(row.weight.data) or 0}
                )
        wanted = (self.tie_break.data or "").strip()
        tie = next((r["code"] for r in rows if r["label"] == wanted), wanted)
        return rows, tie


class ListingForm(AppForm):
    title = StringField(_l("榜单名称"), validators=[DataRequired()])
    need_ids = SelectMultipleField(
        _l("纳入的需求（可合并多个相近需求）"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    description = TextAreaField(_l("榜单说明"))
    reward = FiniteDecimalField(
        _l("揭榜奖励（万元）"), validators=[Optional()], places=2, bounds=MONEY
    )
    budget = FiniteDecimalField(
        _l("项目预算（万元）"), validators=[Optional()], places=2, bounds=MONEY
    )
    legal_entity_required = BooleanField(_l("须为独立法人"), default=True)
    qualifications = TextAreaField(_l("资质要求"))
    local_presence_required = BooleanField(_l("须在本地设有机构"))
    consortium_allowed = BooleanField(_l("允许联合体揭榜"))


class CommitmentRow(RowForm):
    kpi_id = HiddenField()
    committed = StringField(_l("承诺值"))


class MilestoneRow(RowForm):
    title = StringField(_l("里程碑"))
    due_date = DateField(_l("完成日期"), validators=[Optional()])
    deliverable = StringField(_l("交付物"))


class ApplicationForm(AppForm):
    offering_id = SelectField(_l("所依托的解决方案"), coerce=int)
    approach = TextAreaField(_l("技术方案"))
    team = TextAreaField(_l("团队"))
    price = StringField(_l("报价（万元）"), validators=[NumberText(MONEY)])
    voucher_use = StringField(_l("拟使用场景券（万元）"), validators=[NumberText(MONEY)])
    commitments = FieldList(
        FormField(CommitmentRow), validators=[RowNumbers(KPI_VALUE, "committed")]
    )
    milestones = FieldList(FormField(MilestoneRow), min_entries=3)
    member_codes = TextAreaField(_l("联合体成员的统一社会信用代码（每行一个，最多 4 个）"))
    attachments = MultipleFileField(_l("附件（PDF、图片、Excel）"))
    rights_declared = BooleanField(_l("本单位声明：申报材料真实，方案不侵犯他人知识产权"))


class AssignForm(AppForm):
    expert_id = SelectField(_l("评审专家"), coerce=int)


class EligibilityForm(AppForm):
    eligible = SelectField(
        _l("资格审查"), choices=[SelectChoice("1", _l("通过")), SelectChoice("0", _l("不通过"))]
    )
    note = StringField(_l("说明"))


class ResolveForm(AppForm):
    upheld = SelectField(
        _l("处理结果"),
        choices=[SelectChoice("0", _l("异议不成立")), SelectChoice("1", _l("异议成立"))],
    )
    note = TextAreaField(_l("处理意见"), validators=[DataRequired()])


class ObjectionForm(AppForm):
    reason = TextAreaField(_l("异议理由"), validators=[DataRequired()])


class RelationForm(AppForm):
    credit_code = StringField(_l("关联单位的统一社会信用代码"), validators=[DataRequired()])
    note = StringField(_l("关联关系说明"))


class MidtermForm(AppForm):
    progress = BoundedIntegerField(
        _l("完成进度（%）"), validators=[InputRequired()], bounds=Bounds(0, 100, integer=True)
    )
    conclusion = SelectField(
        _l("评估结论"), choices=[SelectChoice(k, v) for k, v in MIDTERM_LABELS.items()]
    )
    note = TextAreaField(_l("评估意见"))


class EvidenceForm(AppForm):
    note = TextAreaField(_l("完成情况"))
    files = MultipleFileField(_l("佐证材料"))


class ReturnMilestoneForm(AppForm):
    """退回补充: the listing's owner sends a submitted milestone back (the service checks the reason)."""

    reason = TextAreaField(_l("退回原因"))


class KpiRow(RowForm):
    indicator = StringField(_l("考核指标"))
    baseline = StringField(_l("基线"))
    target = StringField(_l("目标"))
    unit = StringField(_l("单位"))
    direction = SelectField(
        _l("方向"),
        choices=[SelectChoice("up", _l("越高越好")), SelectChoice("down", _l("越低越好"))],
    )


class KpisForm(AppForm):
    kpis = FieldList(
        FormField(KpiRow), min_entries=1, validators=[RowNumbers(KPI_VALUE, "baseline", "target")]
    )

    def rows(self) -> list[dict]:
        """The filled rows (a row without an indicator is dropped; a bad number → None)."""
        rows = []
        for row in self.kpis:
            if not (row.indicator.data or "").strip():
                continue
            rows.append(
                {
                    "indicator": row.indicator.data.strip(),
                    "baseline": parse_float(row.baseline.data),
                    "target": parse_float(row.target.data),
                    "unit": (row.unit.data or "").strip(),
                    "direction": row.direction.data,
                }
            )
        return rows


class RectificationForm(AppForm):
    """整改: the period in days and the findings to fix (the service checks both)."""

    days = StringField(_l("整改期限（天）"))
    findings = TextAreaField(_l("需要整改的问题"))


class RectificationReportForm(AppForm):
    note = TextAreaField(_l("整改情况"))
    files = MultipleFileField(_l("佐证材料"))


class PaymentForm(AppForm):
    """场景券兑付: amount in 万元, date and reference number (the service checks them)."""

    amount = StringField(_l("兑付金额（万元）"))
    paid_on = StringField(_l("兑付日期"))
    reference = StringField(_l("兑付凭证号"))
    note = StringField(_l("备注"))


class ReversalForm(AppForm):
    """冲销 of a payment recorded by mistake: the reason (the service requires it)."""

    reason = StringField(_l("冲销原因"), description=_l("如“金额录入错误”“兑付对象有误”。"))


class QuestionForm(AppForm):
    body = TextAreaField(
        _l("您的问题"),
        validators=[DataRequired(_l("请填写问题。"))],
        description=_l("提问方不会公开。请勿在问题中透露贵机构的名称或保密信息。"),
        render_kw={"rows": 3, "maxlength": 1000},
    )


class AnswerForm(AppForm):
    answer = TextAreaField(
        _l("回答"), validators=[DataRequired(_l("请填写回答。"))], render_kw={"rows": 3}
    )
    private = BooleanField(_l("仅提问方可见（涉及保密内容时勾选）"))


class QaSettingsForm(AppForm):
    factory_answers = BooleanField(_l("允许发榜企业回答本榜单的答疑问题"))
