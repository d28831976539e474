"""Personal access tokens: created on the API 令牌 page (shown once, stored hashed), revoked
there; a revoked or expired token, or one of an inactive or unapproved user, answers 401."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from sqlalchemy import select

from matchmaker import clock
from matchmaker.accounts.tokens import ApiToken, create_token
from matchmaker.extensions import db
from tests.factories import login, make_org, make_user

from .conftest import bearer

SECRET = re.compile(r"mm_[A-Za-z0-9_\-]{30,}")


def test_token_is_shown_once_and_stored_hashed(app_ctx, client):
    user = make_user(role="factory_member")
    login(client, user.email)
    response = client.post("/account/tokens", data={"name": "MES 对接", "expires_in_days": "90"})
    assert response.status_code == 201
    secret = SECRET.search(response.get_data(as_text=True)).group(0)
    token = db.session.scalar(select(ApiToken))
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.token_hash, token.prefix, token.name}
    assert secret.startswith(token.prefix)
    assert token.expires_at - clock.now() > timedelta(days=89)
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "MES 对接" in page and token.prefix in page and secret not in page
    me = client.get("/api/v1/applications", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200


def test_token_form_errors_keep_input(app_ctx, client):
    user = make_user(role="vendor_member")
    login(client, user.email)
    response = client.post("/account/tokens", data={"name": "x" * 101, "expires_in_days": "7"})
    assert response.status_code == 422
    assert db.session.scalar(select(ApiToken)) is None


def test_revoked_token_gets_401(app_ctx, client):
    user = make_user(role="factory_member")
    headers = bearer(user)
    assert client.get("/api/v1/applications", headers=headers).status_code == 200
    login(client, user.email)
    token = db.session.scalar(select(ApiToken))
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    client.post("/logout")
    response = client.get("/api/v1/applications", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorised"


def test_another_users_token_cannot_be_revoked(app_ctx, client):
    owner, other = make_user(role="factory_member"), make_user(role="factory_member")
    token, _secret = create_token(owner, "mine")
    login(client, other.email)
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    db.session.refresh(token)
    assert token.revoked_at is None


def test_expired_token_gets_401(app_ctx, client):
    user = make_user(role="vendor_member")
    _token, secret = create_token(user, "short", expires_in_days=30)
    clock.set(clock.now() + timedelta(days=31))
    response = client.get("/api/v1/applications", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401


def test_inactive_or_unapproved_users_token_gets_401(app_ctx, client):
    inactive = make_user(role="factory_member")
    headers = bearer(inactive)
    inactive.active = False
    db.session.commit()
    assert client.get("/api/v1/applications", headers=headers).status_code == 401
    pending = make_user(make_org("vendor", approved=False))
    assert client.get("/api/v1/applications", headers=bearer(pending)).status_code == 401


def test_no_token_and_bad_tokens(app_ctx, client):
    assert client.get("/api/v1/applications").status_code == 401
    for header in ("Bearer mm_nonsense", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer x" * 50):
        response = client.get("/api/v1/industries", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.get_json()["error"]["message"]


def test_session_cookie_does_not_authenticate_the_api(app_ctx, client):
    user = make_user(role="factory_member")
    login(client, user.email)
    assert client.get("/api/v1/applications").status_code == 401


def test_cli_prints_a_working_token(app_ctx, runner, client):
    user = make_user(role="organiser")
    result = runner.invoke(args=["users", "create-token", "--email", user.email, "--name", "CI"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/applications", headers=headers).status_code == 200
    unknown = runner.invoke(args=["users", "create-token", "--email", "no@x.cn", "--name", "x"])
    assert unknown.exit_code != 0
