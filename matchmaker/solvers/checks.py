"""Field checks shared by the vendor-side services: each returns (value, message or None).

Numbers arrive as the user typed them (str) or as numbers from code; a blank is None.
Messages are zh-CN msgids translated at call time.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from .. import numbers

URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def number(value, minimum: float, maximum: float, integer: bool = False):
    """(the number or None when blank, an error message or None): `matchmaker.numbers`."""
    try:
        return numbers.parse(value, numbers.Bounds(minimum, maximum, integer)), None
    except numbers.NumberError as err:
        return None, str(err)


def text(value, maximum: int, required: bool = False):
    cleaned = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if required and not cleaned:
        return cleaned, _("此项为必填项。")
    if len(cleaned) > maximum:
        return cleaned, _("不能超过 %(max)d 个字符。", max=maximum)
    return cleaned, None


def codes(values, vocabulary: dict):
    chosen = [v for v in dict.fromkeys(values or ()) if v]
    if any(v not in vocabulary for v in chosen):
        return chosen, _("包含无效的选项。")
    return chosen, None


def ids(values) -> list[int] | None:
    """Distinct positive integer ids, or None when one of them is not an id."""
    found: list[int] = []
    for value in values or ():
        try:
            number_ = int(value)
        except (TypeError, ValueError):
            return None
        if number_ <= 0:
            return None
        if number_ not in found:
            found.append(number_)
    return found


class Errors(dict):
    """field → [messages]; `add` ignores None so checks can be chained."""

    def add(self, field: str, message: str | None) -> None:
        if message:
            self.setdefault(field, []).append(message)
