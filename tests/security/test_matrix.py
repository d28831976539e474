"""Every route × every role gets the response class the matrix (matrix.py) expects, and the
matrix names every route of the application."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.notifications.models import Notification

from .conftest import classify
from .matrix import MATRIX
from .world import ANONYMOUS, ROLES

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def reads_only(row) -> bool:
    """A GET that changes nothing: every role can be asked in one world (a world costs about
    half a second to build, and the matrix has thousands of cases). GETs that spend a one-time
    token (e-mail verification, password reset, invitations) and every write get a world of
    their own per role."""
    return row.method == "GET" and "token" not in row.path and "/verify/" not in row.path


READ_ROWS = [row for row in MATRIX if reads_only(row)]
CASES = [(row, role) for row in MATRIX if not reads_only(row) for role in ROLES]


def outcome(row, role, world, client_as) -> tuple[str, str]:
    """The response class `role` gets for `row`, and the start of the body to explain it."""
    if row.auth == "bearer":
        response = bearer_request(row, role, world, client_as)
    else:
        client = client_as(role)
        response = client.open(world.path(row.path), method=row.method, data=world.data(row.data))
    return classify(response), response.get_data()[:300].decode("utf-8", "replace")


def app_routes(app) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - IGNORED_METHODS
    }


@pytest.mark.parametrize("row", READ_ROWS, ids=[r.id for r in READ_ROWS])
def test_page_as_every_role(row, world, client_as):
    got = {role: outcome(row, role, world, client_as) for role in ROLES}
    wrong = {
        role: f"{found} (expected {row.expect[role]}): {body}"
        for role, (found, body) in got.items()
        if found != row.expect[role]
    }
    assert not wrong, wrong


@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{r.id} as {role}" for r, role in CASES])
def test_route_as_role(row, role, world, client_as):
    found, body = outcome(row, role, world, client_as)
    assert found == row.expect[role], body


def bearer_request(row, role, world, client_as):
    """The API as the role's token (no session); JSON body when the row has data."""
    headers = {"Authorization": f"Bearer {world.bearer[role]}"} if role in world.bearer else {}
    body = {"json": world.json(dict(row.data))} if row.data else {}
    client = client_as(ANONYMOUS)
    return client.open(world.path(row.path), method=row.method, headers=headers, **body)


def skeleton(method: str, rule: str) -> str:
    """A row to start from: placeholders named after the rule's parameters (record the objects
    in world.py), and the expectations still to decide."""
    path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)
    return f'    Row("{method}", "{rule}", "{path}", <expect: everyone() / signed_in() / only(…)>),'


def test_every_route_is_covered(app):
    covered = {(row.method, row.rule) for row in MATRIX}
    missing = sorted(app_routes(app) - covered)
    rows = "\n".join(skeleton(method, rule) for method, rule in missing)
    assert not missing, f"add rows for these routes to tests/security/matrix.py:\n{rows}"


def test_every_row_names_a_route(app):
    stale = sorted({(row.method, row.rule) for row in MATRIX} - app_routes(app))
    assert not stale, f"rows for routes the app does not have: {stale}"


def test_every_row_expects_every_role():
    incomplete = [row.id for row in MATRIX if set(row.expect) != set(ROLES)]
    assert not incomplete


def test_routes_taking_ids_have_a_missing_id_row():
    with_ids = {(row.method, row.rule) for row in MATRIX if re.search(r"<int:", row.rule)}
    exercised = {(row.method, row.rule) for row in MATRIX if "{missing_id}" in row.path}
    assert not sorted(with_ids - exercised)


def test_notification_of_another_user_stays_unread(world, client_as):
    path = world.path("/inbox/{notification_a}/read")
    for role in ("factory_b", "vendor_a", "expert", "organiser"):
        assert client_as(role).post(path).status_code == 302
    db.session.expire_all()
    note = db.session.scalar(
        select(Notification).where(Notification.id == world.ids["notification_a"])
    )
    assert note.read_at is None
    client_as("factory_a").post(path)
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is not None
