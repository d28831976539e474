"""Import the needs survey: read the stored XLSX, validate every row, preview, commit.

`preview(content, choices)` reads and checks the file (nothing is written); `commit_import`
checks it again and, only if every row is valid and none still waits for the organiser's
template choice (需人工确认, `SurveyRow.needs_choice`), creates the factories (approved; or
reuses the organisation with the same credit code) and draft needs in one transaction. A row
whose key (credit code, scenario text, pain point) was imported before is skipped, so
importing the same file twice creates nothing the second time.

A row's template is always one of its industry's (an exact title/code, the organiser's
choice, or the classifier's best guess, see `classifier`). The sheet is streamed
(openpyxl read-only) within `survey.MAX_SHEET_ROWS` × `MAX_SHEET_COLUMNS`; a file whose
declared dimension or unpacked size exceeds the bounds is refused before any row is read.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field

from flask_babel import gettext as _
from openpyxl import load_workbook
from sqlalchemy import or_, select

from ..accounts.credit_code import normalise_credit_code, validate_credit_code
from ..extensions import db
from ..scenarios.models import Industry, ScenarioTemplate
from . import classifier, survey
from .survey import COLUMNS, REQUIRED

EXCEL_ROWS = 1_048_576


class UnreadableFile(Exception):
    pass


class TooLargeUnpacked(UnreadableFile):
    pass


@dataclass
class SurveyRow:
    number: int  # the spreadsheet row (the header is row 1)
    cells: dict[str, str]
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    industry: Industry | None = None
    template: ScenarioTemplate | None = None
    suggested: list[tuple[ScenarioTemplate, float]] = field(default_factory=list)
    confidence: float | None = None  # None: exact title/code match or the organiser's choice
    options: list[ScenarioTemplate] = field(default_factory=list)  # the industry's templates
    chosen: bool = False  # the template is the organiser's choice
    kpis: list[survey.Kpi] = field(default_factory=list)
    budget: tuple[int | None, int | None] = (None, None)
    already_imported: bool = False

    @property
    def credit_code(self) -> str:
        return normalise_credit_code(self.cells["统一社会信用代码"])

    @property
    def key(self) -> str:
        text = "\n".join((self.credit_code, self.cells["场景"], self.cells["痛点"]))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def fail(self, column: str, message: str) -> None:
        self.errors.append((column, message))

    @property
    def needs_choice(self) -> bool:
        """需人工确认: the classifier's best template is too uncertain to import unchosen."""
        return not self.errors and classifier.is_low(self.confidence)


@dataclass
class Preview:
    file_sha256: str
    rows: list[SurveyRow]
    errors: list[str] = field(default_factory=list)  # problems of the whole file

    @property
    def valid(self) -> bool:
        return not self.errors and not any(row.errors for row in self.rows)

    @property
    def new_rows(self) -> list[SurveyRow]:
        return [row for row in self.rows if not row.already_imported]

    @property
    def unresolved(self) -> list[SurveyRow]:
        """New rows waiting for the organiser's template choice (not importable yet)."""
        return [row for row in self.new_rows if row.needs_choice]

    @property
    def ready(self) -> bool:
        return self.valid and not self.unresolved


def _open(content: bytes):
    """The workbook in read-only (streaming) mode; `UnreadableFile` if it is not one."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sizes = [info.file_size for info in archive.infolist()]
        if sum(sizes) > survey.MAX_UNPACKED_BYTES or max(sizes, default=0) > survey.MAX_PART_BYTES:
            raise TooLargeUnpacked(sum(sizes))
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(str(exc)) from exc
    if not book.worksheets:
        book.close()
        raise UnreadableFile("no sheet")
    return book


def _too_big(rows: int | None, columns: int | None) -> str | None:
    if (rows or 0) <= survey.MAX_SHEET_ROWS and (columns or 0) <= survey.MAX_SHEET_COLUMNS:
        return None
    return _(
        "表格范围过大（%(rows)s 行 × %(cols)s 列）：最多 %(max_rows)s 行、%(max_cols)s 列。"
        "请删除多余的空行和空列，或把数据复制到下载的模板中后重新上传。",
        rows=rows or "?",
        cols=columns or "?",
        max_rows=survey.MAX_SHEET_ROWS,
        max_cols=survey.MAX_SHEET_COLUMNS,
    )


def sheet_problem(content: bytes) -> str | None:
    """Why the file cannot be imported at all (unreadable, declared sheet too big), or None.

    Reads only the first sheet's declared dimension, never its rows."""
    try:
        book = _open(content)
    except TooLargeUnpacked:
        return _(
            "文件解压后过大（上限 %(mb)s MB），请只保留需求调查表后重新上传。",
            mb=survey.MAX_UNPACKED_BYTES // (1024 * 1024),
        )
    except UnreadableFile:
        return _("无法读取该文件，请上传用模板填写的 XLSX 文件。")
    try:
        sheet = book.worksheets[0]
        return _too_big(sheet.max_row, sheet.max_column)
    finally:
        book.close()


def read_rows(content: bytes) -> list[tuple[int, dict[str, str]]] | str:
    """The non-empty data rows as (row number, {column: text}), or a message when the first
    sheet is not the survey or is too big. Streams the sheet within the survey's bounds."""
    book = _open(content)
    try:
        sheet = book.worksheets[0]
        problem = _too_big(sheet.max_row, sheet.max_column)
        # Excel's last row as the bound: the reader yields a row past MAX_SHEET_ROWS only if
        # the sheet holds one (even when its dimension says less), and stops right there.
        values = sheet.iter_rows(
            max_row=EXCEL_ROWS, max_col=survey.MAX_SHEET_COLUMNS, values_only=True
        )
        return problem or _data_rows(values)
    finally:
        book.close()


def _data_rows(values) -> list[tuple[int, dict[str, str]]] | str:
    header = [survey.cell_text(v) for v in next(values, ())]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return _("表头缺少以下列：%(cols)s。请使用下载的模板。", cols="、".join(missing))
    positions = {c: header.index(c) for c in COLUMNS}
    rows = []
    for number, raw in enumerate(values, start=2):
        if number > survey.MAX_SHEET_ROWS:
            return _too_big(number, len([h for h in header if h]))
        cells = {c: survey.cell_text(_at(raw, i)) for c, i in positions.items()}
        if not any(cells.values()):
            continue
        rows.append((number, cells))
        if len(rows) > survey.MAX_ROWS:
            return _("一次最多导入 %(n)s 行。", n=survey.MAX_ROWS)
    return rows


def _at(raw: tuple, index: int):
    return raw[index] if index < len(raw) else None


def _check_cells(row: SurveyRow) -> None:
    for column in REQUIRED:
        if not row.cells[column]:
            row.fail(column, _("此项为必填项。"))
    if row.cells["统一社会信用代码"]:
        problem = validate_credit_code(row.credit_code)
        if problem:
            row.fail("统一社会信用代码", problem)
    if row.cells["指标"]:
        row.kpis, problem = survey.parse_kpis(row.cells["指标"])
        problem = problem or _kpi_problem(row.kpis)
        if problem:
            row.fail("指标", problem)
    row.budget, problem = survey.parse_budget(row.cells["预算（万元）"])
    if problem:
        row.fail("预算（万元）", problem)
    for column, limit in (("企业名称", 200), ("场景", 200), ("镇街", 100), ("联系人", 100)):
        if len(row.cells[column]) > limit:
            row.fail(column, _("不能超过 %(n)s 个字。", n=limit))


def _kpi_problem(kpis: list[survey.Kpi]) -> str | None:
    from ..errors import join_sentences
    from ..needs.validation import kpi_errors

    messages = kpi_errors([k.as_row() for k in kpis]).get("kpis")
    return join_sentences(messages) if messages else None


def _find_industry(name: str) -> Industry | None:
    query = select(Industry).where(
        Industry.active, or_(Industry.name_zh == name, Industry.code == name)
    )
    return db.session.scalar(query)


def _industry_templates(industry: Industry):
    return select(ScenarioTemplate).where(
        ScenarioTemplate.status == "active", ScenarioTemplate.industry_id == industry.id
    )


def _exact_template(industry: Industry, text: str) -> ScenarioTemplate | None:
    query = _industry_templates(industry).where(
        or_(ScenarioTemplate.title_zh == text, ScenarioTemplate.code == text.upper())
    )
    return db.session.scalar(query.order_by(ScenarioTemplate.code))


def _chosen(row: SurveyRow, choice: int) -> None:
    template = db.session.scalar(
        _industry_templates(row.industry).where(ScenarioTemplate.id == choice)
    )
    if template is None:
        row.fail("场景", _("所选场景模板不属于该行业，或不存在、已停用。"))
    row.template, row.chosen = template, template is not None


def _match(row: SurveyRow, choice: int | None, suggester: classifier.Suggester) -> None:
    """The row's template, always one of its industry's: the organiser's choice, an exact
    title/code, or the classifier's best guess (`needs_choice` when it is uncertain)."""
    text = row.cells["场景"]
    if not text or row.industry is None:
        return
    row.options = suggester.templates_of(row.industry.id)
    exact = _exact_template(row.industry, text)
    if exact is None:
        row.suggested = suggester.suggest(text, row.industry.id)
    if choice is not None:
        _chosen(row, choice)
    elif exact is not None:
        row.template = exact
    elif row.suggested:
        row.template, row.confidence = row.suggested[0]
    else:
        row.fail("场景", _("该行业没有可用的场景模板，无法导入此行。"))


def check_row(
    number: int,
    cells: dict[str, str],
    choice: int | None = None,
    suggester: classifier.Suggester | None = None,
) -> SurveyRow:
    row = SurveyRow(number, cells)
    _check_cells(row)
    if cells["行业"]:
        row.industry = _find_industry(cells["行业"])
        if row.industry is None:
            row.fail("行业", _("未知行业“%(name)s”。", name=cells["行业"]))
    _match(row, choice, suggester or classifier.Suggester())
    return row
