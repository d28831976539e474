"""Rows of the security matrix and the outcomes they expect (see matrix.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .world import ANONYMOUS, ROLES

ALLOWED = "allowed"
LOGIN = "login redirect"
FORBIDDEN = "403"
NOT_FOUND = "404"
CONFLICT = "409"
UNAUTHORISED = "401"  # the JSON API without (or with a bad) bearer token

Expect = Mapping[str, str]


@dataclass(frozen=True)
class Row:
    method: str
    rule: str
    path: str
    expect: Expect
    data: Mapping[str, str] = field(default_factory=dict)
    # "session": the role logs in through the form; "bearer": the role's API token is sent
    # as `Authorization: Bearer …` with no session, and `data` is the JSON body.
    auth: str = "session"

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def everyone(outcome: str = ALLOWED, **overrides: str) -> Expect:
    """`outcome` for every role, anonymous included, but the `overrides` (role=outcome)."""
    return {**dict.fromkeys(ROLES, outcome), **overrides}


def signed_in(outcome: str = ALLOWED, **overrides: str) -> Expect:
    """Anonymous users are sent to the login page; every signed-in role gets `outcome`."""
    return {**dict.fromkeys(ROLES, outcome), ANONYMOUS: LOGIN, **overrides}


def only(*roles: str, outcome: str = ALLOWED) -> Expect:
    """Login page for anonymous users, `outcome` for `roles`, 403 for every other role."""
    return {**signed_in(FORBIDDEN), **dict.fromkeys(roles, outcome)}


def api_signed_in(outcome: str = ALLOWED, **overrides: str) -> Expect:
    """An API operation that needs a token: 401 without one, `outcome` for every role."""
    return {**dict.fromkeys(ROLES, outcome), ANONYMOUS: UNAUTHORISED, **overrides}


def organisers(outcome: str = ALLOWED) -> Expect:
    return only("organiser", outcome=outcome)
