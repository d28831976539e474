"""Domain errors and how they reach the user.

Services raise these; the handlers registered here turn them (and HTTP errors) into an
HTML page in the UI language, or into `{"error": {"code", "message", "fields"}}` under `/api/`.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

SENTENCE_ENDS = "。；;.，, "


def join_sentences(messages) -> str:
    """Several messages as one text: "A。", "B。" → "A；B。" (never "。；"); repeats dropped."""
    parts: list[str] = []
    for message in messages:
        part = str(message or "").strip().rstrip(SENTENCE_ENDS)
        if part and part not in parts:
            parts.append(part)
    if not parts:
        return ""
    text = "；".join(parts)
    return text if text[-1] in "！？!?" else text + "。"


class DomainError(Exception):
    status = 400
    code = "bad_request"
    default_message = _l("请求无效。")

    def __init__(self, message: str | None = None, fields: dict[str, list[str]] | None = None):
        super().__init__(message or str(self.default_message))
        self.message = message or str(self.default_message)
        self.fields = fields or {}

    @property
    def summary(self) -> str:
        """Every field's messages as one text (for a flash message), else the message."""
        return join_sentences(m for ms in self.fields.values() for m in ms) or self.message


class NotAllowed(DomainError):
    status = 403
    code = "forbidden"
    default_message = _l("您没有执行此操作的权限。")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _l("未找到该内容。")


class InvalidTransition(DomainError):
    status = 409
    code = "invalid_transition"
    default_message = _l("当前状态下不能执行此操作。")


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"
    default_message = _l("提交的内容有误，请检查后重试。")


HTTP_MESSAGES = {
    400: _l("请求无效。"),
    401: _l("请先登录。"),
    403: _l("您没有访问此页面的权限。"),
    404: _l("您要找的页面不存在或已被删除，请检查链接。"),
    405: _l("不支持该请求方法。"),
    409: _l("操作与当前状态冲突。"),
    413: _l("上传的文件过大。"),
    422: _l("提交的内容有误。"),
    429: _l("请求过于频繁，请稍后再试。"),
    500: _l("服务器内部错误，我们已记录此问题。"),
}


TOO_DEEP = _l("请求内容嵌套过深。")

# The heading of an error page (and its tab title): what happened, in words, never the bare code.
HTTP_TITLES = {
    400: _l("请求有误"),
    401: _l("需要登录"),
    403: _l("没有权限"),
    404: _l("页面不存在"),
    405: _l("不支持此操作"),
    409: _l("状态已变化"),
    413: _l("文件太大"),
    422: _l("内容有误"),
    429: _l("操作太频繁"),
    500: _l("系统出错了"),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    if wants_json():
        body = {"error": {"code": code, "message": message, "fields": fields or {}}}
        return jsonify(body), status
    title = HTTP_TITLES.get(status) or (HTTP_TITLES[500] if status >= 500 else HTTP_TITLES[400])
    page = render_template("errors/page.html", status=status, title=title, message=message)
    return page, status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(err: DomainError):
        return error_response(err.status, err.code, err.message, err.fields)

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        status = err.code or 500
        message = str(HTTP_MESSAGES.get(status, err.description or err.name))
        code = (err.name or "error").lower().replace(" ", "_")
        response = error_response(status, code, message)
        if status == 429 and err.get_response() is not None:
            retry = err.get_response().headers.get("Retry-After")
            if retry:
                resp, st = response
                resp = app.make_response((resp, st))
                resp.headers["Retry-After"] = retry
                return resp
        return response

    @app.errorhandler(RecursionError)
    def _too_deep(err: RecursionError):
        # A body nested too deeply for a recursive parser or validator (the API refuses
        # deep JSON before parsing; this is the net under every other entry point).
        app.logger.warning("Request refused, nested too deeply: %s", request.path)
        return error_response(400, "too_deep", str(TOO_DEEP))

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        app.logger.exception("Unhandled error: %s", err)
        return error_response(500, "internal_error", str(HTTP_MESSAGES[500]))
