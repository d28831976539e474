"""The API is rate-limited per token (per client address without one): 429 + Retry-After."""

from __future__ import annotations

import pytest

from matchmaker import create_app
from matchmaker.config import TestConfig
from matchmaker.extensions import db, limiter

from .conftest import bearer


@pytest.fixture
def limited_client(app):
    class LimitedConfig(TestConfig):
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = "memory://"
        API_RATE_LIMIT = "3/minute"
        API_ADDRESS_LIMIT = "6/minute"

    limited = create_app(LimitedConfig)  # its own in-memory database
    with limited.app_context():
        db.create_all()
        yield limited.test_client()
        db.session.remove()
    limiter.reset()
    limiter.enabled = False


def test_api_beyond_the_limit_gets_429_with_retry_after(limited_client):
    statuses = [limited_client.get("/api/v1/rounds").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    response = limited_client.get("/api/v1/rounds")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.get_json()["error"]["code"] == "too_many_requests"


def test_each_token_has_its_own_budget(limited_client):
    from tests.factories import make_user

    for _ in range(3):
        limited_client.get("/api/v1/rounds")
    assert limited_client.get("/api/v1/rounds").status_code == 429
    headers = bearer(make_user(role="vendor_member"))
    assert limited_client.get("/api/v1/rounds", headers=headers).status_code == 200


def test_made_up_tokens_buy_no_fresh_budget(limited_client):
    statuses = [
        limited_client.get(
            "/api/v1/rounds", headers={"Authorization": f"Bearer mm_fake{n}"}
        ).status_code
        for n in range(7)
    ]
    assert statuses == [401] * 6 + [429]
