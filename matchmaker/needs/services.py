"""Use cases of the factory that owns a need: create, edit (versioned once published),
submit, withdraw and close; plus the status change shared with the organiser's review.

Each service takes the acting user, checks permission, and commits one transaction;
notifications are queued with `notify` before the commit (mail goes after it).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from .. import clock
from ..accounts.recovery import publish_refusal
from ..errors import NotAllowed, ValidationFailed
from ..extensions import db
from ..files.models import Attachment
from ..files.services import UploadPolicy, check_upload, save_upload
from ..notifications.services import notify
from ..scenarios.models import Industry, ScenarioCategory, ScenarioTemplate
from ..search.app.sync import sync
from . import states, validation
from .access import actions_for, can_see, role_of
from .audience import change_audience, need_link, owner_members
from .choices import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS
from .models import CONTENT_FIELDS, Need, NeedKpi, NeedReview, NeedVersion
from .search_documents import remember_draft

ATTACHMENT_OWNER = "need"
# A new need with the same title and text from the same member within this window is the
# same form sent twice (a double click, a retry): the first one is returned.
REPEAT_WINDOW = timedelta(minutes=1)
ATTACHMENT_POLICY = UploadPolicy(max_bytes=MAX_ATTACHMENT_BYTES)


def content_errors(fields: dict[str, Any], kpis: list[dict[str, Any]]) -> dict[str, list[str]]:
    errors = validation.text_errors(fields)
    errors |= validation.choice_errors(fields)
    errors |= validation.budget_errors(fields.get("budget_min"), fields.get("budget_max"))
    errors |= validation.delivery_errors(
        fields.get("delivery_months"), fields.get("delivery_date"), clock.local_now().date()
    )
    errors |= validation.kpi_errors(kpis)
    errors |= _taxonomy_errors(fields)
    return errors


def _taxonomy_errors(fields: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    industry = db.session.get(Industry, fields.get("industry_id") or 0)
    category = db.session.get(ScenarioCategory, fields.get("category_id") or 0)
    if industry is None or not industry.active:
        errors["industry_id"] = [_("请选择行业。")]
    if category is None or not category.active:
        errors["category_id"] = [_("请选择场景类别。")]
    if fields.get("template_id") is not None:
        template = db.session.get(ScenarioTemplate, fields["template_id"])
        if template is None or (category is not None and template.category_id != category.id):
            errors["template_id"] = [_("所选场景模板不属于该场景类别。")]
    return errors


def _require_owner(actor, need: Need | None = None) -> None:
    if need is None:
        if not (actor.is_factory_member and actor.organisation_id and actor.active):
            raise NotAllowed(_("只有需求方（工厂）成员可以发布需求。"))
    elif role_of(actor, need) != states.OWNER:
        raise NotAllowed()


def create_need(
    actor, fields: dict[str, Any], kpis: list[dict], files=(), submit: bool = False
) -> Need:
    _require_owner(actor)
    _require_publisher(actor, submit)
    _check_content(fields, kpis, files, existing=0)
    twin = _recent_twin(actor, fields)
    if twin is not None:  # the same form sent again (a double click, a retry): no second need
        return twin
    need = Need(owner_id=actor.organisation_id, author_id=actor.id, status=states.DRAFT)
    _assign(need, fields, kpis)
    db.session.add(need)
    db.session.flush()
    _save_files(actor, need, files)
    if submit:
        _submit(actor, need)
    remember_draft(need)  # after the commit, through the queue
    db.session.commit()
    return need


def _recent_twin(actor, fields: dict[str, Any]) -> Need | None:
    """A need the same member created within REPEAT_WINDOW with the same title and text."""
    text = lambda name: (fields.get(name) or "").strip()  # noqa: E731
    query = select(Need).where(
        Need.author_id == actor.id,
        Need.owner_id == actor.organisation_id,
        Need.title == text("title"),
        Need.goal == text("goal"),
        Need.pain_point == text("pain_point"),
        Need.created_at >= clock.now() - REPEAT_WINDOW,
    )
    return db.session.scalar(query.order_by(Need.id).limit(1))


def require_editable(actor, need: Need) -> None:
    """403 unless the actor owns the need; 409 when its status allows no edit."""
    _require_owner(actor, need)
    if not states.can_edit(need.status, states.OWNER):
        raise states.TransitionRefused(_("该需求当前不能修改。"))


def update_need(
    actor, need: Need, fields: dict[str, Any], kpis: list[dict], files=(), submit: bool = False
) -> Need:
    require_editable(actor, need)
    _require_publisher(actor, submit and not need.is_published)
    _check_content(fields, kpis, files, existing=len(attachments_of(need)))
    before = need.as_record()
    _assign(need, fields, kpis)
    db.session.flush()
    _save_files(actor, need, files)
    if need.is_published:
        _record_published_edit(actor, need, before, bool(_real_files(files)))
        sync("need", [need.id])  # after the commit, the new version replaces the indexed one
    elif submit:
        _submit(actor, need)
    if not need.is_published:
        remember_draft(need)  # after the commit, through the queue
    db.session.commit()
    return need


def _check_content(fields, kpis, files, existing: int) -> None:
    errors = content_errors(fields, kpis) | _file_errors(files, existing)
    if errors:
        raise ValidationFailed(fields=errors)


def _file_errors(files, existing: int) -> dict[str, list[str]]:
    """Check every upload before anything is written (each stream is rewound after)."""
    files = _real_files(files)
    if existing + len(files) > MAX_ATTACHMENTS:
        return {"attachments": [_("附件最多 %(n)s 个。", n=MAX_ATTACHMENTS)]}
    messages = []
    for storage in files:
        try:
            check_upload(storage, ATTACHMENT_POLICY)
        except ValidationFailed as err:
            messages.append(err.message)
        storage.stream.seek(0)
    return {"attachments": messages} if messages else {}


def _assign(need: Need, fields: dict[str, Any], kpis: list[dict]) -> None:
    for name in CONTENT_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(need, name, value.strip() if isinstance(value, str) else value)
    need.kpis = [
        NeedKpi(
            position=position,
            indicator=row["indicator"].strip(),
            baseline=row.get("baseline"),
            target=row["target"],
            unit=(row.get("unit") or "").strip(),
            direction=row["direction"],
        )
        for position, row in enumerate(kpis, start=1)
    ]


def _real_files(files) -> list[FileStorage]:
    return [f for f in files or () if f is not None and f.filename]


def _save_files(actor, need: Need, files) -> None:
    for storage in _real_files(files):
        save_upload(storage, ATTACHMENT_OWNER, need.id, actor.id, ATTACHMENT_POLICY)


def attachments_of(need: Need) -> list[Attachment]:
    query = select(Attachment).where(
        Attachment.owner_type == ATTACHMENT_OWNER, Attachment.owner_id == need.id
    )
    return list(db.session.scalars(query.order_by(Attachment.id)))


def _record_published_edit(actor, need: Need, before: dict, files_added: bool) -> None:
    after = need.as_record()
    changed = [name for name in after if after[name] != before.get(name)]
    if files_added:
        changed.append("attachments")
    if not changed:
        return
    _add_version(actor, need, changed)
    notify(
        [user for user in change_audience(need, need.owner_id) if can_see(user, need)],
        "need_changed",
        _l("您关注的需求“%(title)s”已更新", title=need.title),
        _l("需求已更新到第 %(n)s 版，请查看变更。", n=need.version),
        need_link(need),
    )


def _add_version(actor, need: Need, changed: list[str]) -> NeedVersion:
    need.version = (need.version or 0) + 1
    version = NeedVersion(
        need_id=need.id,
        number=need.version,
        changed_fields=changed,
        snapshot=need.as_record(),
        actor_id=getattr(actor, "id", None),
    )
    db.session.add(version)
    return version


def apply_transition(actor, need: Need, action: str, comment: str = "") -> NeedReview:
    """Change the status through the state machine and record who did what, when and why.

    Every status change of a need passes here (review, withdrawal, closing, the close of an
    award or a merge), so this is where the search index is told: after the commit, a need
    that was or is published is re-indexed or removed."""
    role = role_of(actor, need)
    if role is None:
        raise NotAllowed()
    old = need.status
    need.status = states.next_status(old, action, role)
    if states.PUBLISHED in (old, need.status):
        sync("need", [need.id])
    now = clock.now()
    if action == "submit":
        need.submitted_at = now
    elif action == "approve":
        need.published_at = now
        _add_version(actor, need, ["published"])
    elif need.status in states.FINAL:
        need.closed_at = now
    review = NeedReview(
        need_id=need.id,
        action=action,
        from_status=old,
        to_status=need.status,
        actor_id=actor.id,
        comment=(comment or "").strip(),
    )
    db.session.add(review)
    return review


def _require_publisher(actor, submitting: bool = True) -> None:
    if submitting and not actor.can_publish:
        raise NotAllowed(publish_refusal(actor, _("您的机构通过主办方审核后才能提交需求。")))


def _submit(actor, need: Need) -> None:
    _require_publisher(actor)
    apply_transition(actor, need, "submit")


def submit_need(actor, need: Need) -> Need:
    """The owner submits a draft or returned need; an organiser one that organisers created."""
    if "submit" not in actions_for(actor, need):
        _require_owner(actor, need)
    record = need.as_record() | {"delivery_date": need.delivery_date}
    errors = content_errors(record, [kpi.as_record() for kpi in need.kpis])
    if errors:
        raise ValidationFailed(_("需求内容不完整，请先修改。"), fields=errors)
    _submit(actor, need)
    db.session.commit()
    return need


def withdraw_need(actor, need: Need) -> Need:
    _require_owner(actor, need)
    was_published = need.is_published
    apply_transition(actor, need, "withdraw")
    if was_published:
        _notify_ended(need)
    db.session.commit()  # apply_transition queued its removal from the index
    return need


def close_need(actor, need: Need, reason: str = "") -> Need:
    """The owner or an organiser closes a published need (the listing ends)."""
    apply_transition(actor, need, "close", reason)
    _notify_ended(need)
    if role_of(actor, need) == states.ORGANISER:
        notify(
            owner_members(need),
            "need_closed",
            _l("您的需求“%(title)s”已被主办方关闭", title=need.title),
            reason,
            need_link(need),
        )
    db.session.commit()  # apply_transition queued its removal from the index
    return need


def close_for_award(actor, need: Need, reason: str) -> Need:
    """A listing of 揭榜挂帅 chose its solver: its published need closes (it leaves the hall
    and the vendors' matching pages) and the need's followers are told it ended, as with
    `close_need`. The owner hears of the award from the listing itself, and the caller
    (`competitions.publicity.award`) commits with the award."""
    apply_transition(actor, need, "close", reason)
    _notify_ended(need)
    return need


def close_as_merged(actor, need: Need, primary: Need) -> Need:
    """An organiser merged `need` into its duplicate `primary`: it closes, points to the primary,
    and whoever followed it (or signed its NDA, or viewed it) is sent on to the primary. The
    owners are told by the caller (`dashboard.duplicates.merge_needs`), which commits."""
    apply_transition(actor, need, "close", _("合并至需求 #%(id)s", id=primary.id))
    need.merged_into_id = primary.id
    notify(
        change_audience(need, exclude_org_id=need.owner_id),
        "need_changed",
        _l("您关注的需求“%(title)s”已与相同需求合并", title=need.title),
        _l("请关注合并后的需求“%(title)s”。", title=primary.title),
        need_link(primary),
    )
    return need


def _notify_ended(need: Need) -> None:
    notify(
        change_audience(need, exclude_org_id=need.owner_id),
        "need_changed",
        _l("您关注的需求“%(title)s”已结束揭榜", title=need.title),
        "",
        need_link(need),
    )


def my_needs(actor) -> list[Need]:
    if not actor.organisation_id:
        return []
    query = select(Need).where(Need.owner_id == actor.organisation_id)
    return list(db.session.scalars(query.order_by(Need.updated_at.desc(), Need.id.desc())))


def open_need_counts() -> dict[int, int]:
    """Published needs per scenario template id (shown on the public scenario pages)."""
    query = (
        select(Need.template_id, func.count())
        .where(Need.status.in_(states.PUBLIC), Need.template_id.is_not(None))
        .group_by(Need.template_id)
    )
    return {template_id: count for template_id, count in db.session.execute(query)}
