"""Matrix rows of 忘记密码, e-mail verification and 账户管理 (issue 19, item 1)."""

from __future__ import annotations

from .rows import ALLOWED, CONFLICT, LOGIN, NOT_FOUND, Row, everyone, organisers, signed_in

_MISMATCH = {"new_password": "amber-lantern-73", "new_password2": "different-words-5"}

RECOVERY = [
    Row("GET", "/password/forgot", "/password/forgot", everyone()),
    # Every caller, any address: back to the login page with the same sentence.
    Row("POST", "/password/forgot", "/password/forgot", everyone(LOGIN), {"email": "x@y.cn"}),
    # The link is the credential: whoever holds it may use it (here with a mistyped second
    # password, so that the row changes nothing: 422).
    Row("GET", "/password/reset/<token>", "/password/reset/{reset_token_a}", everyone()),
    Row(
        "POST", "/password/reset/<token>", "/password/reset/{reset_token_a}", everyone(), _MISMATCH
    ),
    # A bad link sends everyone to 忘记密码 to ask again.
    Row("GET", "/password/reset/<token>", "/password/reset/bad", everyone()),
    Row("POST", "/password/reset/<token>", "/password/reset/bad", everyone(), _MISMATCH),
    # Verifying needs no session (the mail may be opened elsewhere); the answer leads to the
    # login page for visitors and to 我的账户 for signed-in users.
    Row("GET", "/account/verify/<token>", "/account/verify/{verify_token_a}", signed_in()),
    Row("GET", "/account/verify/<token>", "/account/verify/bad", signed_in()),
    Row("POST", "/account/verify", "/account/verify", signed_in()),
    Row("GET", "/console/users", "/console/users?q=a", organisers()),
    Row(
        "POST",
        "/console/users/<int:user_id>/disable",
        "/console/users/{user_factory_b}/disable",
        organisers(),
    ),
    Row(
        "POST",
        "/console/users/<int:user_id>/disable",
        "/console/users/{user_organiser}/disable",
        organisers(CONFLICT),
    ),
    Row(
        "POST",
        "/console/users/<int:user_id>/disable",
        "/console/users/{missing_id}/disable",
        organisers(NOT_FOUND),
    ),
    Row(
        "POST",
        "/console/users/<int:user_id>/enable",
        "/console/users/{user_factory_b}/enable",
        organisers(),
    ),
    Row(
        "POST",
        "/console/users/<int:user_id>/enable",
        "/console/users/{missing_id}/enable",
        organisers(NOT_FOUND),
    ),
]

__all__ = ["ALLOWED", "RECOVERY"]
