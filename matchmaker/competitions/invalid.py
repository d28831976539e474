"""A validation error on one field whose message is also the error's message (for flashes)."""

from __future__ import annotations

from ..errors import ValidationFailed


def invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})
