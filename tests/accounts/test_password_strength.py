"""Weak passwords are refused with a Chinese reason: common ones (12345678, password,
woaini1314), easily guessed ones (zxcvbn score < 3), ones built from the user's own
details; at registration, password change and `flask users create-*` (issue 15, item 8d).
The test and demo passwords are strong enough to pass the same rule."""

from __future__ import annotations

import pytest

from matchmaker.accounts import services
from matchmaker.accounts.strength import password_error
from matchmaker.demo.cli import DEFAULT_PASSWORD as DEMO_PASSWORD
from matchmaker.errors import ValidationFailed
from tests.accounts.test_accounts_views import form_data
from tests.factories import DEFAULT_PASSWORD, login, make_user

pytestmark = pytest.mark.usefixtures("app_ctx")

WEAK = {
    "12345678": "常见密码",
    "password": "常见密码",
    "woaini1314": "常见密码",
    "qwertyuiop": "最常见的一百个密码",
    "Password123": "常见密码",
    "abcdefgh12": "顺序字符",
    "aaaaaaaaaaaa": "重复字符",
}


@pytest.mark.parametrize(("password", "why"), WEAK.items())
def test_weak_passwords_are_refused_with_a_reason(password, why):
    error = password_error(password)
    assert error is not None and why in error


def test_a_password_made_of_the_users_own_details_is_refused():
    error = password_error("chen.yi@example.com", ["chen.yi@example.com", "陈一"])
    assert error is not None and "邮箱、姓名或机构名称" in error


@pytest.mark.parametrize(
    "password", [DEFAULT_PASSWORD, DEMO_PASSWORD, "long-enough-1", "violet-harbour-42"]
)
def test_test_and_demo_passwords_pass(password):
    assert password_error(password, ["someone@example.com"]) is None


@pytest.mark.parametrize("password", ["12345678", "password"])
def test_registration_refuses_a_weak_password_and_keeps_the_input(client, password):
    data = form_data(password=password, password2=password)
    response = client.post("/register", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "常见密码" in html and 'value="佛山市某五金制品有限公司"' in html


def test_a_weak_password_is_named_beside_the_form_s_other_errors(client):
    """One round trip says everything: the password's reason comes with a bad credit code."""
    data = form_data(password="12345678", password2="12345678", credit_code="91330604000000001X")
    response = client.post("/register", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "常见密码" in html and "校验位" in html


def test_password_change_refuses_a_weak_password(client):
    user = make_user()
    login(client, user.email)
    form = {"current_password": DEFAULT_PASSWORD, "new_password": "12345678"}
    response = client.post("/account/password", data={**form, "new_password2": "12345678"})
    assert response.status_code == 422 and "常见密码" in response.get_data(as_text=True)
    with pytest.raises(ValidationFailed) as err:
        services.change_password(user, DEFAULT_PASSWORD, "password")
    assert "常见密码" in err.value.fields["new_password"][0]


def test_cli_refuses_a_weak_password(runner):
    args = ["users", "create-expert", "--email", "w@example.com", "--name", "王专家"]
    result = runner.invoke(args=[*args, "--password", "password123"])
    assert result.exit_code == 1 and "常见密码" in result.output
