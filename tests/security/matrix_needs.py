"""Matrix rows of the needs package (see matrix.py). The world (world.build_needs) gives factory A
a draft, a submitted need, and published public, summary_only and invited_only needs (vendor A
is invited to the last one); `attachment_need` is a file of the public need.

Others' drafts and unpublished needs do not exist for them (404), organisers don't see drafts;
an action on a need one may see but not act on is 403; an action the status refuses is 409.
"""

from __future__ import annotations

from .rows import (
    ALLOWED,
    CONFLICT,
    FORBIDDEN,
    NOT_FOUND,
    Row,
    everyone,
    only,
    organisers,
    signed_in,
)

_DETAIL = "/needs/<int:need_id>"
_EDIT = "/needs/<int:need_id>/edit"
_FILE = "/needs/<int:need_id>/files/<int:attachment_id>"
_REVIEW = "/needs/<int:need_id>/review/<any(approve, return, reject):action>"
_COMMENT = {"comment": "请补充数据说明"}
_INTEREST = {"message": "我们做过三个同类项目，可现场演示。", "contact": "13800138000"}
FACTORIES = ("factory_a", "factory_b")
VENDORS = {"vendor_a": ALLOWED, "vendor_b": ALLOWED}


def _post(action: str, need: str, expect, data=None) -> Row:
    rule = f"/needs/<int:need_id>/{action}"
    return Row("POST", rule, f"/needs/{{{need}}}/{action}", expect, data or {})


NEEDS = [
    Row("GET", "/needs/", "/needs/", everyone()),
    Row("GET", "/needs/", "/needs/?page=999", everyone(NOT_FOUND)),
    Row("GET", "/needs/mine", "/needs/mine", only(*FACTORIES)),
    Row("GET", "/needs/new", "/needs/new", only(*FACTORIES)),
    Row("GET", "/needs/new", "/needs/new?template={template_code}", only(*FACTORIES)),
    Row("POST", "/needs/new", "/needs/new?template={template_code}", only(*FACTORIES)),
    Row("GET", "/needs/review", "/needs/review", organisers()),
    # Who sees which need (anonymous visitors see the summary of published needs).
    Row("GET", _DETAIL, "/needs/{need_public}", everyone()),
    Row("GET", _DETAIL, "/needs/{need_summary}", everyone()),
    Row("GET", _DETAIL, "/needs/{need_draft}", everyone(NOT_FOUND, factory_a=ALLOWED)),
    Row(
        "GET",
        _DETAIL,
        "/needs/{need_submitted}",
        everyone(NOT_FOUND, factory_a=ALLOWED, organiser=ALLOWED),
    ),
    Row(
        "GET",
        _DETAIL,
        "/needs/{need_invited}",
        everyone(NOT_FOUND, factory_a=ALLOWED, vendor_a=ALLOWED, organiser=ALLOWED),
    ),
    Row("GET", _DETAIL, "/needs/{missing_id}", everyone(NOT_FOUND)),
    # Editing: the owner only, in editable statuses.
    Row("GET", _EDIT, "/needs/{need_public}/edit", signed_in(FORBIDDEN, factory_a=ALLOWED)),
    Row("POST", _EDIT, "/needs/{need_public}/edit", signed_in(FORBIDDEN, factory_a=ALLOWED)),
    Row("GET", _EDIT, "/needs/{need_draft}/edit", signed_in(NOT_FOUND, factory_a=ALLOWED)),
    Row("POST", _EDIT, "/needs/{need_draft}/edit", signed_in(NOT_FOUND, factory_a=ALLOWED)),
    Row(
        "GET",
        _EDIT,
        "/needs/{need_submitted}/edit",
        signed_in(NOT_FOUND, factory_a=CONFLICT, organiser=FORBIDDEN),
    ),
    Row("GET", _EDIT, "/needs/{missing_id}/edit", signed_in(NOT_FOUND)),
    Row("POST", _EDIT, "/needs/{missing_id}/edit", signed_in(NOT_FOUND)),
    # The owner's transitions.
    _post("submit", "need_draft", signed_in(NOT_FOUND, factory_a=ALLOWED)),
    _post("submit", "need_public", signed_in(FORBIDDEN, factory_a=CONFLICT)),
    _post("submit", "missing_id", signed_in(NOT_FOUND)),
    _post("withdraw", "need_public", signed_in(FORBIDDEN, factory_a=ALLOWED)),
    _post(
        "withdraw", "need_submitted", signed_in(NOT_FOUND, factory_a=ALLOWED, organiser=FORBIDDEN)
    ),
    _post("withdraw", "missing_id", signed_in(NOT_FOUND)),
    _post("close", "need_public", signed_in(FORBIDDEN, factory_a=ALLOWED, organiser=ALLOWED)),
    _post(
        "close",
        "need_submitted",
        signed_in(NOT_FOUND, factory_a=CONFLICT, organiser=CONFLICT),
        _COMMENT,
    ),
    _post("close", "missing_id", signed_in(NOT_FOUND), _COMMENT),
    _post(
        "invite",
        "need_invited",
        signed_in(NOT_FOUND, factory_a=ALLOWED, vendor_a=FORBIDDEN, organiser=FORBIDDEN),
        {"vendor": "{vendor_b_name}"},
    ),
    _post("invite", "missing_id", signed_in(NOT_FOUND), {"vendor": "{vendor_b_name}"}),
    # What approved vendors do on published needs.
    _post("nda", "need_summary", signed_in(FORBIDDEN, **VENDORS)),
    _post("nda", "need_public", signed_in(FORBIDDEN, vendor_a=CONFLICT, vendor_b=CONFLICT)),
    _post("nda", "need_draft", signed_in(NOT_FOUND, factory_a=FORBIDDEN)),
    _post("nda", "missing_id", signed_in(NOT_FOUND)),
    _post("follow", "need_public", signed_in(FORBIDDEN, **VENDORS)),
    _post(
        "follow",
        "need_invited",
        signed_in(NOT_FOUND, factory_a=FORBIDDEN, vendor_a=ALLOWED, organiser=FORBIDDEN),
    ),
    _post("follow", "missing_id", signed_in(NOT_FOUND)),
    _post("unfollow", "need_public", signed_in()),
    _post("unfollow", "need_draft", signed_in(NOT_FOUND, factory_a=ALLOWED)),
    _post("unfollow", "missing_id", signed_in(NOT_FOUND)),
    _post("interest", "need_public", signed_in(FORBIDDEN, **VENDORS), _INTEREST),
    # summary_only: no interest before the vendor's organisation accepted the NDA.
    _post("interest", "need_summary", signed_in(FORBIDDEN), _INTEREST),
    _post("interest", "missing_id", signed_in(NOT_FOUND), _INTEREST),
    # The organisers' review.
    Row("POST", _REVIEW, "/needs/{need_submitted}/review/approve", organisers()),
    Row("POST", _REVIEW, "/needs/{need_submitted}/review/return", organisers(), _COMMENT),
    Row("POST", _REVIEW, "/needs/{need_public}/review/reject", organisers(CONFLICT), _COMMENT),
    Row("POST", _REVIEW, "/needs/{need_draft}/review/approve", organisers(NOT_FOUND)),
    Row("POST", _REVIEW, "/needs/{missing_id}/review/approve", organisers(NOT_FOUND)),
    # Files: details need a login; a file of another need, or none, is 404.
    Row(
        "GET",
        _FILE,
        "/needs/{need_public}/files/{attachment_need}",
        signed_in(ALLOWED, anonymous=FORBIDDEN),
    ),
    Row("GET", _FILE, "/needs/{need_summary}/files/{attachment_need}", everyone(NOT_FOUND)),
    Row("GET", _FILE, "/needs/{need_draft}/files/{attachment_need}", everyone(NOT_FOUND)),
    Row("GET", _FILE, "/needs/{need_public}/files/{missing_id}", everyone(NOT_FOUND)),
    Row("GET", _FILE, "/needs/{missing_id}/files/{attachment_need}", everyone(NOT_FOUND)),
]
