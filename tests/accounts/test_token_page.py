"""The API 令牌 page, which shows a new token's secret once, is never cached (issue 15, 8e)."""

from __future__ import annotations

import pytest

from tests.factories import login, make_user

pytestmark = pytest.mark.usefixtures("app_ctx")


def test_the_page_showing_a_new_token_is_not_stored(client):
    user = make_user()
    login(client, user.email)
    created = client.post("/account/tokens", data={"name": "MES", "expires_in_days": "30"})
    assert created.status_code == 201
    assert created.headers["Cache-Control"] == "no-store"
    assert client.get("/account/tokens").headers["Cache-Control"] == "no-store"
