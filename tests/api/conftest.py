"""API test helpers: a token per user and a client that sends it."""

from __future__ import annotations

import pytest

from matchmaker.accounts.tokens import create_token


def bearer(user, name: str = "test") -> dict[str, str]:
    _token, secret = create_token(user, name)
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def as_user(app_ctx, client):
    """`as_user(user).get(path)`: the test client with the user's bearer token."""

    class Caller:
        def __init__(self, user):
            self.headers = bearer(user) if user is not None else {}

        def open(self, method: str, path: str, **kwargs):
            return client.open(path, method=method, headers=self.headers, **kwargs)

        def get(self, path: str, **kwargs):
            return self.open("GET", path, **kwargs)

        def post(self, path: str, **kwargs):
            return self.open("POST", path, **kwargs)

        def put(self, path: str, **kwargs):
            return self.open("PUT", path, **kwargs)

    return Caller
