from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, MultipleFileField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..formtools import AppForm
from .services import MAX_BODY


class MessageForm(AppForm):
    body = TextAreaField(_l("消息"), validators=[Length(max=MAX_BODY)])
    files = MultipleFileField(_l("附件（可选，PDF、图片、Excel，每个不超过 10 MB，最多 5 个）"))
    # One token per rendered form: a resend of the same form is the same message.
    token = HiddenField()

    def fresh_token(self) -> None:
        self.token.data = secrets.token_urlsafe(24)


class ReportForm(AppForm):
    reason = TextAreaField(
        _l("举报原因"),
        validators=[DataRequired(_l("请说明举报原因。")), Length(max=1000)],
        description=_l("主办方只会看到这一条消息和您填写的原因，看不到其他往来消息。"),
    )


class HandleForm(AppForm):
    note = TextAreaField(
        _l("处理意见"), validators=[DataRequired(_l("请填写处理意见。")), Length(max=1000)]
    )
