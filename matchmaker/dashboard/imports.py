"""Use cases of the survey import: preview a stored file, commit it (all or nothing)."""

from __future__ import annotations

import hashlib

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..accounts.models import Organisation
from ..accounts.services import find_org_by_credit_code
from ..auth import require_organiser
from ..errors import ValidationFailed
from ..extensions import db
from ..needs import states as need_states
from ..needs.models import Need, NeedKpi
from ..needs.services import content_errors
from .classifier import Suggester
from .importer import Preview, SurveyRow, UnreadableFile, check_row, read_rows
from .models import ImportedNeed

# needs.services field → survey column, for errors found by the needs' own rules
FIELD_COLUMNS = {"title": "场景", "goal": "场景", "pain_point": "痛点", "kpis": "指标"}
FIELD_COLUMNS |= {"budget_min": "预算（万元）", "budget_max": "预算（万元）", "town": "镇街"}


def preview(actor, content: bytes, choices: dict[int, int] | None = None) -> Preview:
    """Check every row of the file; `choices` maps row numbers to chosen template ids."""
    require_organiser(actor)
    choices = choices or {}
    result = Preview(hashlib.sha256(content).hexdigest(), [])
    try:
        rows = read_rows(content)
    except UnreadableFile:
        result.errors.append(_("无法读取该文件，请上传用模板填写的 XLSX 文件。"))
        return result
    if isinstance(rows, str):
        result.errors.append(rows)
        return result
    if not rows:
        result.errors.append(_("文件中没有数据行。"))
    suggester = Suggester()
    result.rows = [
        check_row(number, cells, choices.get(number), suggester) for number, cells in rows
    ]
    _check_across_rows(result.rows)
    return result


def _check_across_rows(rows: list[SurveyRow]) -> None:
    keys = {row.key: row.number for row in rows if row.cells["统一社会信用代码"]}
    imported = set(db.session.scalars(select(ImportedNeed.key).where(ImportedNeed.key.in_(keys))))
    first: dict[str, int] = {}
    for row in rows:
        row.already_imported = row.key in imported
        if row.key in first:
            row.fail("痛点", _("与第 %(n)s 行重复。", n=first[row.key]))
        first.setdefault(row.key, row.number)
        org = find_org_by_credit_code(row.credit_code) if row.credit_code else None
        if org is not None and org.kind != "factory":
            row.fail(
                "统一社会信用代码", _("该信用代码已属于非需求方机构“%(name)s”。", name=org.name)
            )
        if not row.errors and not row.already_imported:
            _check_need_rules(row)


def need_fields(row: SurveyRow) -> dict:
    template = row.template
    low, high = row.budget
    return {
        "title": row.cells["场景"],
        "industry_id": row.industry.id,
        "category_id": template.category_id,
        "template_id": template.id,
        "other_description": "",
        "goal": row.cells["场景"],
        "pain_point": row.cells["痛点"],
        "data_description": row.cells["数据条件"],
        "data_labelled": "no",
        "budget_min": low,
        "budget_max": high,
        "town": row.cells["镇街"],
        "confidentiality": "public",
    }


def _check_need_rules(row: SurveyRow) -> None:
    """The needs package's own content rules, reported in the survey's columns."""
    errors = content_errors(need_fields(row), [k.as_row() for k in row.kpis])
    for name, messages in errors.items():
        for message in messages:
            row.fail(FIELD_COLUMNS.get(name, "场景"), message)


def commit_import(actor, content: bytes, choices: dict[int, int] | None = None) -> list[Need]:
    """Create the factories and draft needs of a valid file in one transaction; refused
    while a row has an error or still needs the organiser's template choice (需人工确认)."""
    result = preview(actor, content, choices)
    if not result.valid:
        raise ValidationFailed(_("导入文件有错误，未写入任何数据。请修改后重新上传。"))
    if result.unresolved:
        numbers = "、".join(str(row.number) for row in result.unresolved)
        raise ValidationFailed(
            _(
                "第 %(rows)s 行需人工确认场景模板：请在预览中为其选择模板后再导入。"
                "未写入任何数据。",
                rows=numbers,
            )
        )
    factories: dict[str, Organisation] = {}
    needs = []
    try:
        for row in result.new_rows:
            org = factories.get(row.credit_code) or _factory(actor, row)
            factories[row.credit_code] = org
            needs.append(_draft(actor, org, row, result.file_sha256))
        db.session.commit()
    except IntegrityError as exc:  # a concurrent import of the same rows
        db.session.rollback()
        raise ValidationFailed(_("导入时数据已被修改，未写入任何数据。请重新预览。")) from exc
    return needs


def _factory(actor, row: SurveyRow) -> Organisation:
    org = find_org_by_credit_code(row.credit_code)
    if org is not None:
        return org
    org = Organisation(
        kind="factory",
        name=row.cells["企业名称"],
        credit_code=row.credit_code,
        contact_name=row.cells["联系人"],
        contact_phone=row.cells["联系电话"],
        town=row.cells["镇街"],
        status="approved",
        reviewed_by_id=actor.id,
        reviewed_at=clock.now(),
    )
    db.session.add(org)
    db.session.flush()
    return org


def _draft(actor, org: Organisation, row: SurveyRow, file_sha256: str) -> Need:
    need = Need(owner_id=org.id, author_id=actor.id, status=need_states.DRAFT, **need_fields(row))
    need.kpis = [NeedKpi(position=n, **kpi.as_row()) for n, kpi in enumerate(row.kpis, start=1)]
    db.session.add(need)
    db.session.flush()
    db.session.add(
        ImportedNeed(
            key=row.key,
            need_id=need.id,
            file_sha256=file_sha256,
            row_number=row.number,
            imported_by_id=actor.id,
        )
    )
    return need
