"""Role fixtures for the security tests.

def test_x(world, client_as):
    client = client_as("vendor_b")        # a test client logged in as that role
    client.get(world.path("/inbox/{notification_a}/read"))
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

from tests import snapshots
from tests.factories import login

from .matrix import ALLOWED, CONFLICT, FORBIDDEN, LOGIN, NOT_FOUND, UNAUTHORISED
from .world import ANONYMOUS, World, build_world


@pytest.fixture(scope="module")
def built_world(app) -> tuple[World, snapshots.Snapshot]:
    """One world per test module, built through the services and kept as a snapshot."""
    with app.app_context():
        world = build_world()
        return world, snapshots.take("world")


@pytest.fixture
def world(app_ctx, built_world) -> World:
    """The module's world, restored row for row (same ids) before every test."""
    world, snapshot = built_world
    snapshots.restore(snapshot)
    return world


@pytest.fixture
def client_as(app, world) -> Callable:
    def make(role: str):
        client = app.test_client()
        if role != ANONYMOUS:
            login(client, world.email[role])
        return client

    return make


def classify(response) -> str:
    """The matrix outcome of a response (see matrix.py); anything else is described as is."""
    status = response.status_code
    if 300 <= status < 400:
        target = urlsplit(response.headers.get("Location", ""))
        if target.netloc not in ("", "localhost"):
            return f"redirect off site to {target.netloc}"
        return LOGIN if target.path == "/login" else ALLOWED
    if 200 <= status < 300 or status == 422:
        return ALLOWED
    return {401: UNAUTHORISED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}.get(
        status, f"status {status}"
    )
