"""CSV for Excel: UTF-8 with a byte-order mark, so that Chinese text opens correctly.

The one CSV writer of the app (console exports and the rounds audit log both use it).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

BOM = "\ufeff"
CSV_MIMETYPE = "text/csv; charset=utf-8"


def cell(value: Any) -> Any:
    return "" if value is None else value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """The header then the rows (None as an empty cell), UTF-8 with BOM."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8")
