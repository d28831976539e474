"""Tables as CSV (UTF-8 with BOM, so that Excel opens Chinese text correctly) or XLSX.

A `Table` is a header and rows of plain values; both writers receive the same table, so
the two formats always hold the same rows. Neither runs user text as a formula: the CSV writer
puts a `'` before text that starts like one (see `csvfile`), the XLSX writer types every text
cell as a string (openpyxl would otherwise store text starting with "=" as a formula); numbers
stay numbers in both.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from .. import csvfile
from ..csvfile import CSV_MIMETYPE

__all__ = ["CSV_MIMETYPE", "XLSX_MIMETYPE", "Table", "to_csv", "to_xlsx"]
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STRING = "s"  # openpyxl's data type of a text cell ("f" would be a formula)


@dataclass(frozen=True)
class Table:
    title: str
    header: Sequence[str]
    rows: list[Sequence[Any]]


def to_csv(table: Table) -> bytes:
    return csvfile.to_csv(table.header, table.rows)


def _write_row(sheet: Worksheet, number: int, values: Sequence[Any]) -> None:
    """One row; text always as a string cell (control characters XML cannot hold dropped)."""
    for column, value in enumerate(values, start=1):
        if value is None:
            continue
        target = sheet.cell(row=number, column=column)
        if isinstance(value, str):
            target.value = ILLEGAL_CHARACTERS_RE.sub("", value)
            target.data_type = STRING
        else:
            target.value = value


def to_xlsx(*tables: Table) -> bytes:
    """One sheet per table (sheet names are the tables' titles)."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        _write_row(sheet, 1, list(table.header))
        for number, row in enumerate(table.rows, start=2):
            _write_row(sheet, number, row)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
