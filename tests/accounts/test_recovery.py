"""忘记密码 by a signed, time-limited, single-use link; e-mail verification at registration;
organisers disabling and re-enabling accounts (issue 19, item 1)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from matchmaker import clock
from matchmaker.accounts import recovery, sessions
from matchmaker.accounts.tokens import ApiToken, create_token
from matchmaker.errors import NotAllowed, ValidationFailed
from matchmaker.extensions import db
from matchmaker.notifications.mail import LogTransport
from matchmaker.solvers import lifecycle
from tests.accounts.test_accounts_views import form_data
from tests.factories import DEFAULT_PASSWORD, credit_code, login, make_offering, make_org, make_user

pytestmark = pytest.mark.usefixtures("app_ctx")

NEW_PASSWORD = "amber-lantern-73"
LINK = re.compile(r"(/password/reset/[\w.\-]+|/account/verify/[\w.\-]+)")


@pytest.fixture
def outbox(monkeypatch):
    sent = []
    monkeypatch.setattr(LogTransport, "finish", lambda transport: sent.append(transport._mail))
    return sent


def link_in(mail) -> str:
    return LINK.search(mail.body).group(1)


def ask_reset(client, email: str):
    return client.post("/password/forgot", data={"email": email})


# --- 忘记密码 ---------------------------------------------------------------------------


def test_known_and_unknown_addresses_get_the_same_answer(app, outbox):
    user = make_user(make_org("factory"), email="li@example.com")
    known, unknown = app.test_client(), app.test_client()
    a, b = ask_reset(known, "LI@example.com "), ask_reset(unknown, "nobody@example.com")
    assert a.status_code == b.status_code == 302
    assert a.headers["Location"] == b.headers["Location"] == "/login"
    assert known.get("/login").get_data(as_text=True) == unknown.get("/login").get_data(
        as_text=True
    )
    assert [mail.to for mail in outbox] == [user.email]
    assert outbox[0].subject == "重置密码" and "60 分钟内" in outbox[0].body


def test_the_link_sets_a_new_password_once_and_ends_sessions_and_tokens(app, outbox):
    user = make_user(make_org("factory"), email="li@example.com")
    _token, _secret = create_token(user, "MES")
    logged_in = app.test_client()
    login(logged_in, user.email)
    ask_reset(app.test_client(), user.email)
    link = link_in(outbox[-1])
    visitor = app.test_client()
    assert visitor.get(link).status_code == 200
    done = visitor.post(link, data={"new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert logged_in.get("/account").status_code == 302  # the old session has ended
    assert all(token.revoked_at for token in db.session.query(ApiToken))
    again = visitor.post(
        link, data={"new_password": "other-words-88", "new_password2": "other-words-88"}
    )
    assert again.status_code == 302 and again.headers["Location"] == "/password/forgot"
    fresh = app.test_client()
    bad = fresh.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert bad.status_code == 422
    login(fresh, user.email, NEW_PASSWORD)
    assert any("密码已重置" in mail.subject for mail in outbox)


def test_a_weak_password_is_refused_in_chinese_and_the_link_still_works(app, outbox):
    user = make_user(make_org("factory"), email="li@example.com")
    ask_reset(app.test_client(), user.email)
    link = link_in(outbox[-1])
    client = app.test_client()
    weak = client.post(link, data={"new_password": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 422
    mismatch = client.post(link, data={"new_password": NEW_PASSWORD, "new_password2": "x"})
    assert mismatch.status_code == 422 and "两次输入的密码不一致" in mismatch.get_data(as_text=True)
    assert client.get(link).status_code == 200


def test_the_link_expires_after_an_hour(app, outbox):
    user = make_user(make_org("factory"))
    start = clock.now()
    with clock.frozen(start):
        ask_reset(app.test_client(), user.email)
    token = link_in(outbox[-1]).rsplit("/", 1)[1]
    with clock.frozen(start + recovery.RESET_MAX_AGE - timedelta(seconds=5)):
        assert recovery.user_for_password_token(token) == user
    with clock.frozen(start + recovery.RESET_MAX_AGE + timedelta(seconds=5)):
        assert recovery.user_for_password_token(token) is None


def test_a_password_change_kills_an_earlier_link(app, outbox):
    from matchmaker.accounts.services import change_password

    user = make_user(make_org("factory"))
    token = recovery.password_token(user)
    change_password(user, DEFAULT_PASSWORD, NEW_PASSWORD)
    assert recovery.user_for_password_token(token) is None


def test_tampered_foreign_and_other_purpose_tokens_are_refused(app):
    user = make_user(make_org("factory"))
    token = recovery.password_token(user)
    assert (
        recovery.user_for_password_token(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
        is None
    )
    assert recovery.user_for_password_token(recovery.verification_token(user)) is None
    assert recovery.user_for_password_token("not-a-token") is None
    with pytest.raises(ValidationFailed, match="无效或已过期"):
        recovery.reset_password("not-a-token", NEW_PASSWORD)


def test_a_disabled_account_gets_no_link_and_cannot_use_one(app, outbox):
    organiser = make_user(role="organiser")
    user = make_user(make_org("factory"))
    token = recovery.password_token(user)
    sessions.disable_user(organiser, user)
    ask_reset(app.test_client(), user.email)
    assert outbox == []
    assert recovery.user_for_password_token(token) is None


def test_mail_links_use_public_url_never_the_host_header(app, outbox):
    user = make_user(make_org("factory"))
    app.config["PUBLIC_URL"] = "https://matchmaker.example.gov.cn/"
    try:
        app.test_client().post(
            "/password/forgot", data={"email": user.email}, headers={"Host": "evil.example"}
        )
    finally:
        app.config["PUBLIC_URL"] = ""
    assert "https://matchmaker.example.gov.cn/password/reset/" in outbox[-1].body
    assert "evil.example" not in outbox[-1].body


def test_an_empty_address_is_refused_with_the_form_kept(client):
    response = client.post("/password/forgot", data={"email": ""})
    assert response.status_code == 422 and "此项为必填项" in response.get_data(as_text=True)


# --- e-mail verification ----------------------------------------------------------------


def register(app, email: str):
    client = app.test_client()
    response = client.post("/register", data=form_data(email=email, credit_code=credit_code()))
    assert response.status_code == 302
    return client


def test_registration_mails_a_verification_link_and_the_member_may_log_in(app, outbox):
    from matchmaker.accounts.services import find_user_by_email

    client = register(app, "wang@example.com")
    user = find_user_by_email("wang@example.com")
    assert not user.is_email_verified
    login(client, "wang@example.com", form_data()["password"])
    page = client.get("/account").get_data(as_text=True)
    assert "尚未验证" in page and "重新发送验证邮件" in page
    verify = next(mail for mail in outbox if "验证" in mail.subject)
    response = client.get(link_in(verify))
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    db.session.refresh(user)
    assert user.is_email_verified
    assert "尚未验证" not in client.get("/account").get_data(as_text=True)


def test_an_unverified_member_cannot_submit(app):
    org = make_org("vendor")
    member = make_user(org, email_verified_at=None)
    offering = make_offering(org)
    assert member.publish_blocker == "unverified" and not member.can_publish
    with pytest.raises(NotAllowed, match="验证您的邮箱"):
        lifecycle.submit_offering(member, offering)
    from matchmaker.competitions.applications import apply_blocker

    assert apply_blocker(member, listing=None) == "unverified"


def test_a_verification_link_for_an_old_address_or_a_bad_token_verifies_nothing(app):
    user = make_user(make_org("factory"), email_verified_at=None)
    token = recovery.verification_token(user)
    user.email = "changed@example.com"
    db.session.commit()
    assert recovery.verify_email(token) is None
    assert recovery.verify_email("garbage") is None
    assert not user.is_email_verified


def test_resending_the_verification(app, outbox):
    user = make_user(make_org("factory"), email_verified_at=None)
    client = app.test_client()
    login(client, user.email)
    assert client.post("/account/verify").status_code == 302
    assert [mail.to for mail in outbox] == [user.email]
    user.email_verified_at = clock.now()
    db.session.commit()
    client.post("/account/verify")
    assert len(outbox) == 1  # already verified: nothing more is sent


def test_a_reset_through_the_mailbox_also_verifies_the_address(app, outbox):
    user = make_user(make_org("factory"), email_verified_at=None)
    recovery.reset_password(recovery.password_token(user), NEW_PASSWORD)
    assert user.is_email_verified


# --- 账户管理: disable and re-enable ------------------------------------------------------


def test_an_organiser_disables_and_re_enables_an_account(app):
    organiser = make_user(role="organiser")
    member = make_user(make_org("factory"), name="赵六")
    member_client = app.test_client()
    login(member_client, member.email)
    staff = app.test_client()
    login(staff, organiser.email)
    listing = staff.get("/console/users?q=赵六").get_data(as_text=True)
    assert member.email in listing and organiser.email not in listing
    assert staff.post(f"/console/users/{member.id}/disable").status_code == 302
    assert member_client.get("/account").status_code == 302  # logged out at once
    refused = app.test_client().post(
        "/login", data={"email": member.email, "password": DEFAULT_PASSWORD}
    )
    assert refused.status_code == 422
    assert "已停用" in staff.get(f"/console/users?q={member.email}").get_data(as_text=True)
    assert staff.post(f"/console/users/{member.id}/enable").status_code == 302
    login(app.test_client(), member.email)
    audit = staff.get("/rounds/console/audit").get_data(as_text=True)
    for words in ("停用账户", "重新启用账户", f"账户 {member.email}"):
        assert words in audit
    assert staff.post(f"/console/users/{member.id}/enable").status_code == 302  # again: no entry
    again = staff.get("/rounds/console/audit").get_data(as_text=True)
    assert again.count(f"账户 {member.email}") == audit.count(f"账户 {member.email}") == 2


def test_an_organiser_cannot_disable_themselves_nor_an_admin(app):
    organiser = make_user(role="organiser")
    admin = make_user(role="admin")
    staff = app.test_client()
    login(staff, organiser.email)
    assert staff.post(f"/console/users/{organiser.id}/disable").status_code == 409
    assert staff.post(f"/console/users/{admin.id}/disable").status_code == 403
    admin.active = False
    db.session.commit()
    assert staff.post(f"/console/users/{admin.id}/enable").status_code == 403


def test_the_user_search_treats_wildcards_as_text(app):
    organiser = make_user(role="organiser")
    make_user(make_org("factory"), email="a_b@example.com")
    make_user(make_org("factory"), email="axb@example.com")
    found = list(db.session.scalars(sessions.users_query(organiser, "a_b")))
    assert [user.email for user in found] == ["a_b@example.com"]
