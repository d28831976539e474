"""Helpers shared by every package's form views."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import render_template
from wtforms import SelectChoice

from .errors import ValidationFailed


def choices(pairs: Mapping[Any, Any] | Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """A field's options from a {value: label} mapping or (value, label) pairs (WTForms 3.3
    deprecates tuples as choices; every form builds its options here or with SelectChoice)."""
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    return [SelectChoice(value, label) for value, label in items]


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
