"""Registration does not tell a visitor whether an address has an account: a new and a known
address get the same status, redirect and message; the known address's owner is told by
e-mail and nothing is created (issue 15, item 8c)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from matchmaker.accounts.models import Organisation, User
from matchmaker.extensions import db
from matchmaker.notifications.mail import LogTransport
from matchmaker.notifications.models import Notification
from tests.accounts.test_accounts_views import form_data
from tests.factories import credit_code, make_org, make_user

pytestmark = pytest.mark.usefixtures("app_ctx")


@pytest.fixture
def outbox(monkeypatch):
    """The mails the job queue sent (at once in tests; without MAIL_SERVER: the log transport)."""
    sent = []
    monkeypatch.setattr(LogTransport, "finish", lambda transport: sent.append(transport._mail))
    return sent


def _shape(headers) -> set[tuple[str, str]]:
    """The headers with the session cookie's timestamp and signature blanked: the two answers
    must carry the same session content, but they may be signed in different seconds."""
    return {
        (name, re.sub(r"\.[\w-]+\.[\w-]+;", ".<time>.<signature>;", value))
        if name == "Set-Cookie"
        else (name, value)
        for name, value in headers
    }


def test_known_and_new_addresses_get_the_same_answer(app, outbox):
    owner = make_user(make_org("factory"), email="chen@example.com")
    known = app.test_client().post("/register", data=form_data(email="CHEN@example.com"))
    new = app.test_client().post("/register", data=form_data(email="new@example.com"))
    assert known.status_code == new.status_code == 302
    assert known.headers["Location"] == new.headers["Location"] == "/login"
    assert "已注册" not in known.get_data(as_text=True)
    assert _shape(known.headers) == _shape(new.headers)
    # Neither is logged in by the registration itself.
    for response in (known, new):
        cookie = response.headers.get("Set-Cookie", "")
        assert "remember_token" not in cookie
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 2
    assert {mail.to for mail in outbox} == {"chen@example.com", "new@example.com"}
    to_owner = next(mail for mail in outbox if mail.to == owner.email)
    assert "尝试用您的邮箱注册" in to_owner.subject and "无需重新注册" in to_owner.body
    note = db.session.scalar(sa.select(Notification).where(Notification.user_id == owner.id))
    assert note.kind == "registration_attempt"


def test_the_flash_is_the_same_for_both(app, outbox):
    make_user(make_org("factory"), email="chen@example.com")
    pages = []
    for email in ("chen@example.com", "fresh@example.com"):
        client = app.test_client()
        client.post("/register", data=form_data(email=email, credit_code=credit_code()))
        pages.append(client.get("/login").get_data(as_text=True))
    assert all("注册申请已提交，请查收" in page for page in pages)
    assert pages[0].replace("chen@", "fresh@") == pages[1].replace("chen@", "fresh@")


def test_a_known_address_with_bad_fields_gets_the_same_errors_as_a_new_one(app, outbox):
    make_user(make_org("factory"), email="chen@example.com")
    bad = {"password": "12345678", "password2": "12345678", "credit_code": "bad"}
    known = app.test_client().post("/register", data=form_data(email="chen@example.com", **bad))
    new = app.test_client().post("/register", data=form_data(email="other@example.com", **bad))
    assert known.status_code == new.status_code == 422
    strip = lambda r, email: r.get_data(as_text=True).replace(email, "EMAIL")  # noqa: E731
    assert strip(known, "chen@example.com") == strip(new, "other@example.com")
    assert outbox == []


def test_losing_a_race_for_the_address_answers_like_a_known_address(outbox, monkeypatch):
    """Two registrations with one address at once: the one whose insert hits the unique
    constraint answers like any known address (no error, the owner is told)."""
    from matchmaker.accounts import services

    owner = make_user(make_org("factory"), email="chen@example.com")
    lookups = iter([None])  # the first lookup misses: the other request has not committed yet
    real = services.find_user_by_email
    monkeypatch.setattr(services, "find_user_by_email", lambda e: next(lookups, real(e)))
    data = services.RegistrationData(
        **{k: v for k, v in form_data(email="chen@example.com").items() if k != "password2"}
    )
    assert services.register_organisation(data) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1
    assert [mail.to for mail in outbox] == [owner.email]
