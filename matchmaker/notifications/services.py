"""Notify users: inbox rows and e-mails (outbox rows) join the caller's transaction.

    notify(users, "need_approved", title, body, link)   # inside a service, before commit
    notify(users, "milestone_delivered", title, body, link, about=milestone)

The mails are rows of the outbox (outbox.py), written with the action and sent by the job
queue's worker after the commit, never by the request; a rollback drops them with the rest.

Repeats collapse: a notice of the same kind about the same object (`about`, else the link) to
the same user, while that user's earlier one is still unread and was last raised less than
COLLAPSE_WINDOW ago, updates that entry (its time, text and `repeats` count) instead of adding
a row, and sends no second e-mail.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import func, select, update

from .. import clock
from ..extensions import db
from .models import Notification
from .outbox import queue_mail

COLLAPSE_WINDOW = timedelta(minutes=10)


def notify(
    users: Iterable, kind: str, title: str, body: str = "", link: str = "", about=None
) -> list[Notification]:
    """One inbox entry per distinct active user (new, or a recent unread one collapsed into)
    and an e-mail for each new entry. `about` is the model object the notice concerns."""
    subject = subject_key(about, link)
    entries = []
    seen: set[int] = set()
    for user in users:
        if user is None or user.id in seen or not getattr(user, "active", True):
            continue
        seen.add(user.id)
        note = _recent_unread(user.id, kind, subject)
        if note is not None:
            note.repeats += 1
            note.created_at = clock.now()
            note.title, note.body, note.link = title, body, link
        else:
            note = Notification(
                user_id=user.id, kind=kind, title=title, body=body, link=link, subject=subject
            )
            db.session.add(note)
            _queue_mail(user, title, body, link)
        entries.append(note)
    return entries


def subject_key(about, link: str = "") -> str:
    """What a notice is about: "<table>:<id>" for a model object, else its link ("" = never collapses)."""
    if about is None:
        return link or ""
    if isinstance(about, str):
        return about
    return f"{about.__tablename__}:{about.id}"


def _recent_unread(user_id: int, kind: str, subject: str) -> Notification | None:
    if not subject:
        return None
    query = (
        select(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.kind == kind,
            Notification.subject == subject,
            Notification.read_at.is_(None),
            Notification.created_at >= clock.now() - COLLAPSE_WINDOW,
        )
        .order_by(Notification.id.desc())
        .limit(1)
        .with_for_update()
    )
    return db.session.scalar(query)


def _queue_mail(user, title: str, body: str, link: str) -> None:
    if getattr(user, "email", None):
        text = f"{body}\n\n{link}" if link else body
        queue_mail(user.email, title, text)


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
        .order_by(Notification.created_at.desc(), Notification.id.desc())
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
