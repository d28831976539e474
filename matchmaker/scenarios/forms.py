"""Curation forms for the taxonomy."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..formtools import AppForm, choices
from .miit_stages import STAGES

KPI_HINT = _l("每行一个指标：名称|单位|方向，方向填“上升”或“下降”，例如：漏检率|%|下降")
# Every spelling the hint offers (and its case variants), to the stored code.
KPI_DIRECTIONS = {"up": "up", "上升": "up", "down": "down", "下降": "down"}


class KpiLineError(ValueError):
    """A line of the KPI text that cannot be read: its number and what is wrong."""

    def __init__(self, line_no: int, message: str):
        super().__init__(line_no, message)
        self.line_no, self.message = line_no, message


def parse_kpis(text: str) -> list[dict[str, str]]:
    kpis = []
    for line_no, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) != 3 or not parts[0]:
            raise KpiLineError(line_no, _l("格式不正确，应为 名称|单位|方向"))
        direction = KPI_DIRECTIONS.get(parts[2].lower())
        if direction is None:
            raise KpiLineError(line_no, _l("方向应为“上升”（up）或“下降”（down）"))
        kpis.append({"name_zh": parts[0], "unit": parts[1], "direction": direction})
    return kpis


def format_kpis(kpis: list[dict]) -> str:
    return "\n".join(
        f"{k.get('name_zh', '')}|{k.get('unit', '')}|{k.get('direction', '')}" for k in kpis or []
    )


class TemplateForm(AppForm):
    code = StringField(_l("编号"), validators=[DataRequired(_l("请填写编号。")), Length(max=20)])
    industry_id = SelectField(_l("行业"), coerce=int)
    category_id = SelectField(_l("场景类别"), coerce=int)
    stage = SelectField(
        _l("环节"),
        choices=[
            SelectChoice("", _l("请选择环节")),
            *choices((code, zh) for code, (zh, _en) in STAGES.items()),
        ],
        validators=[DataRequired(_l("请选择环节。"))],
    )
    title_zh = StringField(
        _l("场景名称（中文）"), validators=[DataRequired(_l("请填写场景名称。")), Length(max=200)]
    )
    title_en = StringField(_l("场景名称（英文）"), validators=[Optional(), Length(max=300)])
    pain_point_zh = TextAreaField(_l("典型痛点"), validators=[Optional(), Length(max=2000)])
    data_zh = TextAreaField(_l("常见数据条件"), validators=[Optional(), Length(max=2000)])
    example_zh = TextAreaField(_l("需求示例"), validators=[Optional(), Length(max=4000)])
    kpis = TextAreaField(_l("典型指标"), description=KPI_HINT)

    def validate_kpis(self, field):
        try:
            field.parsed = parse_kpis(field.data)
        except KpiLineError as err:
            message = _l("第 %(line)s 行：%(problem)s。", line=err.line_no, problem=err.message)
            raise ValidationError(message) from err

    def template_fields(self) -> dict:
        fields = {
            name: getattr(self, name).data
            for name in (
                "industry_id",
                "category_id",
                "stage",
                "title_zh",
                "title_en",
                "pain_point_zh",
                "data_zh",
                "example_zh",
            )
        }
        fields["kpis"] = getattr(self.kpis, "parsed", [])
        fields["code"] = self.code.data.strip()
        return fields


class GroupForm(AppForm):
    name_zh = StringField(
        _l("中文名称"), validators=[DataRequired(_l("请填写中文名称。")), Length(max=80)]
    )
    name_en = StringField(_l("英文名称"), validators=[Optional(), Length(max=120)])
    description_zh = TextAreaField(_l("说明（中文）"), validators=[Optional(), Length(max=2000)])
    description_en = TextAreaField(_l("说明（英文）"), validators=[Optional(), Length(max=2000)])
    active = BooleanField(_l("启用"))


class MergeForm(AppForm):
    source_id = SelectField(_l("被合并的场景"), coerce=int)
    target_id = SelectField(_l("合并到"), coerce=int)
    note = TextAreaField(_l("原因"), validators=[Optional(), Length(max=1000)])


class NoteForm(AppForm):
    note = TextAreaField(_l("原因"), validators=[Optional(), Length(max=1000)])


class MoveForm(AppForm):
    direction = HiddenField(validators=[DataRequired()])
