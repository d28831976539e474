"""Issue 15, item 8: a survey file declaring a huge sheet (A1:XFD10000: a few KB that took a
worker to 2.2 GB) is refused from its declared dimension, before any row is read, and rows
are only ever read within the survey's bounds."""

import io
import tracemalloc

import pytest
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from matchmaker.dashboard import importer, imports, survey
from tests.factories import ensure_taxonomy, login, make_user

from .survey_files import declaring, far_cell, survey_row, workbook

HUGE = "A1:XFD10000"


@pytest.fixture
def organiser(app_ctx):
    ensure_taxonomy()
    return make_user(role="organiser")


@pytest.fixture
def widths(monkeypatch):
    """The widths of the rows the read-only reader builds; fails beyond the column limit."""
    seen = []
    original = ReadOnlyWorksheet._get_row

    def spy(self, row, min_col=1, max_col=None, values_only=False):
        width = (max_col or (row[-1]["column"] if row else 0)) + 1 - min_col
        seen.append(width)
        assert width <= survey.MAX_SHEET_COLUMNS, f"a row of {width} cells was built"
        return original(self, row, min_col, max_col, values_only)

    monkeypatch.setattr(ReadOnlyWorksheet, "_get_row", spy)
    return seen


def test_a_huge_declared_sheet_is_refused_without_building_it(organiser, widths):
    content = declaring(workbook(survey_row()), HUGE)
    assert len(content) < 20_000
    tracemalloc.start()
    try:
        result = imports.preview(organiser, content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.rows == [] and len(result.errors) == 1
    assert "表格范围过大（10000 行 × 16384 列）" in result.errors[0]
    assert peak < 10 * 1024 * 1024 and widths == []


def test_a_far_away_cell_is_refused_too(organiser, widths):
    content = far_cell(survey_row(), row=3, column=survey.MAX_SHEET_COLUMNS + 1)
    assert importer.sheet_problem(content).startswith("表格范围过大")
    content = far_cell(survey_row(), row=survey.MAX_SHEET_ROWS + 1, column=1)
    assert "表格范围过大" in imports.preview(organiser, content).errors[0]


def test_rows_are_read_within_bounds_even_if_the_dimension_lies(organiser, widths):
    far = far_cell(survey_row(), row=survey.MAX_SHEET_ROWS + 5, column=3)
    lying = declaring(far, "A1:K2")  # claims a small sheet, holds a row far below
    assert importer.sheet_problem(lying) is None
    result = imports.preview(organiser, lying)
    assert "表格范围过大" in result.errors[0] and result.rows == []
    assert widths and max(widths) == survey.MAX_SHEET_COLUMNS


def test_a_sheet_within_bounds_is_read(organiser, widths):
    content = far_cell(survey_row(), row=survey.MAX_SHEET_ROWS, column=survey.MAX_SHEET_COLUMNS)
    result = imports.preview(organiser, content)
    assert result.errors == [] and [row.number for row in result.rows] == [2]


def test_the_upload_refuses_it_with_422_and_stores_nothing(client, organiser, widths):
    login(client, organiser.email)
    data = {"survey": (io.BytesIO(declaring(workbook(survey_row()), HUGE)), "survey.xlsx")}
    response = client.post("/console/import", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "表格范围过大" in page and "16384 列" in page
    with client.session_transaction() as session:
        assert not session.get("survey_imports")


def test_a_zip_that_unpacks_too_large_is_refused(organiser):
    from .survey_files import with_part

    content = with_part(workbook(survey_row()), "xl/media/filler.bin", survey.MAX_PART_BYTES + 1)
    assert len(content) < 100_000
    assert "文件解压后过大" in importer.sheet_problem(content)
    assert imports.preview(organiser, content).errors  # unreadable, no rows read
