"""Write and read notices (通知公告). Organisers only write; everyone reads what is public.

- A notice is a draft (`publish_at` None), scheduled (`publish_at` later) or public (`publish_at`
  reached). Every public query filters on `publish_at <= now`: no job publishes anything.
- Attachments (申报指南 PDF, XLSX forms) follow the upload rules of `files.services`.
- Every write is one transaction with its audit entry (`round_audit`, object type "notices").
- A double submit of the same new notice by the same organiser within a minute returns the
  first one instead of creating a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..competitions import audit, audit_log
from ..competitions.access import require_organiser
from ..competitions.models import Round
from ..errors import ValidationFailed
from ..extensions import db
from ..files.models import Attachment
from ..files.services import MAX_FILES_PER_OWNER, save_upload
from ..paging import Page, paginate
from .models import ATTACHMENT_OWNER, Notice

PER_PAGE = 15
MAX_TITLE = 200
MAX_BODY = 20000
REPEAT_WINDOW = timedelta(minutes=1)

# The console's audit log names a notice by its title.
audit_log.OBJECT_TEXT["notices"] = (Notice, lambda item: _("公告「%(title)s」", title=item.title))


@dataclass(frozen=True)
class NoticeData:
    title: str
    body: str
    round_id: int | None = None
    publish_at: datetime | None = None  # None: keep as a draft


def _errors(data: NoticeData, notice: Notice | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    title = data.title.strip()
    if not title:
        errors["title"] = [_("请填写标题。")]
    elif len(title) > MAX_TITLE:
        errors["title"] = [_("标题不能超过 %(n)s 个字。", n=MAX_TITLE)]
    if len(data.body) > MAX_BODY:
        errors["body"] = [_("正文不能超过 %(n)s 个字。", n=MAX_BODY)]
    if data.round_id is not None and db.session.get(Round, data.round_id) is None:
        errors["round_id"] = [_("请选择已有的揭榜批次。")]
    unchanged = notice is not None and data.publish_at == notice.publish_at
    past = data.publish_at is not None and data.publish_at < clock.now() - timedelta(minutes=5)
    if past and not unchanged:
        errors["publish_at"] = [_("发布时间不能早于现在。")]
    return errors


def _snapshot(notice: Notice) -> dict:
    return {
        "title": notice.title,
        "round_id": notice.round_id,
        "publish_at": clock.local_minute(notice.publish_at),
    }


def _recent_twin(actor, data: NoticeData) -> Notice | None:
    query = select(Notice).where(
        Notice.created_by_id == actor.id,
        Notice.title == data.title.strip(),
        Notice.body == data.body,
        Notice.created_at >= clock.now() - REPEAT_WINDOW,
    )
    return db.session.scalar(query.limit(1))


def _save_files(actor, notice: Notice, files) -> None:
    uploads = [f for f in files or () if getattr(f, "filename", "")]
    if len(attachments_of(notice)) + len(uploads) > MAX_FILES_PER_OWNER:
        raise ValidationFailed(fields={"files": [_("附件最多 %(n)s 个。", n=MAX_FILES_PER_OWNER)]})
    for storage in uploads:
        try:
            save_upload(storage, ATTACHMENT_OWNER, notice.id, actor.id)
        except ValidationFailed as err:
            raise ValidationFailed(fields={"files": [err.message]}) from err


def save_notice(actor, data: NoticeData, files=(), notice: Notice | None = None) -> Notice:
    """Create (notice None) or edit a notice, with its new attachments, in one transaction."""
    require_organiser(actor)
    errors = _errors(data, notice)
    if errors:
        raise ValidationFailed(fields=errors)
    if notice is None:
        twin = _recent_twin(actor, data)
        if twin is not None:
            return twin
        notice = Notice(created_by_id=actor.id)
        db.session.add(notice)
        before, action = None, "notice.create"
    else:
        before, action = _snapshot(notice), "notice.edit"
    notice.title, notice.body = data.title.strip(), data.body
    notice.round_id, notice.publish_at = data.round_id, data.publish_at
    try:
        db.session.flush()
        _save_files(actor, notice, files)
        audit.record(actor, action, notice, before, _snapshot(notice))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return notice


def withdraw(actor, notice: Notice) -> bool:
    """Take a public or scheduled notice back to a draft; False when it already is one."""
    require_organiser(actor)
    if notice.is_draft:
        return False
    before = _snapshot(notice)
    notice.publish_at = None
    audit.record(actor, "notice.withdraw", notice, before, _snapshot(notice))
    db.session.commit()
    return True


def remove_attachment(actor, notice: Notice, attachment_id: int) -> bool:
    require_organiser(actor)
    item = db.session.get(Attachment, attachment_id)
    if item is None or item.owner_type != ATTACHMENT_OWNER or item.owner_id != notice.id:
        return False
    db.session.delete(item)
    audit.record(actor, "notice.remove_file", notice, {"file": item.filename}, None)
    db.session.commit()
    return True


# Reading


def _public():
    return (
        select(Notice)
        .where(Notice.publish_at.is_not(None), Notice.publish_at <= clock.now())
        .order_by(Notice.publish_at.desc(), Notice.id.desc())
    )


def public_page(page: int) -> Page:
    return paginate(_public(), page, PER_PAGE)


def latest(limit: int = 5) -> list[Notice]:
    return list(db.session.scalars(_public().limit(limit)))


def for_round(round_id: int) -> list[Notice]:
    return list(db.session.scalars(_public().where(Notice.round_id == round_id)))


def all_notices() -> list[Notice]:
    query = select(Notice).order_by(Notice.updated_at.desc(), Notice.id.desc())
    return list(db.session.scalars(query))


def attachments_of(notice: Notice) -> list[Attachment]:
    query = select(Attachment).where(
        Attachment.owner_type == ATTACHMENT_OWNER, Attachment.owner_id == notice.id
    )
    return list(db.session.scalars(query.order_by(Attachment.id)))


def visible_to(user, notice: Notice) -> bool:
    """Public notices for everyone; drafts and scheduled ones for organisers (preview)."""
    return notice.is_public or getattr(user, "is_organiser", False)
