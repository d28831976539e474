"""With CSRF protection on (as in production), every state-changing route refuses a POST
without a valid token (400), whoever sends it; a POST with the page's token goes through."""

from __future__ import annotations

import re

import pytest

from .matrix import MATRIX
from .world import ROLES


def _posts(auth: str) -> list:
    rows = reversed(MATRIX)
    return list({r.rule: r for r in rows if r.method == "POST" and r.auth == auth}.values())


POST_ROWS = _posts("session")
# The API authenticates by bearer token only, so it needs no CSRF token: a browser's session
# cookie alone never acts there (401), which is what a cross-site request could carry.
API_POST_ROWS = _posts("bearer")


def page_token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', html).group(1)


@pytest.fixture
def csrf_on(app):
    """CSRF as production has it; switched on after the role logged in (test_csrf logs in
    through the form without a token)."""

    def enable():
        app.config["WTF_CSRF_ENABLED"] = True

    yield enable
    app.config["WTF_CSRF_ENABLED"] = False


def test_every_post_route_is_checked(app):
    posts = {r.rule for r in app.url_map.iter_rules() if "POST" in r.methods}
    assert posts == {row.rule for row in POST_ROWS} | {row.rule for row in API_POST_ROWS}


@pytest.mark.parametrize("row", API_POST_ROWS, ids=[r.id for r in API_POST_ROWS])
def test_api_post_with_only_a_session_cookie_is_refused(row, world, client_as, csrf_on):
    client = client_as("factory_a")
    csrf_on()
    response = client.post(world.path(row.path), json=world.json(dict(row.data)))
    assert response.status_code == 401


@pytest.mark.parametrize("row", POST_ROWS, ids=[r.id for r in POST_ROWS])
def test_post_without_token_is_refused_for_every_role(row, world, client_as, csrf_on):
    """Refused before the view runs, so nothing changes: every role is tried in one world."""
    clients = {role: client_as(role) for role in ROLES}  # logged in before CSRF is on
    csrf_on()
    statuses = {
        role: client.post(world.path(row.path), data=world.data(row.data)).status_code
        for role, client in clients.items()
    }
    assert statuses == dict.fromkeys(ROLES, 400)


@pytest.mark.parametrize("role", ROLES)
def test_post_with_a_forged_token_is_refused(role, world, client_as, csrf_on):
    client = client_as(role)
    csrf_on()
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 400


def test_post_with_the_page_token_goes_through(world, client_as, csrf_on):
    client = client_as("organiser")
    csrf_on()
    page = client.get("/organisations/pending").get_data(as_text=True)
    token = page_token(page)
    path = world.path("/organisations/{pending_org}/approve")
    response = client.post(path, data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/organisations/pending"


def test_token_of_another_session_is_refused(world, client_as, csrf_on):
    other = client_as("factory_a")
    organiser = client_as("organiser")
    csrf_on()
    page = other.get("/account").get_data(as_text=True)
    token = page_token(page)
    path = world.path("/organisations/{pending_org}/approve")
    assert organiser.post(path, data={"csrf_token": token}).status_code == 400
