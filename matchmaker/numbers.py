"""Numbers that people type or send: finite, within a sane range, or refused with a message.

One mechanism for every entry point, so that NaN, ±inf, `1e309` and ids past 64 bits never
reach a service, a template or the database:

- `parse(text, bounds)` → the number (None when blank), or `NumberError` with the message;
  `problem(value, bounds)` → the message for a number that arrives already parsed, or None.
- WTForms: `FiniteFloatField`, `FiniteDecimalField`, `BoundedIntegerField` (the input stays in
  the field, the message lands on it), the `NumberText` validator for text fields and
  `RowNumbers` for the number columns of a FieldList.
- pydantic (the API): `finite_float(bounds)` and `bounded_int(bounds)` annotated types.
- `as_id(text)`, `int_arg(args, name)`: an id from a form or a query string, None when absent
  or out of range.

Bounds are per kind of value (money in 万元, KPI values, shares, percentages, ids).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from flask_babel import gettext as _
from pydantic import Field
from wtforms import DecimalField, FloatField, IntegerField
from wtforms.validators import ValidationError

INT64_MAX = 2**63 - 1
INT32_MAX = 2**31 - 1


@dataclass(frozen=True)
class Bounds:
    low: float | int
    high: float | int
    integer: bool = False


KPI_VALUE = Bounds(-1e12, 1e12)  # a baseline, target, committed or measured KPI value
MONEY = Bounds(0, 10_000_000)  # 万元: budgets, prices, rewards, vouchers, contract values
MONEY_INT = Bounds(0, 10_000_000, integer=True)
SHARE = Bounds(0, 1)
PERCENT = Bounds(0, 100)
WEIGHT = Bounds(0, 100)  # a rubric criterion's weight (the weights add up to 100)
SCORE = Bounds(0, 1000)
COUNT = Bounds(1, 10_000, integer=True)  # days, quotas, leads, scale
MONTHS = Bounds(1, 60, integer=True)
ID = Bounds(1, INT64_MAX, integer=True)
INDEX = Bounds(0, INT32_MAX, integer=True)  # a row or position number


class NumberError(ValueError):
    """The user-facing (zh-CN msgid, translated) reason a number was refused."""


def fmt(value: float | int) -> str:
    """A bound as people write it: 10000000, -1000000000000, 0.5."""
    return f"{value:,.0f}".replace(",", "") if float(value).is_integer() else f"{value:g}"


def problem(value: Any, bounds: Bounds) -> str | None:
    """Why a parsed number is refused (not finite, not whole, out of range), or None."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        finite = value.is_finite()
    else:
        finite = isinstance(value, int) or math.isfinite(value)
    if not finite:
        return _("请输入数字（不接受 NaN 或无穷大）。")
    if not bounds.low <= value <= bounds.high:
        return _("应在 %(min)s 到 %(max)s 之间。", min=fmt(bounds.low), max=fmt(bounds.high))
    if bounds.integer and value != int(value):
        return _("请输入整数。")
    return None


def refused(checks: Iterable[tuple[str, Any, Bounds]]) -> dict[str, list[str]]:
    """{field: [messages]} for the (field, parsed value, bounds) that `problem` refuses: a
    service's last line of defence whatever the entry point."""
    errors: dict[str, list[str]] = {}
    for name, value, bounds in checks:
        message = problem(value, bounds)
        if message and message not in errors.get(name, []):
            errors.setdefault(name, []).append(message)
    return errors


def parse_decimal(text: Any, bounds: Bounds) -> Decimal | None:
    """The typed number as a Decimal (None when blank); NumberError when it is refused."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        value = Decimal(str(text).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        raise NumberError(_("请输入整数。") if bounds.integer else _("请输入数字。")) from None
    message = problem(value, bounds)
    if message:
        raise NumberError(message)
    return value


def parse(text: Any, bounds: Bounds) -> float | int | None:
    """The typed number (an int for integer bounds, else a float; None when blank)."""
    value = parse_decimal(text, bounds)
    if value is None:
        return None
    return int(value) if bounds.integer else float(value)


def lenient(text: Any, bounds: Bounds) -> float | int | None:
    """`parse`, with None for anything refused (where the caller has no field to report on)."""
    try:
        return parse(text, bounds)
    except NumberError:
        return None


def as_id(value: Any, bounds: Bounds = ID) -> int | None:
    """A whole number typed or posted as text (an id, a page), None when it is not one or is
    out of `bounds`: ids past 64 bits never reach the database."""
    raw = str(value if value is not None else "").strip()
    digits = raw[1:] if raw[:1] in "+-" else raw
    if not digits.isascii() or not digits.isdigit() or len(digits) > 19:
        return None
    number = int(raw)
    return number if bounds.low <= number <= bounds.high else None


def int_arg(args, name: str, bounds: Bounds = ID) -> int | None:
    """An integer query or form argument: None when absent, not a whole number or out of
    `bounds` (a filter then falls back to "any")."""
    return as_id(args.get(name), bounds)


def day_arg(args, name: str) -> date | None:
    """A YYYY-MM-DD query argument (an <input type=date>): None when absent or not a date."""
    raw = str(args.get(name) or "").strip()
    if len(raw) != 10 or not raw.isascii():
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


# ---- WTForms ------------------------------------------------------------------------------


class _Bounded:
    """The field's own parsing (and its translated "not a valid …" message), then `problem`:
    a refused number leaves data None and puts the message on the field, while the typed text
    stays in the input."""

    bounds: Bounds

    def __init__(self, *args, bounds: Bounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.bounds = bounds

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        message = problem(self.data, self.bounds)
        if message:
            self.data = None
            raise ValueError(message)


class FiniteFloatField(_Bounded, FloatField):
    pass


class FiniteDecimalField(_Bounded, DecimalField):
    pass


class BoundedIntegerField(_Bounded, IntegerField):
    pass


class NumberText:
    """Validator for a text field that holds a number (blank allowed)."""

    def __init__(self, bounds: Bounds):
        self.bounds = bounds

    def __call__(self, form, field) -> None:
        try:
            parse_decimal(field.data, self.bounds)
        except NumberError as err:
            raise ValidationError(str(err)) from None


class RowNumbers:
    """Validator of a FieldList: the named text fields of every row hold numbers within
    `bounds` (blank allowed). Each refused value adds "第 n 行“label”：reason" to the list's
    own errors, which the pages show above the table."""

    def __init__(self, bounds: Bounds, *names: str):
        self.bounds = bounds
        self.names = names

    def __call__(self, form, field) -> None:
        for number, row in enumerate(field.entries, start=1):
            for name in self.names:
                sub = row.form[name]
                try:
                    parse_decimal(sub.data, self.bounds)
                except NumberError as err:
                    field.errors.append(
                        _(
                            "第 %(n)s 行“%(label)s”：%(problem)s",
                            n=number,
                            label=sub.label.text,
                            problem=str(err),
                        )
                    )


# ---- pydantic (the API) -------------------------------------------------------------------


def finite_float(bounds: Bounds) -> Any:
    """A JSON number that is finite and within bounds (NaN, Infinity, 1e309 → 422)."""
    return Annotated[float, Field(allow_inf_nan=False, ge=bounds.low, le=bounds.high)]


def bounded_int(bounds: Bounds) -> Any:
    return Annotated[int, Field(ge=bounds.low, le=bounds.high)]
