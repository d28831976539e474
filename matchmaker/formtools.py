"""Helpers shared by every package's form views."""

from __future__ import annotations

from flask import render_template

from .errors import ValidationFailed


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
