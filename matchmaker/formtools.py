"""Helpers shared by every package's form views."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from wtforms import Form, SelectChoice, SelectMultipleField
from wtforms.meta import DefaultMeta
from wtforms.validators import StopValidation

from .errors import ValidationFailed


def choices(pairs: Mapping[Any, Any] | Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """A field's options from a {value: label} mapping or (value, label) pairs (WTForms 3.3
    deprecates tuples as choices; every form builds its options here or with SelectChoice)."""
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    return [SelectChoice(value, label) for value, label in items]


def no_nul(form, field) -> None:
    """A NUL character (never typed; PostgreSQL refuses it in text) is refused on its field."""
    if any(isinstance(value, str) and "\x00" in value for value in field.raw_data or ()):
        raise StopValidation(_l("内容含有无法保存的控制字符，请删除后重新提交。"))


def _bind(meta, form, unbound_field, options):
    """Every field of the app's forms refuses NUL; a multiple choice names an unknown option
    in Chinese (WTForms' zh catalogue lacks that plural message: it would be English)."""
    field = DefaultMeta.bind_field(meta, form, unbound_field, options)
    field.validators = [no_nul, *field.validators]
    if isinstance(field, SelectMultipleField) and field.invalid_choice_message is None:
        field.invalid_choice_message = _l("请只勾选列出的选项。")
    return field


class AppForm(FlaskForm):
    """Every form of the app: a FlaskForm whose fields refuse NUL characters (see `_bind`)."""

    class Meta:
        bind_field = _bind


class RowForm(Form):
    """A row of a FieldList (a plain WTForms form inside a FlaskForm): no CSRF token of its
    own, NUL refused as in AppForm, and WTForms' own messages (不是有效的选择。) in the page's
    language, as FlaskForm has them — a plain Form would say "Not a valid choice." in English."""

    class Meta:
        csrf = False
        bind_field = _bind

        def get_translations(self, form):
            return wtforms_translations


def numbered_rows(rows: Iterable[Any], filled: Callable[[Any], bool]) -> list[tuple[int, Any]]:
    """The rows the user filled, each with the 1-based number it has on the form (a blank row
    keeps its place: with row 1 left empty, row 2's error still says 第 2 行)."""
    return [(number, row) for number, row in enumerate(rows, start=1) if filled(row)]


def apply_errors(form, err: ValidationFailed) -> None:
    """Put a service's per-field messages on the form (unknown fields become form errors)."""
    for name, messages in err.fields.items():
        field = form._fields.get(name)
        if field is None:
            form.form_errors.extend(messages)
        else:
            field.errors = [*field.errors, *messages]
    if not err.fields:
        form.form_errors.append(err.message)


def render_form_page(page: str, form, /, **context):
    """Render a form page: 422 when a submitted form has errors (the input stays in the form)."""
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template(page, form=form, **context), status
