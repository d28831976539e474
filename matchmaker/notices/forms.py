"""The organiser's notice form. Times are typed in Beijing time (see competitions.forms.to_utc)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    MultipleFileField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from ..formtools import AppForm

DRAFT, NOW, SCHEDULED = "draft", "now", "scheduled"


class NoticeForm(AppForm):
    title = StringField(_l("标题"), validators=[DataRequired(_l("请填写标题。")), Length(max=200)])
    body = TextAreaField(_l("正文"), validators=[Length(max=20000)], render_kw={"rows": 10})
    round_id = SelectField(_l("关联揭榜批次（可不选）"), coerce=int, default=0)
    mode = RadioField(
        _l("发布方式"),
        choices=[
            SelectChoice(DRAFT, _l("保存为草稿")),
            SelectChoice(NOW, _l("立即发布")),
            SelectChoice(SCHEDULED, _l("定时发布")),
        ],
        default=DRAFT,
    )
    publish_at = DateTimeLocalField(
        _l("定时发布时间（北京时间）"),
        validators=[Optional()],
        description=_l("选择“定时发布”时填写；到时间后公告自动公开。"),
    )
    files = MultipleFileField(
        _l("附件（如申报指南）"),
        description=_l("PDF、XLSX、PNG、JPG，每个不超过 10 MB，最多 10 个。"),
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.mode.data == SCHEDULED and self.publish_at.data is None:
            if not self.publish_at.errors:
                self.publish_at.errors = [*self.publish_at.errors, _l("请填写定时发布时间。")]
            return False
        return valid
