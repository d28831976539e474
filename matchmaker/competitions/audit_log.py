"""The rounds' audit log as people read it: filtered and paged in SQL (50 a page), each entry a
sentence ("王主任（萧山区经信局）开始揭榜：榜单「…」") with a before → after table whose field
names, statuses and ids are shown as labels, names and titles.

The label registries of the audit (actions, objects, fields) live here; the statuses' own
labels stay in `statuses`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, false, or_, select

from .. import clock
from ..accounts.models import Organisation, User
from ..changes import EMPTY, Entry, changes, person, value_text
from ..extensions import db
from ..needs.models import Need
from ..numbers import day_arg, int_arg
from ..paging import Page, paginate
from . import statuses as st
from .expert_forms import AVAILABILITY_LABELS
from .models import (
    Application,
    AuditEntry,
    Award,
    ExpertAssignment,
    ExpertProfile,
    ExpertRelation,
    Listing,
    ListingQuestion,
    MidtermReview,
    Milestone,
    Objection,
    Round,
    ScoreSheet,
)
from .models.rounds import DEFAULT_RUBRIC

PER_PAGE = 50

ACTION_LABELS = {
    "open_round": _l("开设揭榜批次"),
    "add_listing": _l("发布榜单"),
    "edit_kpis": _l("修改考核指标"),
    **st.ACTION_LABELS,
    "start_application": _l("开始填写揭榜申请"),
    "submit_application": _l("提交揭榜申请"),
    "withdraw_application": _l("撤回揭榜申请"),
    "consortium_confirmed": _l("确认加入联合体"),
    "consortium_declined": _l("拒绝加入联合体"),
    "eligibility": _l("完成资格审查"),
    "assign_expert": _l("指派评审专家"),
    "invite_expert": _l("邀请评审专家"),
    "update_expert": _l("修改专家信息"),
    "recuse": _l("申请回避"),
    "declare_relation": _l("申报利益关系"),
    "record_relation": _l("登记专家关联关系"),
    "remove_relation": _l("移除专家关联关系"),
    "submit_scores": _l("提交评分"),
    "file_objection": _l("提出异议"),
    "resolve_objection": _l("处理异议"),
    "deliver_milestone": _l("提交里程碑成果"),
    "confirm_milestone": _l("确认里程碑"),
    "return_milestone": _l("退回里程碑成果"),
    "midterm_review": _l("记录中期评估"),
    "acceptance": _l("作出验收结论"),
    "acceptance_override": _l("调整验收结论"),
    "grant_rectification": _l("给予整改期"),
    "disable_account": _l("停用账户"),
    "enable_account": _l("重新启用账户"),
    "report_rectification": _l("提交整改情况"),
    "reacceptance": _l("作出复验结论"),
    "reacceptance_override": _l("调整复验结论"),
    "voucher_payment": _l("登记场景券兑付"),
    "voucher_reversal": _l("冲销场景券兑付"),
    "need.merge": _l("合并相似需求"),
    "need.hand_over": _l("通知企业完善草稿"),
    "need_message.send": _l("发送需求消息"),
    "need_message.report": _l("举报需求消息"),
    "need_message.handle_report": _l("处理消息举报"),
    "ask_question": _l("提出答疑问题"),
    "answer_question": _l("回答答疑问题"),
    "qa_settings": _l("设置答疑权限"),
    "notice.create": _l("新建通知公告"),
    "notice.edit": _l("修改通知公告"),
    "notice.withdraw": _l("撤回通知公告"),
    "notice.remove_file": _l("删除公告附件"),
}

OBJECT_LABELS = {
    "users": _l("账户"),
    "rounds": _l("揭榜批次"),
    "listings": _l("榜单"),
    "applications": _l("揭榜申请"),
    "expert_assignments": _l("评审指派"),
    "expert_profiles": _l("评审专家"),
    "expert_relations": _l("利益关系申报"),
    "score_sheets": _l("评分表"),
    "objections": _l("异议"),
    "awards": _l("挂帅记录"),
    "milestones": _l("里程碑"),
    "midterm_reviews": _l("中期评估"),
    "needs": _l("需求"),
    "need_messages": _l("需求消息"),
    "need_message_reports": _l("消息举报"),
    "listing_questions": _l("答疑问题"),
    "notices": _l("通知公告"),
}

FIELD_LABELS = {
    "active": _l("账户启用"),
    "name": _l("名称"),
    "stage": _l("阶段"),
    "status": _l("状态"),
    "listing_id": _l("榜单"),
    "expert_id": _l("评审专家"),
    "organisation_id": _l("机构"),
    "application_id": _l("揭榜申请"),
    "scores": _l("评分"),
    "reason": _l("原因"),
    "note": _l("说明"),
    "contract_value": _l("合同金额（万元）"),
    "voucher": _l("场景券金额（万元）"),
    "kpis": _l("考核指标"),
    "progress": _l("完成进度"),
    "conclusion": _l("评估结论"),
    "result": _l("验收结果"),
    "confirmed": _l("已确认"),
    "merged": _l("并入的需求"),
    "notified": _l("已通知的成员"),
    "winners": _l("拟挂帅揭榜方"),
    "awards": _l("挂帅揭榜方"),
    "days": _l("整改期限（天）"),
    "due_on": _l("整改截止日期"),
    "findings": _l("整改问题"),
    "amount": _l("兑付金额（万元）"),
    "paid_on": _l("兑付日期"),
    "reference": _l("凭证号"),
    "need_id": _l("需求"),
    "files": _l("附件数"),
    "message_id": _l("消息"),
    "private": _l("仅提问方可见"),
    "factory_answers": _l("允许发榜企业回答"),
    "title": _l("标题"),
    "round_id": _l("揭榜批次"),
    "publish_at": _l("发布时间"),
    "file": _l("附件"),
    "email": _l("邮箱"),
    "availability": _l("可参与评审情况"),
}

ASSIGNMENT_LABELS = {st.ASSIGNED: _l("已指派"), st.RECUSED: _l("已回避")}
RESULT_LABELS = {st.PASSED: _l("通过"), st.FAILED: _l("未通过")}
STATUS_LABELS = {  # an entry's "status" by the kind of object it is about
    "applications": st.APPLICATION_LABELS,
    "objections": st.OBJECTION_LABELS,
    "expert_assignments": ASSIGNMENT_LABELS,
}


@dataclass(frozen=True)
class Filters:
    round_id: int | None = None
    listing_id: int | None = None
    actor_id: int | None = None  # 0 = the system
    action: str = ""
    since: date | None = None  # local days, both ends included
    until: date | None = None

    @classmethod
    def from_args(cls, args) -> Filters:
        """From a query string; a value that does not parse means "any"."""
        actor = args.get("actor", "")
        return cls(
            round_id=int_arg(args, "round"),
            listing_id=int_arg(args, "listing"),
            actor_id=0 if actor == "0" else int_arg(args, "actor"),
            action=args.get("action", "")[:40],
            since=day_arg(args, "since"),
            until=day_arg(args, "until"),
        )

    def as_args(self) -> dict[str, str]:
        values = {
            "round": self.round_id,
            "listing": self.listing_id,
            "actor": self.actor_id,
            "action": self.action,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


def _within(listings, round_id: int | None = None):
    """The entries about these listings or anything inside them (applications, experts, …),
    and about the round itself when one is named."""
    applications = select(Application.id).where(Application.listing_id.in_(listings))
    awards = select(Award.id).where(Award.listing_id.in_(listings))
    parts = {
        "rounds": select(Round.id).where(Round.id == round_id),
        "listings": listings,
        "applications": applications,
        "expert_assignments": select(ExpertAssignment.id).where(
            ExpertAssignment.listing_id.in_(listings)
        ),
        "score_sheets": select(ScoreSheet.id).where(ScoreSheet.application_id.in_(applications)),
        "objections": select(Objection.id).where(Objection.listing_id.in_(listings)),
        "awards": awards,
        "milestones": select(Milestone.id).where(Milestone.application_id.in_(applications)),
        "midterm_reviews": select(MidtermReview.id).where(MidtermReview.award_id.in_(awards)),
    }
    return or_(
        *(
            and_(AuditEntry.object_type == kind, AuditEntry.object_id.in_(ids))
            for kind, ids in parts.items()
        )
    )


def query(filters: Filters):
    statement = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if filters.round_id:
        listings = select(Listing.id).where(Listing.round_id == filters.round_id)
        statement = statement.where(_within(listings, filters.round_id))
    if filters.listing_id:
        listings = select(Listing.id).where(Listing.id == filters.listing_id)
        statement = statement.where(_within(listings))
    if filters.actor_id == 0:
        statement = statement.where(AuditEntry.actor_id.is_(None))
    elif filters.actor_id:
        statement = statement.where(AuditEntry.actor_id == filters.actor_id)
    if filters.action:
        known = filters.action in ACTION_LABELS
        statement = statement.where(AuditEntry.action == filters.action if known else false())
    if filters.since:
        statement = statement.where(AuditEntry.at >= clock.local_midnight(filters.since))
    if filters.until:
        end = clock.local_midnight(filters.until + timedelta(days=1))
        statement = statement.where(AuditEntry.at < end)
    return statement


def page(filters: Filters, number: int = 1, per_page: int = PER_PAGE) -> Page:
    """One page of entries, newest first, each described for people."""
    found = paginate(query(filters), number, per_page)
    return Page(
        items=[describe(entry) for entry in found.items],
        page=found.page,
        pages=found.pages,
        total=found.total,
        per_page=per_page,
    )


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The options of the filter form: rounds, the people who appear in the log, actions."""
    rounds = db.session.scalars(select(Round).order_by(Round.opens_at.desc())).all()
    actor_ids = select(AuditEntry.actor_id).where(AuditEntry.actor_id.is_not(None)).distinct()
    actors = db.session.scalars(select(User).where(User.id.in_(actor_ids)).order_by(User.name))
    return {
        "rounds": [(str(r.id), r.name) for r in rounds],
        "actors": [("0", str(_l("系统")))] + [(str(u.id), person(u)) for u in actors],
        "actions": [(code, str(label)) for code, label in ACTION_LABELS.items()],
    }


# ---- one entry in words ---------------------------------------------------------------------


def _get(model, ident) -> Any:
    return db.session.get(model, ident) if isinstance(ident, int) else None


def _title(listing: Listing | None) -> str:
    return listing.title if listing is not None else EMPTY


def _org(organisation: Organisation | None) -> str:
    return organisation.name if organisation is not None else EMPTY


def _application_text(application: Application | None) -> str:
    if application is None:
        return EMPTY
    return _(
        "%(org)s 对榜单「%(title)s」的揭榜申请",
        org=_org(application.organisation),
        title=_title(application.listing),
    )


def _award_text(award: Award | None) -> str:
    if award is None:
        return EMPTY
    return _(
        "%(org)s 挂帅榜单「%(title)s」",
        org=_org(award.application.organisation),
        title=_title(award.listing),
    )


def _assignment_text(item: ExpertAssignment) -> str:
    return _(
        "专家 %(expert)s 评审榜单「%(title)s」", expert=item.expert.name, title=_title(item.listing)
    )


OBJECT_TEXT: dict[str, tuple[Any, Callable[[Any], str]]] = {
    "users": (User, lambda user: _("账户 %(email)s", email=user.email)),
    "rounds": (Round, lambda r: _("批次「%(name)s」", name=r.name)),
    "listings": (Listing, lambda item: _("榜单「%(title)s」", title=item.title)),
    "applications": (Application, _application_text),
    "expert_assignments": (ExpertAssignment, _assignment_text),
    "expert_profiles": (ExpertProfile, lambda item: _("专家 %(expert)s", expert=person(item.user))),
    "expert_relations": (
        ExpertRelation,
        lambda item: _("与 %(org)s 的利益关系", org=_org(item.organisation)),
    ),
    "score_sheets": (ScoreSheet, lambda item: _application_text(item.application)),
    "objections": (
        Objection,
        lambda item: _("榜单「%(title)s」的异议", title=_title(_get(Listing, item.listing_id))),
    ),
    "awards": (Award, _award_text),
    "milestones": (
        Milestone,
        lambda item: _(
            "里程碑「%(title)s」（%(org)s）",
            title=item.title,
            org=_org(item.application.organisation),
        ),
    ),
    "midterm_reviews": (MidtermReview, lambda item: _award_text(_get(Award, item.award_id))),
    "needs": (Need, lambda item: _("需求「%(title)s」", title=item.title)),
    "listing_questions": (
        ListingQuestion,
        lambda item: _("榜单「%(title)s」的答疑", title=_title(item.listing)),
    ),
}


def object_text(entry: AuditEntry) -> str:
    model, text = OBJECT_TEXT.get(entry.object_type, (None, None))
    item = db.session.get(model, entry.object_id) if model is not None else None
    if item is None or text is None:
        kind = OBJECT_LABELS.get(entry.object_type, entry.object_type)
        return _("%(kind)s（已删除）", kind=kind)
    return text(item)


def _scores(scores: dict) -> str:
    labels = {c["code"]: c["label"] for c in DEFAULT_RUBRIC}
    return _("；").join(f"{labels.get(code, code)} {value_text(v)}" for code, v in scores.items())


def _names(model, ids, text: Callable[[Any], str]) -> str:
    items = [_get(model, i) for i in ids or []]
    return _("、").join(text(item) for item in items if item is not None) or EMPTY


def _value_of(object_type: str) -> Callable[[str, Any], str]:
    statuses = STATUS_LABELS.get(object_type, {})

    def value_of(key: str, value: Any) -> str:
        labels = {
            "stage": st.STAGE_LABELS,
            "status": statuses,
            "conclusion": st.MIDTERM_LABELS,
            "result": RESULT_LABELS,
            "availability": AVAILABILITY_LABELS,
        }.get(key)
        if labels is not None and value in labels:
            return str(labels[value])
        single = {
            "expert_id": lambda v: person(_get(User, v)),
            "listing_id": lambda v: _title(_get(Listing, v)),
            "round_id": lambda v: _get(Round, v).name if _get(Round, v) else EMPTY,
            "organisation_id": lambda v: _org(_get(Organisation, v)),
            "application_id": lambda v: _application_text(_get(Application, v)),
            "progress": lambda v: f"{value_text(v)}%",
            "scores": lambda v: _scores(v) if isinstance(v, dict) else value_text(v),
            "winners": lambda v: _names(Application, v, lambda a: _org(a.organisation)),
            "awards": lambda v: _names(Award, v, lambda a: _org(a.application.organisation)),
            "merged": lambda v: _names(Need, v, lambda n: n.title),
            "notified": lambda v: _names(User, v, lambda u: u.name),
        }.get(key)
        return single(value) if single is not None else value_text(value)

    return value_of


def describe(entry: AuditEntry) -> Entry:
    action = str(ACTION_LABELS.get(entry.action, entry.action))
    actor = person(entry.actor)
    return Entry(
        id=entry.id,
        at=clock.local_minute(entry.at),
        actor=actor,
        action=action,
        sentence=_(
            "%(actor)s%(action)s：%(object)s", actor=actor, action=action, object=object_text(entry)
        ),
        changes=changes(entry.before, entry.after, FIELD_LABELS.get, _value_of(entry.object_type)),
    )
