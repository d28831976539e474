"""Matrix rows of the need messages (issue 19 item 8; world.build_messages): the thread of
need_messages between factory A and vendor A is theirs alone — 404 for everyone else,
organisers included; vendor B may open its own (empty, not yet engaged) thread page; the
organisers' report queue is theirs (403 for others)."""

from __future__ import annotations

from .rows import ALLOWED, NOT_FOUND, Row, organisers, signed_in

PARTIES = {"factory_a": ALLOWED, "vendor_a": ALLOWED}
_THREADS = "/needs/<int:need_id>/messages"
_THREAD = "/needs/<int:need_id>/messages/<int:vendor_id>"
_REPORT = "/needs/messages/<int:message_id>/report"
_FILE = "/needs/messages/<int:message_id>/files/<int:attachment_id>"
_QUEUE = "/console/message-reports"
_HANDLE = "/console/message-reports/<int:report_id>"
_SEND = {"body": "您好", "token": "matrix-token"}

MESSAGES = [
    # vendor B is sent to its own thread page (it says how to start); others: 404
    Row(
        "GET",
        _THREADS,
        "/needs/{need_messages}/messages",
        signed_in(NOT_FOUND, **PARTIES, vendor_b=ALLOWED),
    ),
    Row("GET", _THREADS, "/needs/{need_draft}/messages", signed_in(NOT_FOUND, factory_a=ALLOWED)),
    Row("GET", _THREADS, "/needs/{missing_id}/messages", signed_in(NOT_FOUND)),
    Row(
        "GET",
        _THREAD,
        "/needs/{need_messages}/messages/{org_vendor_a}",
        signed_in(NOT_FOUND, **PARTIES),
    ),
    Row(
        "POST",
        _THREAD,
        "/needs/{need_messages}/messages/{org_vendor_a}",
        signed_in(NOT_FOUND, **PARTIES),
        _SEND,
    ),
    # vendor B has not engaged: its page explains, its post is refused (403), factory A has no thread
    Row(
        "GET",
        _THREAD,
        "/needs/{need_messages}/messages/{org_vendor_b}",
        signed_in(NOT_FOUND, vendor_b=ALLOWED),
    ),
    Row(
        "POST",
        _THREAD,
        "/needs/{need_messages}/messages/{org_vendor_b}",
        signed_in(NOT_FOUND, vendor_b="403"),
        _SEND,
    ),
    Row("GET", _THREAD, "/needs/{missing_id}/messages/{org_vendor_a}", signed_in(NOT_FOUND)),
    Row(
        "POST",
        _THREAD,
        "/needs/{missing_id}/messages/{org_vendor_a}",
        signed_in(NOT_FOUND),
        _SEND,
    ),
    Row("GET", _FILE, "/needs/messages/{missing_id}/files/{missing_id}", signed_in(NOT_FOUND)),
    # A participant's report: the service refuses vendor A's report of its own message (flash).
    Row(
        "POST",
        _REPORT,
        "/needs/messages/{message_vendor}/report",
        signed_in(NOT_FOUND, **PARTIES),
        {"reason": "广告"},
    ),
    Row(
        "POST",
        _REPORT,
        "/needs/messages/{missing_id}/report",
        signed_in(NOT_FOUND),
        {"reason": "广告"},
    ),
    Row(
        "GET",
        _FILE,
        "/needs/messages/{message_vendor}/files/{attachment_message}",
        signed_in(NOT_FOUND, **PARTIES),
    ),
    Row(
        "GET",
        _FILE,
        "/needs/messages/{message_factory}/files/{attachment_message}",
        signed_in(NOT_FOUND),
    ),
    Row(
        "GET",
        _FILE,
        "/needs/messages/{message_vendor}/files/{attachment_need}",
        signed_in(NOT_FOUND),
    ),
    Row("GET", _QUEUE, _QUEUE, organisers()),
    Row("POST", _HANDLE, "/console/message-reports/{report_a}", organisers(), {"note": "已处理"}),
    Row(
        "POST",
        _HANDLE,
        "/console/message-reports/{missing_id}",
        organisers(NOT_FOUND),
        {"note": "x"},
    ),
]
