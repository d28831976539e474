"""Notify users: inbox rows join the caller's transaction; e-mails go out only after it commits.

    notify(users, "need_approved", title, body, link)   # inside a service, before commit

E-mails queued in a transaction that rolls back are dropped with it.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from .. import clock
from ..extensions import db
from .mail import Mail, deliver
from .models import Notification

OUTBOX = "notification_outbox"


def notify(
    users: Iterable, kind: str, title: str, body: str = "", link: str = ""
) -> list[Notification]:
    """Create one inbox entry per distinct active user and queue an e-mail to each."""
    created = []
    seen: set[int] = set()
    for user in users:
        if user is None or user.id in seen or not getattr(user, "active", True):
            continue
        seen.add(user.id)
        note = Notification(user_id=user.id, kind=kind, title=title, body=body, link=link)
        db.session.add(note)
        created.append(note)
        if getattr(user, "email", None):
            text = f"{body}\n\n{link}" if link else body
            db.session.info.setdefault(OUTBOX, []).append(Mail(user.email, title, text))
    return created


def unread_count(user_id: int) -> int:
    query = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )
    return db.session.scalar(query) or 0


def inbox(user_id: int, limit: int = 100) -> list[Notification]:
    query = (
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def mark_read(user_id: int, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) notification of this user read."""
    statement = update(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        statement = statement.where(Notification.id == notification_id)
    result = db.session.execute(statement.values(read_at=clock.now()))
    db.session.commit()
    return result.rowcount or 0


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    mails = session.info.pop(OUTBOX, None)
    if mails:
        deliver(mails, current_app.config)


@event.listens_for(Session, "after_rollback")
def _drop_on_rollback(session: Session) -> None:
    session.info.pop(OUTBOX, None)
