from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField


class JudgeForm(FlaskForm):
    """不相关 / 已联系 / 撤销 on one recommendation: the pressed button's value and where to go."""

    verdict = HiddenField()
    next = HiddenField()
