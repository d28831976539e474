"""Tables as CSV (UTF-8 with BOM, so that Excel opens Chinese text correctly) or XLSX.

A `Table` is a header and rows of plain values; both writers receive the same table, so
the two formats always hold the same rows. Neither runs user text as a formula: the CSV writer
puts a `'` before text that starts like one (see `csvfile`), the XLSX writer (XlsxWriter)
writes every text cell as a string and guesses no formula, number or link from text; numbers stay
numbers in both. XLSX files are read (survey imports) with openpyxl.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # what XML 1.0 cannot hold
from xlsxwriter import Workbook

from .. import csvfile
from ..csvfile import CSV_MIMETYPE

__all__ = ["CSV_MIMETYPE", "XLSX_MIMETYPE", "Table", "iter_csv", "iter_xlsx", "to_csv", "to_xlsx"]
CSV_CHUNK_ROWS = 500  # rows per chunk of a streamed CSV
FILE_CHUNK = 64 * 1024  # bytes per chunk of a streamed XLSX
SPOOL_BYTES = 4 * 1024 * 1024  # an XLSX larger than this is spooled to a temporary file
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Text stays text: no formula, number or link is guessed from a string.
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


@dataclass(frozen=True)
class Table:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]  # may be a generator over a database cursor: read once


def to_csv(table: Table) -> bytes:
    return b"".join(iter_csv(table))


def iter_csv(table: Table, chunk_rows: int = CSV_CHUNK_ROWS) -> Iterator[bytes]:
    """The CSV of `csvfile.to_csv` in chunks: the BOM and header first (at once), then every
    `chunk_rows` rows as they come from `table.rows`; memory stays one chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(csvfile.BOM)
    writer.writerow([csvfile.cell(v) for v in table.header])
    yield buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for number, row in enumerate(table.rows, start=1):
        writer.writerow([csvfile.cell(v) for v in row])
        if number % chunk_rows == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def _write_row(sheet, number: int, values: Sequence[Any]) -> None:
    """One row; text always as a string cell (a text starting with "=" would otherwise become
    a formula), control characters XML cannot hold dropped, numbers as numbers, None empty."""
    for column, value in enumerate(values):
        if value is None:
            continue
        if isinstance(value, str):
            sheet.write_string(number, column, ILLEGAL_CHARACTERS_RE.sub("", value))
        elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            sheet.write_number(number, column, value)
        else:
            sheet.write_string(number, column, str(value))


def write_xlsx(target, *tables: Table) -> None:
    """One sheet per table (sheet names are the tables' titles), written by XlsxWriter in its
    constant-memory mode: each row goes to a temporary file as it comes, so memory does not
    grow with the table (and it writes 3,000 rows in about half openpyxl's time)."""
    book = Workbook(target, WORKBOOK_OPTIONS)
    for table in tables:
        sheet = book.add_worksheet(table.title[:31])
        sheet.freeze_panes(1, 0)
        _write_row(sheet, 0, [str(label) for label in table.header])
        for number, row in enumerate(table.rows, start=1):
            _write_row(sheet, number, row)
    book.close()


def to_xlsx(*tables: Table) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, *tables)
    return buffer.getvalue()


def iter_xlsx(*tables: Table) -> Iterator[bytes]:
    """The workbook in chunks. An XLSX is a zip whose directory comes last, so it is written
    first (write-only, spooled to a temporary file past `SPOOL_BYTES`) and then streamed."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        write_xlsx(spool, *tables)
        spool.seek(0)
        while chunk := spool.read(FILE_CHUNK):
            yield chunk
