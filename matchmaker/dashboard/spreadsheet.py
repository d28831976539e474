"""Tables as CSV (UTF-8 with BOM, so that Excel opens Chinese text correctly) or XLSX.

A `Table` is a header and rows of plain values; both writers receive the same table, so
the two formats always hold the same rows. Neither runs user text as a formula: the CSV writer
puts a `'` before text that starts like one (see `csvfile`), the XLSX writer types every text
cell as a string (openpyxl would otherwise store text starting with "=" as a formula); numbers
stay numbers in both.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .. import csvfile
from ..csvfile import CSV_MIMETYPE

__all__ = ["CSV_MIMETYPE", "XLSX_MIMETYPE", "Table", "iter_csv", "iter_xlsx", "to_csv", "to_xlsx"]
CSV_CHUNK_ROWS = 500  # rows per chunk of a streamed CSV
FILE_CHUNK = 64 * 1024  # bytes per chunk of a streamed XLSX
SPOOL_BYTES = 4 * 1024 * 1024  # an XLSX larger than this is spooled to a temporary file
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STRING = "s"  # openpyxl's data type of a text cell ("f" would be a formula)


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


def _cells(sheet, values: Sequence[Any]) -> list:
    """One write-only row; text always as a string cell (a text starting with "=" would
    otherwise become a formula), control characters XML cannot hold dropped."""
    out = []
    for value in values:
        if isinstance(value, str):
            target = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            target.data_type = STRING
            out.append(target)
        else:
            out.append(value)
    return out


def write_xlsx(target, *tables: Table) -> None:
    """One sheet per table (sheet names are the tables' titles), in openpyxl's write-only
    mode: rows go to disk as they come, so memory does not grow with the table."""
    book = Workbook(write_only=True)
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        sheet.freeze_panes = "A2"
        sheet.append(_cells(sheet, list(table.header)))
        for row in table.rows:
            sheet.append(_cells(sheet, row))
    book.save(target)


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
