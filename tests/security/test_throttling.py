"""Login and registration POSTs are throttled per client address (429 + Retry-After); a
forged X-Forwarded-For does not buy a fresh budget unless TRUST_PROXY says a proxy sets it."""

from __future__ import annotations

import pytest

from matchmaker import create_app
from matchmaker.accounts.views import LOGIN_LIMIT, REGISTER_LIMIT
from matchmaker.config import TestConfig
from matchmaker.extensions import limiter


def allowed_count(limit: str) -> int:
    return int(limit.split("/")[0])


@pytest.fixture
def limited_app(app):
    """An app with the limiter on (in memory). The limiter is a process-wide singleton: it is
    reset and switched off again for the session app afterwards."""

    def make(trust_proxy: int = 0):
        class LimitedConfig(TestConfig):
            RATELIMIT_ENABLED = True
            RATELIMIT_STORAGE_URI = "memory://"
            TRUST_PROXY = trust_proxy

        return create_app(LimitedConfig)

    yield make
    limiter.reset()
    limiter.enabled = False


@pytest.mark.parametrize(
    ("path", "limit"), [("/login", LOGIN_LIMIT), ("/register", REGISTER_LIMIT)]
)
def test_posts_beyond_the_limit_get_429_with_retry_after(path, limit, limited_app):
    client = limited_app().test_client()
    statuses = {client.post(path, data={}).status_code for _ in range(allowed_count(limit))}
    assert statuses == {422}  # empty forms, refused before any database work
    response = client.post(path, data={})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["Content-Security-Policy"]
    assert client.get(path).status_code == 200  # reading the form is not limited


def test_forged_forwarded_for_does_not_reset_the_budget(limited_app):
    client = limited_app().test_client()
    for n in range(allowed_count(LOGIN_LIMIT)):
        client.post("/login", data={}, headers={"X-Forwarded-For": f"10.0.0.{n}"})
    response = client.post("/login", data={}, headers={"X-Forwarded-For": "10.0.1.1"})
    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(limited_app):
    client = limited_app(trust_proxy=1).test_client()
    first = {"X-Forwarded-For": "203.0.113.7"}
    for _ in range(allowed_count(LOGIN_LIMIT)):
        client.post("/login", data={}, headers=first)
    assert client.post("/login", data={}, headers=first).status_code == 429
    other = {"X-Forwarded-For": "203.0.113.8"}
    assert client.post("/login", data={}, headers=other).status_code == 422
