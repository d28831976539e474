"""Tables as CSV (UTF-8 with BOM, so that Excel opens Chinese text correctly) or XLSX.

A `Table` is a header and rows of plain values; both writers receive the same table, so
the two formats always hold the same rows.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

from .. import csvfile
from ..csvfile import CSV_MIMETYPE, cell

__all__ = ["CSV_MIMETYPE", "XLSX_MIMETYPE", "Table", "to_csv", "to_xlsx"]
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Table:
    title: str
    header: Sequence[str]
    rows: list[Sequence[Any]]


def to_csv(table: Table) -> bytes:
    return csvfile.to_csv(table.header, table.rows)


def to_xlsx(*tables: Table) -> bytes:
    """One sheet per table (sheet names are the tables' titles)."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        sheet.append(list(table.header))
        for row in table.rows:
            sheet.append([cell(v) for v in row])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
