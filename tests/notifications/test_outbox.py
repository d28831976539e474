"""The mail outbox against a real SMTP server: written with the action, sent by the queue,
retried while the server is down, never twice; a request never talks SMTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from matchmaker import clock, jobs
from matchmaker.extensions import db
from matchmaker.notifications import outbox
from matchmaker.notifications.models import OutboxMail
from tests.accounts.test_accounts_views import form_data
from tests.factories import credit_code
from tests.notifications.smtp_sink import Blackhole, SmtpSink, free_port


@pytest.fixture
def mail_to(app, monkeypatch):
    def point(port: int) -> None:
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5)

    return point


MAILS_PER_REGISTRATION = 2  # the registration notice and the e-mail verification link


def _register(client, n: int):
    data = form_data(email=f"user{n}@example.com", credit_code=credit_code(9000 + n))
    return client.post("/register", data=data)


def _statuses() -> dict[str, int]:
    rows = db.session.execute(sa.select(OutboxMail.status, sa.func.count()).group_by("status"))
    return dict(rows.all())


def test_fifty_mails_written_while_the_server_is_down_arrive_once_when_it_is_back(
    app_ctx, client, mail_to
):
    port = free_port()
    mail_to(port)
    for n in range(50):
        assert _register(client, n).status_code == 302
    # Each commit queued a send; the server refused the connection: all wait for a retry.
    assert _statuses() == {"pending": 50 * MAILS_PER_REGISTRATION}
    rows = db.session.scalars(sa.select(OutboxMail)).all()
    assert {row.attempts for row in rows} == {1} and all(row.last_error for row in rows)
    expected = {row.message_id for row in rows}
    sink = SmtpSink(port).start()
    try:
        assert outbox.sweep_mail_outbox.call() == 0  # not due before the backoff has passed
        with clock.frozen(clock.now() + timedelta(hours=2)):
            assert outbox.sweep_mail_outbox.call() == 50 * MAILS_PER_REGISTRATION
            assert outbox.sweep_mail_outbox.call() == 0
    finally:
        sink.stop()
    received = sink.message_ids()
    assert set(received) == expected and set(received.values()) == {1}
    db.session.expire_all()
    assert _statuses() == {"sent": 50 * MAILS_PER_REGISTRATION}


def test_a_request_queues_mail_but_never_talks_smtp(app_ctx, client, mail_to):
    """Issue 21: a request with the SMTP server blackholed answers at once, because the mail
    is only a row written with the action; the worker sends it later."""
    hole = Blackhole()
    try:
        mail_to(hole.port)
        with jobs.deferred(app_ctx) as queue:
            assert _register(client, 1).status_code == 302
            assert hole.attempts() == 0  # no SMTP connection from the request
            assert queue.pending_count() == 1  # a send is queued for the worker
        assert _statuses() == {"pending": MAILS_PER_REGISTRATION}
    finally:
        hole.close()


def test_a_rolled_back_action_leaves_no_mail_and_queues_nothing(app_ctx):
    with jobs.deferred(app_ctx) as queue:
        outbox.queue_mail("a@example.com", "主题", "正文")
        db.session.rollback()
        db.session.commit()
        assert queue.pending_count() == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0


def test_a_permanent_refusal_fails_the_mail_without_retrying(app_ctx, client, mail_to):
    port = free_port()
    mail_to(port)
    sink = SmtpSink(port).start()
    try:
        outbox.queue_mail("nobody@example.com", "主题", "正文")
        db.session.commit()
        assert _statuses() == {"sent": 1}
        with jobs.deferred(app_ctx):
            outbox.queue_mail("refused@example.com", "主题", "正文")  # 550 at RCPT
            db.session.commit()
        jobs.drain(app_ctx)
    finally:
        sink.stop()
    assert _statuses() == {"sent": 1, "failed": 1}
    assert sink.count() == 1


def test_backoff_doubles_up_to_the_cap(app_ctx):
    waits = [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 7, 20)]
    assert waits == [60, 120, 240, 3600, 3600]
