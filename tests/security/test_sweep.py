"""A safety net under the matrix: every rule of the app — including routes that have no matrix
rows yet — is requested by every role with the ids of the world's objects whose key starts like
the parameter (`need_id` ← need_draft, need_public, …; `attachment_id` ← attachment_…), id 1
and a missing id; none may answer with a server error."""

from __future__ import annotations

import itertools
import re

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from .world import MISSING_ID, ROLES, World

PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def candidate_values(converter, name: str, world: World) -> list[str]:
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)
    if isinstance(converter, IntegerConverter):
        stem = name.removesuffix("_id")
        ids = [
            value
            for key, value in world.ids.items()
            if isinstance(value, int) and (key == name or key.startswith(stem))
        ]
        return [str(i) for i in dict.fromkeys([*ids, 1, MISSING_ID])]
    named = world.ids.get(name)
    return [str(named)] if named is not None else ["x"]


def concrete_paths(rule, world: World) -> list[str]:
    names = list(rule.arguments)
    choices = [candidate_values(rule._converters[name], name, world) for name in names]
    paths = []
    for values in itertools.product(*choices):
        mapping = dict(zip(names, values, strict=True))
        paths.append(PARAMETER.sub(lambda m, values=mapping: values[m.group(1)], rule.rule))
    return paths


@pytest.mark.parametrize("role", ROLES)
def test_no_route_answers_with_a_server_error(role, app, world, client_as):
    errors = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        client = client_as(role)  # a fresh session per rule: a logout must not end the sweep
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for path in concrete_paths(rule, world):
                status = client.open(path, method=method, data={}).status_code
                if status >= 500:
                    errors.append(f"{method} {path}: {status}")
    assert not errors
