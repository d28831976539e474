"""Import the needs survey: read the stored XLSX, validate every row, preview, commit.

`preview(content, choices)` reads and checks the file (nothing is written); `commit_import`
checks it again and, only if every row is valid, creates the factories (approved; or reuses
the organisation with the same credit code) and draft needs in one transaction. A row whose
key (credit code, scenario text, pain point) was imported before is skipped, so importing the
same file twice creates nothing the second time.
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


class UnreadableFile(Exception):
    pass


@dataclass
class SurveyRow:
    number: int  # the spreadsheet row (the header is row 1)
    cells: dict[str, str]
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    industry: Industry | None = None
    template: ScenarioTemplate | None = None
    suggested: list[tuple[ScenarioTemplate, float]] = field(default_factory=list)
    confidence: float | None = None  # None: exact title/code match
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


def read_rows(content: bytes) -> list[tuple[int, dict[str, str]]] | str:
    """The non-empty data rows as (row number, {column: text}), or a message when the first
    sheet is not the survey."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(str(exc)) from exc
    values = list(book.worksheets[0].iter_rows(values_only=True))
    header = [survey.cell_text(v) for v in (values[0] if values else ())]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return _("表头缺少以下列：%(cols)s。请使用下载的模板。", cols="、".join(missing))
    rows = []
    for number, raw in enumerate(values[1:], start=2):
        cells = {c: survey.cell_text(_at(raw, header.index(c))) for c in COLUMNS}
        if any(cells.values()):
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


def _active_templates():
    return select(ScenarioTemplate).where(ScenarioTemplate.status == "active")


def _exact_template(text: str) -> ScenarioTemplate | None:
    query = _active_templates().where(
        or_(ScenarioTemplate.title_zh == text, ScenarioTemplate.code == text.upper())
    )
    return db.session.scalar(query.order_by(ScenarioTemplate.code))


def _match(row: SurveyRow, choice: int | None) -> None:
    text = row.cells["场景"]
    if not text:
        return
    exact = _exact_template(text)
    if exact is None:
        row.suggested = classifier.suggest(text)
    if choice is not None:
        row.template = db.session.scalar(_active_templates().where(ScenarioTemplate.id == choice))
        if row.template is None:
            row.fail("场景", _("所选场景模板不存在或已停用。"))
    elif exact is not None:
        row.template = exact
    elif row.suggested:
        row.template, row.confidence = row.suggested[0]
    else:
        row.fail("场景", _("无法匹配场景模板，请在预览中选择。"))
    if row.template is not None and row.template is not exact:
        row.confidence = dict((t.id, c) for t, c in row.suggested).get(row.template.id, 0.0)


def check_row(number: int, cells: dict[str, str], choice: int | None = None) -> SurveyRow:
    row = SurveyRow(number, cells)
    _check_cells(row)
    if cells["行业"]:
        row.industry = _find_industry(cells["行业"])
        if row.industry is None:
            row.fail("行业", _("未知行业“%(name)s”。", name=cells["行业"]))
    _match(row, choice)
    return row
