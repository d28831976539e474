"""Logout, 退出所有设备, a password change and an organiser disabling the account end the
user's sessions server-side: a copy of the old `session` cookie or `remember_token` taken
before no longer opens anything (issue 15, item 2)."""

from __future__ import annotations

import pytest

from matchmaker.accounts import services, sessions
from matchmaker.accounts.tokens import ApiToken, create_token
from matchmaker.errors import InvalidTransition, NotAllowed
from matchmaker.extensions import db
from tests.factories import DEFAULT_PASSWORD, login, make_org, make_user

pytestmark = pytest.mark.usefixtures("app_ctx")

NEW_PASSWORD = "violet-harbour-42"


def logged_in(client, user, remember: bool = False) -> dict[str, str]:
    """Log `client` in; the session and remember-me cookies it was given."""
    data = {"email": user.email, "password": DEFAULT_PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302
    cookies = {"session": client.get_cookie("session").value}
    if remember:
        cookies["remember_token"] = client.get_cookie("remember_token").value
    return cookies


def replay(app, cookies: dict[str, str]):
    """GET /account from a fresh client that carries only the saved cookies."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief.get("/account")


def assert_logged_out(response) -> None:
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_saved_cookies_work_until_logout(app, client):
    user = make_user()
    saved = logged_in(client, user, remember=True)
    assert replay(app, saved).status_code == 200
    assert replay(app, {"remember_token": saved["remember_token"]}).status_code == 200
    assert client.post("/logout").status_code == 302
    assert_logged_out(replay(app, {"session": saved["session"]}))
    assert_logged_out(replay(app, {"remember_token": saved["remember_token"]}))
    assert_logged_out(client.get("/account"))


def test_logout_everywhere_ends_every_device(app, client):
    user = make_user()
    phone = app.test_client()
    phone_cookies = logged_in(phone, user, remember=True)
    desk_cookies = logged_in(client, user)
    page = client.get("/account").get_data(as_text=True)
    assert "退出所有设备" in page and "/account/logout-everywhere" in page
    response = client.post("/account/logout-everywhere")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    for saved in (phone_cookies, desk_cookies, {"remember_token": phone_cookies["remember_token"]}):
        assert_logged_out(replay(app, saved))
    assert_logged_out(phone.get("/account"))
    login(client, user.email)  # logging in again works
    assert client.get("/account").status_code == 200


def test_logout_everywhere_needs_a_csrf_token(app, client, monkeypatch):
    user = make_user()
    logged_in(client, user)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post("/account/logout-everywhere").status_code == 400
    assert client.post("/logout").status_code == 400
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    assert client.get("/account").status_code == 200


def test_password_change_ends_other_sessions_and_revokes_api_tokens(app, client):
    user = make_user()
    _token, secret = create_token(user, "MES 对接", 0)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/applications", headers=headers).status_code == 200
    other = app.test_client()
    other_cookies = logged_in(other, user, remember=True)
    logged_in(client, user)
    form = {
        "current_password": DEFAULT_PASSWORD,
        "new_password": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    response = client.post("/account/password", data=form, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "API 令牌已随之撤销" in html
    assert client.get("/account").status_code == 200  # this session carries on
    assert_logged_out(replay(app, other_cookies))
    assert_logged_out(replay(app, {"remember_token": other_cookies["remember_token"]}))
    response = client.get("/api/v1/applications", headers=headers)
    assert response.status_code == 401
    assert all(token.revoked_at is not None for token in db.session.query(ApiToken))


def test_a_disabled_user_is_logged_out_and_cannot_log_in(app, client):
    organiser = make_user(role="organiser")
    user = make_user(make_org("factory"))
    saved = logged_in(client, user, remember=True)
    _token, secret = create_token(user, "MES", 0)
    sessions.disable_user(organiser, user)
    assert_logged_out(replay(app, saved))
    assert_logged_out(replay(app, {"remember_token": saved["remember_token"]}))
    assert services.authenticate(user.email, DEFAULT_PASSWORD) is None
    response = app.test_client().get(
        "/api/v1/applications", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 401
    sessions.enable_user(organiser, user)
    assert services.authenticate(user.email, DEFAULT_PASSWORD) == user
    assert_logged_out(replay(app, saved))  # re-enabling does not revive old sessions


def test_only_organisers_disable_and_never_themselves():
    organiser = make_user(role="organiser")
    member = make_user(make_org("factory"))
    with pytest.raises(NotAllowed):
        sessions.disable_user(member, organiser)
    with pytest.raises(InvalidTransition):
        sessions.disable_user(organiser, organiser)
    assert organiser.active and member.active


def test_session_ids_carry_the_generation():
    user = make_user()
    first = user.get_id()
    assert first == f"{user.id}:0"
    sessions.end_all_sessions(user)
    assert user.get_id() == f"{user.id}:1"
    from matchmaker.accounts.auth import load_user

    assert load_user(first) is None
    assert load_user(user.get_id()) == user
    for broken in ("", "x", f"{user.id}", f"{user.id}:", f"{user.id}:abc", "9" * 30 + ":0"):
        assert load_user(broken) is None
