"""Forms of the matchmaking days. Times are typed in Beijing time."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DateTimeLocalField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..clock import LOCAL_TZ
from ..formtools import AppForm
from ..numbers import BoundedIntegerField, Bounds


def to_utc(local: datetime | None) -> datetime | None:
    """A naive datetime typed in Beijing time → aware UTC."""
    return None if local is None else local.replace(tzinfo=LOCAL_TZ).astimezone(UTC)


class DayForm(AppForm):
    title = StringField(_l("对接会名称"), validators=[DataRequired(), Length(max=200)])
    venue = StringField(_l("举办地点"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("简介（面向哪些行业、议程安排）"), validators=[Length(max=4000)])
    day = DateField(_l("举办日期"), validators=[DataRequired()])
    starts_at = TimeField(_l("第一场洽谈开始时间（北京时间）"), validators=[DataRequired()])
    slot_minutes = BoundedIntegerField(
        _l("每场洽谈时长（分钟）"), default=20, bounds=Bounds(5, 120, integer=True)
    )
    slot_count = BoundedIntegerField(
        _l("洽谈场次数"), default=12, bounds=Bounds(1, 40, integer=True)
    )
    tables = BoundedIntegerField(_l("洽谈桌数"), default=10, bounds=Bounds(1, 200, integer=True))
    registration_closes_at = DateTimeLocalField(
        _l("报名截止（北京时间）"), validators=[DataRequired()]
    )


class IdsField(SelectMultipleField):
    """Checkboxes of ids. The service says which ids are allowed (in Chinese); here only a
    value that is not a whole number is refused."""

    def process_formdata(self, valuelist):
        if any(not str(v).isdigit() for v in valuelist):
            self.data = []
            raise ValueError(_l("选择无效，请重新选择。"))
        self.data = [int(v) for v in valuelist]


def _checkboxes(label):
    return IdsField(
        label,
        coerce=int,
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class RegisterForm(AppForm):
    items = _checkboxes(_l("带来洽谈的内容"))
    slots = _checkboxes(_l("可参加的时段"))


class ActionForm(AppForm):
    """CSRF only: buttons that post an action."""


class OutcomeForm(AppForm):
    outcome = SelectField(
        _l("洽谈结果"),
        choices=[
            SelectChoice("interest", _l("有意向")),
            SelectChoice("no_interest", _l("无意向")),
        ],
    )
