"""The `/api/v1` blueprint, its bearer-token authentication and its JSON helpers.

Authentication is by `Authorization: Bearer <token>` only (personal access tokens, see
`matchmaker.accounts.tokens`); the session cookie is never read here, so a cross-site request
cannot act as the browser's user and CSRF protection does not apply (the blueprint is
exempted from it in `matchmaker.api.init_app`). Without a header the caller is anonymous and
sees what an anonymous visitor of the pages sees; a header that names no live token of an
active, approved user answers 401.
"""

from __future__ import annotations

import hashlib
import math
import re

from flask import abort, current_app, g, jsonify, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel

from ..accounts.models import AnonymousUser
from ..accounts.tokens import user_for_secret
from ..errors import DomainError, NotFound, ValidationFailed
from ..extensions import limiter
from ..i18n import is_english
from ..numbers import fmt
from .schemas import ErrorBody

ERRORS = {status: ErrorBody for status in (400, 401, 403, 404, 409, 422, 429)}


class Unauthorised(DomainError):
    status = 401
    code = "unauthorised"


api = APIBlueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    # Every operation accepts a token; those that need one answer 401 without it.
    abp_security=[{"bearer": []}, {}],
    abp_responses=ERRORS,
    operation_id_callback=lambda *, name="", **_ignored: name.rstrip("_"),
)

TAGS = {
    name: Tag(name=name, description=description)
    for name, description in (
        ("taxonomy", "Industries, scenario categories and the demand-scenario templates"),
        ("needs", "Factories' needs (发榜): the listing hall, drafts, submission"),
        ("offerings", "Vendors' solution offerings"),
        ("matching", "Matches both ways and free-text search"),
        ("rounds", "揭榜挂帅 rounds, listings and applications"),
    )
}


API_RATE_LIMIT = "120/minute"  # per token, or per client address without one
# A ceiling per client address whatever the tokens: made-up tokens buy no fresh budget.
API_ADDRESS_LIMIT = "600/minute"


def _limit() -> str:
    return current_app.config.get("API_RATE_LIMIT", API_RATE_LIMIT)


def _address_limit() -> str:
    return current_app.config.get("API_ADDRESS_LIMIT", API_ADDRESS_LIMIT)


def bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    if not header:
        return None
    return secret.strip() if scheme.lower() == "bearer" else ""


MAX_JSON_DEPTH = 32  # the deepest request body is a need's KPI row: three levels
MAX_JSON_BYTES = 2 * 1024 * 1024  # a need at its longest is ~100 KB of UTF-8
# A string runs to its closing quote or to the end (possessive: linear on any input).
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.?)*+(?:"|\Z)')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def json_nesting_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text nests arrays/objects deeper than `limit` (or its brackets do not
    pair up). Strings are dropped, then the innermost pairs are peeled `limit` times: linear
    byte operations only, so a deep body is refused before the recursive parser sees it."""
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    if brackets.count(b"[") != brackets.count(b"]") or brackets.count(b"{") != brackets.count(b"}"):
        return True
    for _level in range(limit):
        if not brackets:
            return False
        brackets = brackets.replace(b"[]", b"").replace(b"{}", b"")
    return bool(brackets)


@api.before_request
def _refuse_deep_json() -> None:
    if not request.is_json:
        return
    if (request.content_length or 0) > MAX_JSON_BYTES:
        abort(413)
    body = request.get_data(cache=True)
    if len(body) > MAX_JSON_BYTES:
        abort(413)
    if json_nesting_exceeds(body):
        raise ValidationFailed(
            _("JSON 嵌套过深（最多 %(n)s 层）或括号不成对。", n=MAX_JSON_DEPTH),
            fields={"body": [_("JSON 嵌套过深。")]},
        )


@api.before_request
def _authenticate() -> None:
    secret = bearer_secret()
    if secret is None:
        g.api_user = AnonymousUser()
        return
    user = user_for_secret(secret) if secret else None
    if user is None:
        raise Unauthorised(_("API 令牌无效、已撤销或已过期。"))
    g.api_user = user


def actor():
    """The caller: the token's user, or the anonymous user."""
    return g.api_user


def signed_in_actor():
    user = g.api_user
    if not user.is_authenticated:
        raise Unauthorised(_("请在 Authorization 请求头中提供 API 令牌。"))
    return user


def rate_limit_key() -> str:
    """Per token when one is sent (its hash: no database access), else per client address."""
    secret = bearer_secret()
    if secret:
        return "token:" + hashlib.sha256(secret.encode()).hexdigest()[:32]
    return "ip:" + get_remote_address()


limiter.limit(_limit, key_func=rate_limit_key)(api)
limiter.limit(_address_limit, key_func=lambda: "address:" + get_remote_address())(api)


FIELD_MESSAGES = {  # pydantic's error types, in the request's language (Accept-Language)
    "missing": lambda ctx: _("此项为必填项。"),
    "extra_forbidden": lambda ctx: _("不接受此字段。"),
    "finite_number": lambda ctx: _("请输入数字（不接受 NaN 或无穷大）。"),
    "greater_than_equal": lambda ctx: _("不能小于 %(n)s。", n=_bound(ctx, "ge")),
    "less_than_equal": lambda ctx: _("不能大于 %(n)s。", n=_bound(ctx, "le")),
    "greater_than": lambda ctx: _("应大于 %(n)s。", n=_bound(ctx, "gt")),
    "less_than": lambda ctx: _("应小于 %(n)s。", n=_bound(ctx, "lt")),
    "int_parsing": lambda ctx: _("请输入整数。"),
    "int_from_float": lambda ctx: _("请输入整数。"),
    "int_type": lambda ctx: _("请输入整数。"),
    "float_parsing": lambda ctx: _("请输入数字。"),
    "float_type": lambda ctx: _("请输入数字。"),
    "bool_parsing": lambda ctx: _("请输入 true 或 false。"),
    "bool_type": lambda ctx: _("请输入 true 或 false。"),
    "string_type": lambda ctx: _("请输入文字。"),
    "string_too_long": lambda ctx: _("最多 %(n)s 个字符。", n=ctx.get("max_length")),
    "string_too_short": lambda ctx: _("至少 %(n)s 个字符。", n=ctx.get("min_length")),
    "string_pattern_mismatch": lambda ctx: _("含有不允许的字符。"),
    "too_long": lambda ctx: _("最多 %(n)s 项。", n=ctx.get("max_length")),
    "too_short": lambda ctx: _("至少 %(n)s 项。", n=ctx.get("min_length")),
    "list_type": lambda ctx: _("请提供一个列表。"),
    "dict_type": lambda ctx: _("请提供一个对象。"),
    "model_type": lambda ctx: _("请提供一个对象。"),
    "model_attributes_type": lambda ctx: _("请提供一个对象。"),
    "literal_error": lambda ctx: _("请从以下取值中选择：%(options)s。", options=_options(ctx)),
    "enum": lambda ctx: _("请从以下取值中选择：%(options)s。", options=_options(ctx)),
    "date_parsing": lambda ctx: _("请输入日期（YYYY-MM-DD）。"),
    "date_from_datetime_parsing": lambda ctx: _("请输入日期（YYYY-MM-DD）。"),
    "date_type": lambda ctx: _("请输入日期（YYYY-MM-DD）。"),
    "json_invalid": lambda ctx: _("请求体不是有效的 JSON。"),
    "json_type": lambda ctx: _("请求体不是有效的 JSON。"),
}


def _options(ctx: dict) -> str:
    """pydantic's "'a', 'b' or 'c'" as "'a', 'b', 'c'" (the codes themselves are the API's)."""
    return str(ctx.get("expected", "")).replace(" or ", ", ")


def _bound(ctx: dict, key: str) -> str:
    value = ctx.get(key)
    return fmt(value) if isinstance(value, int | float) else str(value)


def field_message(item: dict) -> str:
    """A pydantic error in the request's language; a kind we have no words for yet says
    that the value is not valid (pydantic's English only when the request asks for English)."""
    make = FIELD_MESSAGES.get(item["type"])
    if make is not None:
        return make(item.get("ctx") or {})
    if is_english():
        return item["msg"]
    return _("取值无效。")


def respond(model: BaseModel, status: int = 200):
    return jsonify(model.model_dump(mode="json")), status


def page_meta(page: int, per_page: int, total: int) -> dict:
    """Paging fields with links that keep the request's other query arguments."""
    pages = max(1, math.ceil(total / per_page))
    if page > pages:
        raise NotFound(_("页码超出范围（共 %(n)s 页）。", n=pages))
    args = request.args.to_dict()

    def link(number: int) -> str:
        return url_for(request.endpoint, **{**args, **(request.view_args or {}), "page": number})

    links = {
        "self": link(page),
        "first": link(1),
        "last": link(pages),
        "next": link(page + 1) if page < pages else None,
        "prev": link(page - 1) if page > 1 else None,
    }
    return {"page": page, "per_page": per_page, "total": total, "pages": pages, "links": links}
