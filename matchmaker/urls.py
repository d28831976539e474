"""URL helpers shared by every layer (no feature imports)."""

from __future__ import annotations

from urllib.parse import urlsplit

from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter


def is_safe_redirect(target: str | None) -> bool:
    """Only same-site relative paths are followed after login or a language switch."""
    if not target or "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return (
        not parts.scheme
        and not parts.netloc
        and target.startswith("/")
        and not target.startswith("//")
    )


INT64_MAX = 2**63 - 1


class BoundedIntConverter(IntegerConverter):
    """The app's `int` converter: an id past signed 64 bits is 404 instead of overflowing the
    database driver (SQLite raises OverflowError, PostgreSQL bigint errors). The rule still
    matches and the converter answers NotFound, so a path whose other methods exist (PUT on
    a GET/PUT resource) is 404 too, never 405."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)
        self.low = -INT64_MAX - 1 if signed else 0

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if not self.low <= number <= INT64_MAX:
            raise NotFound()
        return number
