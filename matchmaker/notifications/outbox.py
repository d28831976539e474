"""The mail outbox: a mail is a row written in the action's own transaction; the worker sends it.

    queue_mail(to, subject, body)     # inside the action's transaction (notify() does it)

How a row is sent exactly once (as far as SMTP allows):
1. claim: a batch of due `pending` rows becomes `sending` under a fresh `claim_token`
   (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one writer at a time), committed;
2. stage: MAIL FROM, RCPT TO, DATA and the content go to the server, without the final ".";
3. commit point: ``UPDATE … SET status='sent' WHERE id=… AND claim_token=<ours> AND
   status='sending'`` is committed; if it changes no row, another claim owns the mail and
   this worker drops the connection (the server discards a message without its ".");
4. the final "." is sent and the server's reply read.

A worker killed before (3) leaves its rows `sending`: after MAIL_CLAIM_SECONDS the sweep
puts them back to `pending` (the server never got the ".", so nothing was delivered) and
they are sent again under a new claim. The remaining window is between (3) and the moment the
"." is in the kernel's socket buffer — a few microseconds of Python: a kill exactly there
loses that one mail (marked sent, never delivered). A connection that breaks after the "."
and before the reply leaves the mail `unconfirmed` (it may have arrived; never resent
automatically). A refusal before the "." is retried with backoff (4xx, unreachable server)
or `failed` (5xx, or MAIL_MAX_ATTEMPTS reached).

Retries: attempt n waits MAIL_RETRY_SECONDS * 2**(n-1), at most MAIL_RETRY_MAX_SECONDS.
A send is queued after each commit that adds mail, and `sweep_mail_outbox` runs every minute.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import select, update

from .. import clock, jobs
from ..extensions import db
from .mail import (
    Mail,
    PermanentFailure,
    Refused,
    TemporaryFailure,
    Unconfirmed,
    transport_for,
)
from .models import OutboxMail

log = logging.getLogger("matchmaker.mail")

DEFAULTS = {
    "MAIL_BATCH": 20,
    "MAIL_CLAIM_SECONDS": 300,
    "MAIL_RETRY_SECONDS": 60,
    "MAIL_RETRY_MAX_SECONDS": 3600,
    "MAIL_MAX_ATTEMPTS": 12,
}


def _setting(name: str) -> int:
    value = current_app.config.get(name)
    return int(DEFAULTS[name] if value is None else value)


def queue_mail(to: str, subject: str, body: str) -> OutboxMail:
    """Add a mail to the caller's transaction; it is sent after the commit, never before."""
    sender = current_app.config.get("MAIL_SENDER") or "matchmaker@localhost"
    row = OutboxMail(
        message_id=make_msgid(domain=sender.rpartition("@")[2] or "localhost"),
        recipient=to,
        subject=subject[:300],
        body=body,
        next_attempt_at=clock.now(),
    )
    db.session.add(row)
    jobs.enqueue_after_commit(send_mail_outbox)
    return row


@jobs.task()
def send_mail_outbox() -> int:
    """Send every due mail (queued after each commit that adds mail)."""
    return send_due()


@jobs.periodic(jobs.crontab(minute="*"), at_start=True)
def sweep_mail_outbox() -> int:
    """Every minute: take back the claims of dead workers, then send what is due."""
    release_stale_claims()
    return send_due()


def send_due(limit: int = 10_000) -> int:
    """Claim and send due mails batch by batch; the number sent."""
    sent = 0
    for _batch in range(max(1, limit // _setting("MAIL_BATCH"))):
        token, rows = _claim()
        if not rows:
            break
        sent += _send_claimed(token, rows)
    return sent


def release_stale_claims() -> int:
    """Rows left `sending` longer than MAIL_CLAIM_SECONDS (their worker died before the commit
    point) go back to `pending`: their server never received the final "."."""
    cutoff = clock.now() - timedelta(seconds=_setting("MAIL_CLAIM_SECONDS"))
    result = db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.status == "sending", OutboxMail.claimed_at < cutoff)
        .values(status="pending", claim_token=None, next_attempt_at=clock.now())
    )
    db.session.commit()
    return result.rowcount or 0


def _claim() -> tuple[str, list[tuple[int, Mail]]]:
    now = clock.now()
    due = (
        select(OutboxMail.id)
        .where(OutboxMail.status == "pending", OutboxMail.next_attempt_at <= now)
        .order_by(OutboxMail.id)
        .limit(_setting("MAIL_BATCH"))
    )
    if db.engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(due))
    token = uuid.uuid4().hex
    if ids:
        db.session.execute(
            update(OutboxMail)
            .where(OutboxMail.id.in_(ids), OutboxMail.status == "pending")
            .values(
                status="sending",
                claim_token=token,
                claimed_at=now,
                attempts=OutboxMail.attempts + 1,
            )
        )
    db.session.commit()
    claimed = db.session.execute(
        select(
            OutboxMail.id,
            OutboxMail.recipient,
            OutboxMail.subject,
            OutboxMail.body,
            OutboxMail.message_id,
        )
        .where(OutboxMail.claim_token == token)
        .order_by(OutboxMail.id)
    ).all()
    db.session.commit()
    return token, [(r.id, Mail(r.recipient, r.subject, r.body, r.message_id)) for r in claimed]


def _send_claimed(token: str, rows: list[tuple[int, Mail]]) -> int:
    """Send one claimed batch over one connection (see the module docstring for the steps)."""
    transport = transport_for(current_app.config)
    sent = 0
    try:
        transport.open()
        for position, (row_id, mail) in enumerate(rows):
            outcome = _send_one(transport, token, row_id, mail)
            if outcome == "sent":
                sent += 1
            elif outcome == "stop":
                _release(token, [i for i, _m in rows[position + 1 :]], "connection lost")
                break
    except TemporaryFailure as exc:
        _release(token, [i for i, _m in rows], str(exc))
    finally:
        transport.close()
    return sent


def _send_one(transport, token: str, row_id: int, mail: Mail) -> str:
    try:
        transport.stage(mail)
    except PermanentFailure as exc:
        _set(token, row_id, status="failed", last_error=str(exc))
        return "failed"
    except TemporaryFailure as exc:
        _release(token, [row_id], str(exc))
        transport.abandon()
        transport.open()  # a TemporaryFailure here ends the batch (caught by the caller)
        return "retry"
    if not _mark_sent(token, row_id):
        transport.abandon()  # another claim owns this mail: the server drops the staged copy
        transport.open()
        return "lost_claim"
    try:
        transport.finish()
    except Refused as exc:
        _after_refusal(row_id, exc)
        return "refused"
    except Unconfirmed as exc:
        _set(token, row_id, status="unconfirmed", last_error=str(exc), expect="sent")
        return "stop"
    return "sent"


def _mark_sent(token: str, row_id: int) -> bool:
    """The commit point: exactly one claim can turn this row from sending to sent."""
    return _set(token, row_id, status="sent", sent_at=clock.now(), last_error="")


def _set(token: str, row_id: int, expect: str = "sending", **values) -> bool:
    result = db.session.execute(
        update(OutboxMail)
        .where(
            OutboxMail.id == row_id,
            OutboxMail.claim_token == token,
            OutboxMail.status == expect,
        )
        .values(**values)
    )
    db.session.commit()
    return result.rowcount == 1


def _after_refusal(row_id: int, exc: Refused) -> None:
    """The server answered the "." with an error: it has not taken the message."""
    row = db.session.get(OutboxMail, row_id)
    if exc.permanent or row.attempts >= _setting("MAIL_MAX_ATTEMPTS"):
        row.status = "failed"
    else:
        row.status, row.claim_token = "pending", None
        row.next_attempt_at = clock.now() + backoff(row.attempts)
    row.sent_at, row.last_error = None, str(exc)
    db.session.commit()


def _release(token: str, row_ids: list[int], error: str) -> None:
    """Claimed rows not handed over: back to pending after a backoff, or failed at the limit."""
    if not row_ids:
        return
    rows = db.session.scalars(
        select(OutboxMail).where(
            OutboxMail.id.in_(row_ids),
            OutboxMail.claim_token == token,
            OutboxMail.status == "sending",
        )
    )
    limit = _setting("MAIL_MAX_ATTEMPTS")
    for row in rows:
        row.last_error = error[:2000]
        row.claim_token = None
        if row.attempts >= limit:
            row.status = "failed"
        else:
            row.status = "pending"
            row.next_attempt_at = clock.now() + backoff(row.attempts)
    db.session.commit()
    log.warning("mail: %d message(s) not sent, will retry: %s", len(row_ids), error)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt (1 → MAIL_RETRY_SECONDS, doubling)."""
    base = _setting("MAIL_RETRY_SECONDS")
    cap = _setting("MAIL_RETRY_MAX_SECONDS")
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))
