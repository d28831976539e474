"""The API answers in the language the client asks for (Accept-Language): Chinese by
default and for zh, English for en; field codes stay the API's own."""

from __future__ import annotations

import pytest

from matchmaker.i18n import accepted_locale
from tests.factories import make_user


def errors(as_user, language: str | None) -> dict:
    caller = as_user(make_user(role="factory_member"))
    if language:
        caller.headers["Accept-Language"] = language
    body = {"title": "x" * 201, "category_id": "abc", "bogus": 1}
    response = caller.post("/api/v1/needs", json=body)
    assert response.status_code == 422
    return response.get_json()["error"]


@pytest.mark.parametrize("language", [None, "zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans"])
def test_validation_messages_in_chinese(as_user, language):
    error = errors(as_user, language)
    fields = error["fields"]
    assert fields["industry_id"] == ["此项为必填项。"]
    assert fields["title"] == ["最多 200 个字符。"]
    assert fields["bogus"] == ["不接受此字段。"]
    assert fields["category_id"] == ["请输入整数。"]
    text = repr(error)
    assert "Field required" not in text and "String should" not in text


def test_validation_messages_in_english(as_user):
    error = errors(as_user, "en-US,en;q=0.9")
    assert error["message"] == "The submitted data is invalid."
    assert error["fields"]["category_id"] == ["Please enter a whole number."]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", "zh_Hans_CN"),
        ("en", "en"),
        ("fr-FR,en;q=0.5", "en"),
        ("en;q=0.2,zh;q=0.8", "zh_Hans_CN"),
        ("en;q=0", "zh_Hans_CN"),
        ("de, *;q=0.1", "zh_Hans_CN"),
        ("en;q=abc", "zh_Hans_CN"),
    ],
)
def test_accept_language_is_matched_by_quality(app_ctx, header, expected):
    assert accepted_locale(header) == expected
