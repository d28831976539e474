"""Messages about a need, one use case per function.

Rules:
- A thread joins a need and one vendor organisation. It may exist once that organisation has
  accepted the need's NDA or sent an interest response (意向响应); before that neither side
  can write (403).
- Its participants are the members of the need's factory (`role_of` = owner) and the members
  of that vendor organisation (approved vendors). Nobody else reads it: organisers neither
  (404, the thread does not exist for them).
- New messages are written while the need is published (409 afterwards: the factory still reads
  the thread; the vendor reads it as long as it may see the need, whose own rules hide a closed
  need from vendors); each new message notifies the other side's active members. A resend with the same
  form token is the same message (no second message, no second notice).
- A participant may report a message of the other side to the organisers (one report per
  message and person); the organisers see that message in their queue and close the report with
  a note. Every write leaves an audit entry without the message text.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from .. import clock
from ..accounts.models import Organisation
from ..competitions import audit
from ..competitions.access import organisers, require_organiser
from ..errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from ..extensions import db
from ..files.models import Attachment
from ..files.services import UploadPolicy, check_upload, save_upload
from ..needs.access import can_see, is_vendor, role_of
from ..needs.models import NdaAcceptance, Need, NeedInterest
from ..needs.states import OWNER
from ..notifications.services import notify
from .models import FACTORY, HANDLED, OPEN, VENDOR, MessageReport, NeedMessage, NeedThread

ATTACHMENT_OWNER = "need_message"
MAX_BODY = 4000
MAX_FILES = 5
POLICY = UploadPolicy()


def engaged(need: Need, vendor_id: int) -> bool:
    """The vendor organisation accepted the NDA of the need or sent interest."""
    for model in (NdaAcceptance, NeedInterest):
        query = select(model.id).where(model.need_id == need.id, model.organisation_id == vendor_id)
        if db.session.scalar(query) is not None:
            return True
    return False


def engaged_vendors(need: Need) -> list[Organisation]:
    ids = (
        select(NdaAcceptance.organisation_id)
        .where(NdaAcceptance.need_id == need.id)
        .union(select(NeedInterest.organisation_id).where(NeedInterest.need_id == need.id))
    )
    query = select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name)
    return list(db.session.scalars(query))


def side_of(user, need: Need, vendor_id: int) -> str | None:
    """FACTORY or VENDOR for a participant of the (need, vendor) thread, else None."""
    if not can_see(user, need):
        return None
    if role_of(user, need) == OWNER:
        return FACTORY
    if is_vendor(user) and user.organisation_id == vendor_id:
        return VENDOR
    return None


def thread_of(need: Need, vendor_id: int) -> NeedThread | None:
    query = select(NeedThread).where(
        NeedThread.need_id == need.id, NeedThread.vendor_id == vendor_id
    )
    return db.session.scalar(query)


def threads_of(need: Need) -> list[NeedThread]:
    query = select(NeedThread).where(NeedThread.need_id == need.id)
    return list(db.session.scalars(query.order_by(NeedThread.last_message_at.desc())))


def require_participant(user, need: Need, vendor_id: int) -> str:
    side = side_of(user, need, vendor_id)
    if side is None:
        raise NotFound()
    return side


def _open_thread(need: Need, vendor_id: int) -> NeedThread:
    thread = thread_of(need, vendor_id)
    if thread is not None:
        return thread
    thread = NeedThread(need_id=need.id, vendor_id=vendor_id)
    try:
        with db.session.begin_nested():
            db.session.add(thread)
    except IntegrityError:  # the other side opened it at the same moment
        thread = thread_of(need, vendor_id)
    return thread


def _check_message(body: str, files: Sequence[FileStorage]) -> None:
    if not body and not files:
        raise ValidationFailed(fields={"body": [_("请填写消息内容或添加附件。")]})
    if len(body) > MAX_BODY:
        raise ValidationFailed(fields={"body": [_("消息不能超过 %(n)s 个字。", n=MAX_BODY)]})
    if len(files) > MAX_FILES:
        raise ValidationFailed(fields={"files": [_("每条消息最多 %(n)s 个附件。", n=MAX_FILES)]})
    for storage in files:
        try:
            check_upload(storage, POLICY)
        except ValidationFailed as err:
            raise ValidationFailed(fields={"files": [err.message]}) from None
        storage.stream.seek(0)


def send_message(
    actor, need: Need, vendor_id: int, body: str, token: str, files: Sequence[FileStorage] = ()
) -> tuple[NeedMessage, bool]:
    """Post to the (need, vendor) thread. Returns (message, created): False for a resend."""
    side = require_participant(actor, need, vendor_id)
    if not engaged(need, vendor_id):
        raise NotAllowed(_("该揭榜方签署保密承诺或提交意向响应后，双方才能互发消息。"))
    if not need.is_published:
        raise InvalidTransition(_("该需求已不在揭榜中，消息只能查看，不能再发送。"))
    body, token = (body or "").strip(), (token or "").strip()[:64]
    if not token:
        raise ValidationFailed(_("表单已过期，请刷新页面后重试。"))
    files = [f for f in files if f and f.filename]
    _check_message(body, files)
    thread = _open_thread(need, vendor_id)
    existing = db.session.scalar(
        select(NeedMessage).where(
            NeedMessage.thread_id == thread.id, NeedMessage.client_token == token
        )
    )
    if existing is not None:
        return existing, False
    message = NeedMessage(
        thread_id=thread.id, author_id=actor.id, side=side, body=body, client_token=token
    )
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:  # the same form arrived twice at once
        return _by_token(need, vendor_id, token), False
    for storage in files:
        save_upload(storage, ATTACHMENT_OWNER, message.id, actor.id, POLICY)
    thread.last_message_at = clock.now()
    db.session.expire(thread, ["messages"])
    audit.record(
        actor, "need_message.send", message, after={"need_id": need.id, "files": len(files)}
    )
    _notify_other_side(actor, need, thread, side)
    db.session.commit()
    return message, True


def _by_token(need: Need, vendor_id: int, token: str) -> NeedMessage:
    thread = thread_of(need, vendor_id)
    return db.session.scalar(
        select(NeedMessage).where(
            NeedMessage.thread_id == thread.id, NeedMessage.client_token == token
        )
    )


def _notify_other_side(actor, need: Need, thread: NeedThread, side: str) -> None:
    if side == FACTORY:
        readers = [u for u in thread.vendor.members if u.active]
        sender = need.owner.name
    else:
        readers = [u for u in need.owner.members if u.active]
        sender = thread.vendor.name
    notify(
        [u for u in readers if u.id != actor.id],
        "need_message",
        _l("%(org)s 就需求“%(title)s”给您发来消息", org=sender, title=need.title),
        "",
        thread_link(thread),
        about=thread,
    )


def thread_link(thread: NeedThread) -> str:
    return f"/needs/{thread.need_id}/messages/{thread.vendor_id}"


def attachments_of(messages: Sequence[NeedMessage]) -> dict[int, list[Attachment]]:
    ids = [m.id for m in messages]
    found: dict[int, list[Attachment]] = {i: [] for i in ids}
    if ids:
        query = select(Attachment).where(
            Attachment.owner_type == ATTACHMENT_OWNER, Attachment.owner_id.in_(ids)
        )
        for item in db.session.scalars(query.order_by(Attachment.id)):
            found[item.owner_id].append(item)
    return found


def report_message(actor, message: NeedMessage, reason: str) -> tuple[MessageReport, bool]:
    """A participant reports the other side's message; a second report by the same person is
    the first one. Returns (report, created)."""
    thread = message.thread
    side = require_participant(actor, thread.need, thread.vendor_id)
    if side == message.side:
        raise NotAllowed(_("只能举报对方发来的消息。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("请说明举报原因。")]})
    if len(reason) > 1000:
        raise ValidationFailed(fields={"reason": [_("举报原因不能超过 1000 个字。")]})
    existing = _report_by(message, actor)
    if existing is not None:
        return existing, False
    report = MessageReport(message_id=message.id, reported_by_id=actor.id, reason=reason)
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError:
        return _report_by(message, actor), False
    audit.record(actor, "need_message.report", report, after={"message_id": message.id})
    notify(
        organisers(), "message_reported", _l("收到一条消息举报"), reason, "/console/message-reports"
    )
    db.session.commit()
    return report, True


def _report_by(message: NeedMessage, actor) -> MessageReport | None:
    query = select(MessageReport).where(
        MessageReport.message_id == message.id, MessageReport.reported_by_id == actor.id
    )
    return db.session.scalar(query)


def open_reports() -> list[MessageReport]:
    query = select(MessageReport).where(MessageReport.status == OPEN)
    return list(db.session.scalars(query.order_by(MessageReport.created_at)))


def handled_reports(limit: int = 20) -> list[MessageReport]:
    query = select(MessageReport).where(MessageReport.status == HANDLED)
    return list(db.session.scalars(query.order_by(MessageReport.handled_at.desc()).limit(limit)))


def handle_report(actor, report: MessageReport, note: str) -> bool:
    """The organiser closes a report with a note for the reporter. False if already handled."""
    require_organiser(actor)
    note = (note or "").strip()
    if report.status == HANDLED:
        return False
    if not note:
        raise ValidationFailed(fields={"note": [_("请填写处理意见。")]})
    report.status, report.note = HANDLED, note
    report.handled_by_id, report.handled_at = actor.id, clock.now()
    audit.record(
        actor,
        "need_message.handle_report",
        report,
        {"status": OPEN},
        {"status": HANDLED, "note": note},
    )
    notify([report.reported_by], "message_report_handled", _l("您的举报已处理"), note)
    db.session.commit()
    return True
