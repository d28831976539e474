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
                # 404 for every method: the converter answers NotFound once the rule matched,
                # so a PUT beside a GET rule is never 405 (undocumented in the OpenAPI file).
                if status != 404:
                    wrong.append(f"{method} {path}: {status}")
    assert not wrong


def base_path(rule, world: World) -> str:
    """The rule's path with the first candidate id for each parameter."""
    values = {
        name: candidate_values(conv, name, world)[0] for name, conv in rule._converters.items()
    }
    return PARAMETER.sub(lambda m: values[m.group(1)], rule.rule)


def query_paths(rule, world: World) -> list[str]:
    base = base_path(rule, world)
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


FORM_NAMES = (
    "industry_id", "category_id", "template_id", "offering_id", "need_ids", "expert_id",
    "primary", "winner_ids", "kpi_id", "budget_min", "budget_max", "delivery_months",
    "price", "price_min", "price_max", "voucher_use", "progress", "reward", "budget",
    "quota", "max_leads", "publicity_days", "scale_max", "voucher_share", "voucher_cap",
    "kpis-0-target", "kpis-0-baseline", "commitments-0-kpi_id", "commitments-0-committed",
    "template_2", "beneficiary_1", "contract_1", "measured_1", "team_size", "delivery_weeks",
)  # fmt: skip


@pytest.mark.parametrize("role", ["factory_a", "vendor_a", "expert", "organiser"])
def test_huge_numbers_in_posted_forms_never_crash(role, app, world, client_as):
    errors = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        client = client_as(role)
        path = base_path(rule, world)
        for huge in HUGE:
            status = client.post(path, data={name: huge for name in FORM_NAMES}).status_code
            if status >= 500:
                errors.append(f"POST {path} ({huge}): {status}")
    assert not errors
