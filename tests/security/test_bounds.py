"""Numbers beyond what the database can hold never reach it: an id past signed 64 bits in a
path is 404 (the app's `int` converter is bounded), and in a query argument it is ignored or
refused with a 4xx — never a 500 from an integer overflow in SQLite or PostgreSQL."""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from .test_sweep import PARAMETER, candidate_values
from .world import ROLES, World

HUGE = ("9223372036854775808", "99999999999999999999", "-9223372036854775809")
QUERY_NAMES = ("industry", "category", "template", "id", "page", "need", "round", "listing")


def huge_paths(rule, world: World) -> list[str]:
    """Each int parameter in turn set to a huge value, the others to real ids."""
    paths = []
    for name in rule.arguments:
        if not isinstance(rule._converters[name], IntegerConverter):
            continue
        for huge in HUGE[:2]:
            values = {
                other: (huge if other == name else candidate_values(conv, other, world)[0])
                for other, conv in rule._converters.items()
            }
            paths.append(PARAMETER.sub(lambda m, v=values: v[m.group(1)], rule.rule))
    return paths


@pytest.mark.parametrize("role", ROLES)
def test_huge_ids_in_paths_are_not_found(role, app, world, client_as):
    wrong = []
    for rule in app.url_map.iter_rules():
        for path in huge_paths(rule, world):
            client = client_as(role)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                status = client.open(path, method=method, data={}).status_code
                # Werkzeug may answer 405 where another method's rule has the same path.
                expected = (404, 405) if path.startswith("/api/") else (404,)
                if status not in expected:
                    wrong.append(f"{method} {path}: {status}")
    assert not wrong


def query_paths(rule, world: World) -> list[str]:
    values = {
        name: candidate_values(conv, name, world)[0] for name, conv in rule._converters.items()
    }
    base = PARAMETER.sub(lambda m: values[m.group(1)], rule.rule)
    return [
        base + "?" + "&".join(f"{name}={huge}" for name in QUERY_NAMES) + "&type=need"
        for huge in HUGE
    ]


@pytest.mark.parametrize("role", ROLES)
def test_huge_numbers_in_query_arguments_never_crash(role, app, world, client_as):
    errors = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        client = client_as(role)
        for path in query_paths(rule, world):
            status = client.get(path).status_code
            if status >= 500:
                errors.append(f"GET {path}: {status}")
    assert not errors
