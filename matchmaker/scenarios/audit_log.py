"""The taxonomy's change log as people read it: filtered and paged in SQL (50 a page), each
change a sentence naming the curator and the industry, category or scenario, with a before →
after table of labelled fields. The label registries of the taxonomy's audit live here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import false, select

from .. import clock
from ..changes import EMPTY, Entry, changes, person, value_text
from ..extensions import db
from ..i18n import is_english
from ..numbers import day_arg, int_arg
from ..paging import Page, paginate
from .miit_stages import STAGES
from .models import Industry, ScenarioCategory, ScenarioTemplate, TaxonomyChange

PER_PAGE = 50

ACTION_LABELS = {
    "load": _l("导入场景库"),
    "create": _l("新建"),
    "edit": _l("修改"),
    "retire": _l("停用"),
    "restore": _l("恢复"),
    "merge": _l("合并"),
    "reorder": _l("调整顺序"),
}
ENTITY_LABELS = {
    "industry": _l("重点行业"),
    "category": _l("场景类别"),
    "template": _l("需求场景"),
}
TEMPLATE_STATUS_LABELS = {"active": _l("启用"), "retired": _l("已停用"), "merged": _l("已合并")}
KPI_DIRECTION_LABELS = {"up": _l("越高越好"), "down": _l("越低越好")}
FIELD_LABELS = {
    "code": _l("编号"),
    "industry": _l("行业"),
    "category": _l("类别"),
    "stage": _l("环节"),
    "title_zh": _l("场景名称"),
    "title_en": _l("英文名称"),
    "pain_point_zh": _l("痛点"),
    "data_zh": _l("数据条件"),
    "example_zh": _l("应用示例"),
    "kpis": _l("考核指标"),
    "position": _l("排序位置"),
    "status": _l("状态"),
    "name_zh": _l("中文名称"),
    "name_en": _l("英文名称"),
    "description_zh": _l("中文说明"),
    "description_en": _l("英文说明"),
    "active": _l("启用"),
    "into": _l("合并至"),
    "moved": _l("迁移的引用"),
    "created": _l("新增"),
    "updated": _l("更新"),
}
COUNT_LABELS = {"industries": _l("行业"), "categories": _l("类别"), "scenarios": _l("场景")}


@dataclass(frozen=True)
class Filters:
    entity: str = ""
    actor_id: int | None = None  # 0 = the system (the loader)
    action: str = ""
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_args(cls, args) -> Filters:
        actor = args.get("actor", "")
        return cls(
            entity=args.get("entity", "")[:20],
            actor_id=0 if actor == "0" else int_arg(args, "actor"),
            action=args.get("action", "")[:20],
            since=day_arg(args, "since"),
            until=day_arg(args, "until"),
        )

    def as_args(self) -> dict[str, str]:
        values = {
            "entity": self.entity,
            "actor": self.actor_id,
            "action": self.action,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


def query(filters: Filters):
    statement = select(TaxonomyChange).order_by(TaxonomyChange.at.desc(), TaxonomyChange.id.desc())
    for value, registry, column in (
        (filters.entity, ENTITY_LABELS, TaxonomyChange.entity),
        (filters.action, ACTION_LABELS, TaxonomyChange.action),
    ):
        if value:
            statement = statement.where(column == value if value in registry else false())
    if filters.actor_id == 0:
        statement = statement.where(TaxonomyChange.actor_id.is_(None))
    elif filters.actor_id:
        statement = statement.where(TaxonomyChange.actor_id == filters.actor_id)
    if filters.since:
        statement = statement.where(TaxonomyChange.at >= clock.local_midnight(filters.since))
    if filters.until:
        end = clock.local_midnight(filters.until + timedelta(days=1))
        statement = statement.where(TaxonomyChange.at < end)
    return statement


def page(filters: Filters, number: int = 1, per_page: int = PER_PAGE) -> Page:
    found = paginate(query(filters), number, per_page)
    items = [describe(change) for change in found.items]
    return Page(items, found.page, found.pages, found.total, per_page)


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    ids = db.session.scalars(
        select(TaxonomyChange.actor_id).where(TaxonomyChange.actor_id.is_not(None)).distinct()
    )
    first = (  # one change of each curator carries the user (accounts is not imported here)
        db.session.scalar(select(TaxonomyChange).where(TaxonomyChange.actor_id == i).limit(1))
        for i in list(ids)
    )
    actors = sorted((person(c.actor), str(c.actor_id)) for c in first if c and c.actor)
    return {
        "entities": [(code, str(label)) for code, label in ENTITY_LABELS.items()],
        "actors": [("0", _("系统"))] + [(ident, name) for name, ident in actors],
        "actions": [(code, str(label)) for code, label in ACTION_LABELS.items()],
    }


# ---- one change in words --------------------------------------------------------------------


def _by_code(model, code: Any):
    if not isinstance(code, str):
        return None
    return db.session.scalar(select(model).where(model.code == code))


def _name(model, code: Any) -> str:
    item = _by_code(model, code)
    if item is None:
        return value_text(code)
    if model is ScenarioTemplate:
        return item.title_en if is_english() and item.title_en else item.title_zh
    return item.name_en if is_english() and item.name_en else item.name_zh


def _kpis(rows: Any) -> str:
    if not isinstance(rows, list):
        return value_text(rows)
    parts = []
    for row in rows:
        if not isinstance(row, dict):
            parts.append(value_text(row))
            continue
        direction = KPI_DIRECTION_LABELS.get(row.get("direction"), "")
        unit = row.get("unit") or ""
        details = _("，").join(str(p) for p in (unit, direction) if p)
        name = row.get("name_zh") or EMPTY
        parts.append(_("%(name)s（%(details)s）", name=name, details=details) if details else name)
    return _("；").join(parts) or EMPTY


def _counts(value: Any) -> str:
    if not isinstance(value, dict):
        return value_text(value)
    return _("；").join(f"{COUNT_LABELS.get(k, k)} {value_text(v)}" for k, v in value.items())


def _moved(value: Any) -> str:
    if not isinstance(value, dict):
        return value_text(value)
    return _("%(n)s 处", n=sum(v for v in value.values() if isinstance(v, int)))


VALUES: dict[str, Callable[[Any], str]] = {
    "industry": lambda v: _name(Industry, v),
    "category": lambda v: _name(ScenarioCategory, v),
    "into": lambda v: _name(ScenarioTemplate, v),
    "stage": lambda v: STAGES[v][1 if is_english() else 0] if v in STAGES else value_text(v),
    "status": lambda v: str(TEMPLATE_STATUS_LABELS.get(v, v)),
    "active": lambda v: str(TEMPLATE_STATUS_LABELS["active"] if v else _("已停用")),
    "kpis": _kpis,
    "created": _counts,
    "updated": _counts,
    "moved": _moved,
}


def _value_of(key: str, value: Any) -> str:
    render = VALUES.get(key)
    return render(value) if render is not None else value_text(value)


MODELS = {"industry": Industry, "category": ScenarioCategory, "template": ScenarioTemplate}


def object_text(change: TaxonomyChange) -> str:
    kind = ENTITY_LABELS.get(change.entity, change.entity)
    if change.entity_code == "*":
        return _("全部%(kind)s", kind=kind)
    name = _name(MODELS.get(change.entity, ScenarioTemplate), change.entity_code)
    if name == change.entity_code:
        return _("%(kind)s %(code)s", kind=kind, code=change.entity_code)
    return _("%(kind)s「%(name)s」（%(code)s）", kind=kind, name=name, code=change.entity_code)


def describe(change: TaxonomyChange) -> Entry:
    action = str(ACTION_LABELS.get(change.action, change.action))
    actor = person(change.actor)
    sentence = _(
        "%(actor)s%(action)s：%(object)s", actor=actor, action=action, object=object_text(change)
    )
    return Entry(
        id=change.id,
        at=clock.local_minute(change.at),
        actor=actor,
        action=action,
        sentence=sentence,
        changes=changes(change.before, change.after, FIELD_LABELS.get, _value_of),
        note=change.note or "",
    )
