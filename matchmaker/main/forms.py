from __future__ import annotations

from wtforms import HiddenField

from ..formtools import AppForm


class JudgeForm(AppForm):
    """不相关 / 已联系 / 撤销 on one recommendation: the pressed button's value and where to go."""

    verdict = HiddenField()
    next = HiddenField()
