"""Matrix rows of 通知公告 (/notices) and 答疑 on listings (see matrix.py; world objects from
world.build_notices_and_questions).

Notices: public ones are everyone's; a draft is the organisers' (404 for everyone else, a
preview for organisers); the console is the organisers' (403). 答疑: approved vendors ask on an
open listing (403 for other roles, 409 once the window has closed); an unanswered question
exists only for its asker's organisation (403: it may not answer) and organisers; an answered
public one can be read by everyone, so other roles get 403, and the organiser a 409 for a
second, different answer.
"""

from __future__ import annotations

from .rows import CONFLICT, FORBIDDEN, NOT_FOUND, Row, everyone, organisers, signed_in

_N = "/notices"
_PAGE = f"{_N}/<int:notice_id>"
_FILE = f"{_N}/<int:notice_id>/files/<int:attachment_id>"
_EDIT = f"{_N}/console/<int:notice_id>/edit"
_WITHDRAW = f"{_N}/console/<int:notice_id>/withdraw"
_DELETE = f"{_N}/console/<int:notice_id>/files/<int:attachment_id>/delete"
_NOTICE = {"title": "安全测试公告", "body": "正文", "mode": "draft", "round_id": "0"}

NOTICES = [
    Row("GET", f"{_N}/", f"{_N}/", everyone()),
    Row("GET", _PAGE, f"{_N}/{{notice_public}}", everyone()),
    Row("GET", _PAGE, f"{_N}/{{notice_draft}}", everyone(NOT_FOUND, organiser="allowed")),
    Row("GET", _PAGE, f"{_N}/{{missing_id}}", everyone(NOT_FOUND)),
    Row("GET", _FILE, f"{_N}/{{notice_public}}/files/{{attachment_notice}}", everyone()),
    Row(
        "GET",
        _FILE,
        f"{_N}/{{notice_draft}}/files/{{attachment_notice}}",
        everyone(NOT_FOUND),
    ),
    Row(
        "GET",
        _FILE,
        f"{_N}/{{notice_public}}/files/{{attachment_application}}",
        everyone(NOT_FOUND),
    ),
    Row("GET", _FILE, f"{_N}/{{notice_public}}/files/{{missing_id}}", everyone(NOT_FOUND)),
    Row("GET", f"{_N}/console", f"{_N}/console", organisers()),
    Row("GET", f"{_N}/console/new", f"{_N}/console/new", organisers()),
    Row("POST", f"{_N}/console/new", f"{_N}/console/new", organisers(), _NOTICE),
    Row("GET", _EDIT, f"{_N}/console/{{notice_draft}}/edit", organisers()),
    Row("POST", _EDIT, f"{_N}/console/{{notice_public}}/edit", organisers(), _NOTICE),
    Row("GET", _EDIT, f"{_N}/console/{{missing_id}}/edit", organisers(NOT_FOUND)),
    Row("POST", _EDIT, f"{_N}/console/{{missing_id}}/edit", organisers(NOT_FOUND), _NOTICE),
    Row("POST", _WITHDRAW, f"{_N}/console/{{notice_public}}/withdraw", organisers()),
    Row("POST", _WITHDRAW, f"{_N}/console/{{missing_id}}/withdraw", organisers(NOT_FOUND)),
    Row(
        "POST",
        _DELETE,
        f"{_N}/console/{{notice_public}}/files/{{attachment_notice}}/delete",
        organisers(),
    ),
    Row(
        "POST",
        _DELETE,
        f"{_N}/console/{{notice_draft}}/files/{{attachment_notice}}/delete",
        organisers(NOT_FOUND),
    ),
    Row(
        "POST",
        _DELETE,
        f"{_N}/console/{{missing_id}}/files/{{attachment_notice}}/delete",
        organisers(NOT_FOUND),
    ),
]

_R = "/rounds"
_ASK = f"{_R}/listings/<int:listing_id>/questions"
_ANSWER = f"{_R}/questions/<int:question_id>/answer"
_QA = f"{_R}/console/listings/<int:listing_id>/qa"
_QUESTION = {"body": "能否提供现场网络拓扑？"}
_REPLY = {"answer": "可以，签署保密承诺后提供。"}
_VENDORS_ASK = {"vendor_a": "allowed", "vendor_b": "allowed"}

QUESTIONS = [
    Row(
        "POST",
        _ASK,
        f"{_R}/listings/{{listing_open}}/questions",
        signed_in(FORBIDDEN, **_VENDORS_ASK),
        _QUESTION,
    ),
    Row(
        "POST",
        _ASK,
        f"{_R}/listings/{{listing_review}}/questions",
        signed_in(FORBIDDEN, vendor_a=CONFLICT, vendor_b=CONFLICT),
        _QUESTION,
    ),
    Row("POST", _ASK, f"{_R}/listings/{{missing_id}}/questions", signed_in(NOT_FOUND), _QUESTION),
    Row(
        "POST",
        _ANSWER,
        f"{_R}/questions/{{question_open}}/answer",
        signed_in(NOT_FOUND, vendor_b=FORBIDDEN, organiser="allowed"),
        _REPLY,
    ),
    Row(
        "POST",
        _ANSWER,
        f"{_R}/questions/{{question_answered}}/answer",
        signed_in(FORBIDDEN, organiser=CONFLICT),
        _REPLY,
    ),
    Row("POST", _ANSWER, f"{_R}/questions/{{missing_id}}/answer", signed_in(NOT_FOUND), _REPLY),
    Row(
        "POST",
        _QA,
        f"{_R}/console/listings/{{listing_open}}/qa",
        organisers(),
        {"factory_answers": "y"},
    ),
    Row("POST", _QA, f"{_R}/console/listings/{{missing_id}}/qa", organisers(NOT_FOUND)),
]
