"""Tables as CSV (UTF-8 with BOM, so that Excel opens Chinese text correctly) or XLSX.

A `Table` is a header and rows of plain values; both writers receive the same table, so
the two formats always hold the same rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

BOM = "\ufeff"
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Table:
    title: str
    header: Sequence[str]
    rows: list[Sequence[Any]]


def _cell(value: Any) -> Any:
    return "" if value is None else value


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow(table.header)
    writer.writerows([[_cell(v) for v in row] for row in table.rows])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(*tables: Table) -> bytes:
    """One sheet per table (sheet names are the tables' titles)."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        sheet.append(list(table.header))
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
