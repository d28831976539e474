"""CSV for Excel: UTF-8 with a byte-order mark, so that Chinese text opens correctly.

The one CSV writer of the app (console exports and the rounds audit log both use it).

Every cell is neutralised against formula injection (OWASP "CSV injection"): text that starts
with = + - @ TAB or CR, which a spreadsheet would run as a formula, gets a leading `'`. Numbers
(int, float, Decimal, and text that is nothing but a number, such as "-3.5") stay as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Response

BOM = "\ufeff"
# The media type without a charset: werkzeug appends "; charset=utf-8" to every text/ type.
CSV_MIMETYPE = "text/csv"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def neutralise(text: str) -> str:
    """`text` as a spreadsheet shows it verbatim: a would-be formula gets a leading `'`."""
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def cell(value: Any) -> Any:
    """A value as one cell: None empty, text neutralised, numbers unchanged."""
    if value is None:
        return ""
    return neutralise(value) if isinstance(value, str) else value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """The header then the rows (None as an empty cell), UTF-8 with BOM."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow([cell(v) for v in header])
    writer.writerows([cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def csv_response(content: bytes, filename: str) -> Response:
    """A CSV download: `Content-Type: text/csv; charset=utf-8` (the charset once)."""
    disposition = f"attachment; filename={filename}"
    return Response(content, mimetype=CSV_MIMETYPE, headers={"Content-Disposition": disposition})
