"""`matchmaker.numbers`, the bounded `int` URL converter and the JSON depth guard, alone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from matchmaker import create_app, numbers
from matchmaker.api.blueprint import json_nesting_exceeds
from matchmaker.config import TestConfig
from matchmaker.numbers import COUNT, ID, KPI_VALUE, MONEY, NumberError, as_id, int_arg, parse

FINITE_ONLY = "请输入数字（不接受 NaN 或无穷大）。"


@pytest.mark.parametrize("typed", ["nan", "NaN", "-inf", "Infinity", "sNaN", "-Infinity"])
def test_non_finite_text_is_refused(app_ctx, typed):
    with pytest.raises(NumberError, match=r"不接受 NaN"):
        parse(typed, KPI_VALUE)


@pytest.mark.parametrize(
    ("typed", "bounds", "expected"),
    [
        ("1,234.5", KPI_VALUE, 1234.5),
        (" 7 ", COUNT, 7),
        ("", MONEY, None),
        (None, MONEY, None),
        ("1e3", COUNT, 1000),
        (Decimal("2.5"), MONEY, 2.5),
    ],
)
def test_numbers_are_parsed(app_ctx, typed, bounds, expected):
    assert parse(typed, bounds) == expected


@pytest.mark.parametrize(
    ("typed", "bounds", "message"),
    [
        ("1e309", KPI_VALUE, "应在 -1000000000000 到 1000000000000 之间。"),
        ("-1", MONEY, "应在 0 到 10000000 之间。"),
        ("2.5", COUNT, "请输入整数。"),
        ("很多", MONEY, "请输入数字。"),
        ("1e999999999999999999", COUNT, "应在 1 到 10000 之间。"),
    ],
)
def test_refusals_say_why(app_ctx, typed, bounds, message):
    with pytest.raises(NumberError) as raised:
        parse(typed, bounds)
    assert str(raised.value) == message


def test_problem_and_refused_for_parsed_values(app_ctx):
    assert numbers.problem(float("-inf"), KPI_VALUE) == FINITE_ONLY
    assert numbers.problem(Decimal("NaN"), MONEY) == FINITE_ONLY
    assert numbers.problem(None, MONEY) is None and numbers.problem(5, MONEY) is None
    checks = [("a", float("nan"), MONEY), ("a", float("inf"), MONEY), ("b", 1, MONEY)]
    assert numbers.refused(checks) == {"a": [FINITE_ONLY]}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        ("9223372036854775807", 2**63 - 1),
        ("9223372036854775808", None),
        ("99999999999999999999", None),
        ("0", None),
        ("-3", None),
        ("１２", None),
        ("abc", None),
        ("", None),
        (None, None),
        ("9" * 5000, None),
    ],
)
def test_ids_from_text(raw, expected):
    assert as_id(raw) == expected
    assert int_arg(MultiDict({"id": raw} if raw is not None else {}), "id") == expected


def test_as_id_with_other_bounds():
    assert as_id("0", numbers.INDEX) == 0 and as_id("5", ID) == 5


def test_the_int_converter_is_bounded_to_64_bits(app):
    adapter = app.url_map.bind("localhost")
    assert adapter.match("/needs/9223372036854775807")[1] == {"need_id": 2**63 - 1}
    for huge in ("9223372036854775808", "99999999999999999999", "9" * 5000):
        with pytest.raises(Exception) as raised:
            adapter.match(f"/needs/{huge}")
        assert getattr(raised.value, "code", None) == 404


@pytest.mark.parametrize(
    ("body", "too_deep"),
    [
        (b'{"kpis": [{"target": 1}]}', False),
        (b"[" * 32 + b"]" * 32, False),
        (b"[" * 33 + b"]" * 33, True),
        (b'{"t": "' + b"[" * 100 + b'"}', False),  # brackets inside a string do not count
        (b'{"t": "\\"' + b"{" * 100 + b'"}', False),
        (b"[[[]", True),  # unpaired: refused too
        (b"", False),
    ],
)
def test_json_nesting_depth(body, too_deep):
    assert json_nesting_exceeds(body) is too_deep


def test_a_recursion_error_anywhere_is_a_4xx_not_a_500():
    fresh = create_app(TestConfig)

    @fresh.get("/recurse")
    def _recurse():
        raise RecursionError("maximum recursion depth exceeded")

    response = fresh.test_client().get("/recurse")
    assert response.status_code == 400
    assert "嵌套过深" in response.get_data(as_text=True)
