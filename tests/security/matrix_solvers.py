"""Matrix rows of the solvers package (see matrix.py). The world (world.build_offerings) gives
vendor A a draft (with `attachment_offering_draft`), a submitted and a published offering (with
`attachment_offering`).

Unpublished offerings exist only for their vendor and organisers (404 for everyone else);
vendor pages need a vendor member (403 otherwise), and another vendor's offering is 404.
"""

from __future__ import annotations

from .rows import ALLOWED, CONFLICT, NOT_FOUND, Row, everyone, only, organisers

VENDORS = ("vendor_a", "vendor_b")
_OFFERING = "/solutions/<int:offering_id>"
_FILE = "/solutions/<int:offering_id>/files/<int:attachment_id>"
_EDIT = "/vendor/offerings/<int:offering_id>/edit"
_DELETE = "/vendor/offerings/<int:offering_id>/files/<int:attachment_id>/delete"
_REVIEW = "/console/offerings/<int:offering_id>/<action>"
_COMMENT = {"comment": "请补充案例"}


def own(outcome: str = ALLOWED, other_vendor: str = NOT_FOUND):
    """Vendor A's own offering: `outcome` for vendor A, 404 for vendor B, 403 for non-vendors."""
    return only(*VENDORS, outcome=outcome) | {"vendor_b": other_vendor}


def _vendor_post(action: str, offering: str, expect) -> Row:
    rule = f"/vendor/offerings/<int:offering_id>/{action}"
    return Row("POST", rule, f"/vendor/offerings/{{{offering}}}/{action}", expect)


SOLVERS = [
    Row("GET", "/solutions/", "/solutions/", everyone()),
    Row("GET", _OFFERING, "/solutions/{offering_published}", everyone()),
    Row(
        "GET",
        _OFFERING,
        "/solutions/{offering_draft}",
        everyone(NOT_FOUND, vendor_a=ALLOWED, organiser=ALLOWED),
    ),
    Row(
        "GET",
        _OFFERING,
        "/solutions/{offering_submitted}",
        everyone(NOT_FOUND, vendor_a=ALLOWED, organiser=ALLOWED),
    ),
    Row("GET", _OFFERING, "/solutions/{missing_id}", everyone(NOT_FOUND)),
    Row("GET", _FILE, "/solutions/{offering_published}/files/{attachment_offering}", everyone()),
    Row(
        "GET",
        _FILE,
        "/solutions/{offering_draft}/files/{attachment_offering_draft}",
        everyone(NOT_FOUND, vendor_a=ALLOWED, organiser=ALLOWED),
    ),
    # A file of another offering through a published one: 404.
    Row(
        "GET",
        _FILE,
        "/solutions/{offering_published}/files/{attachment_offering_draft}",
        everyone(NOT_FOUND),
    ),
    Row("GET", _FILE, "/solutions/{offering_published}/files/{missing_id}", everyone(NOT_FOUND)),
    Row("GET", "/vendors/", "/vendors/", everyone()),
    Row("GET", "/vendors/<int:org_id>", "/vendors/{org_vendor_a}", everyone()),
    Row("GET", "/vendors/<int:org_id>", "/vendors/{org_factory_a}", everyone(NOT_FOUND)),
    Row("GET", "/vendors/<int:org_id>", "/vendors/{missing_id}", everyone(NOT_FOUND)),
    # The vendor's own pages.
    Row("GET", "/vendor/profile", "/vendor/profile", only(*VENDORS)),
    Row("GET", "/vendor/profile/edit", "/vendor/profile/edit", only(*VENDORS)),
    Row("POST", "/vendor/profile/edit", "/vendor/profile/edit", only(*VENDORS)),
    Row("GET", "/vendor/offerings", "/vendor/offerings", only(*VENDORS)),
    Row("GET", "/vendor/offerings/new", "/vendor/offerings/new", only(*VENDORS)),
    Row("POST", "/vendor/offerings/new", "/vendor/offerings/new", only(*VENDORS)),
    Row("GET", _EDIT, "/vendor/offerings/{offering_draft}/edit", own()),
    Row("POST", _EDIT, "/vendor/offerings/{offering_draft}/edit", own()),
    Row("GET", _EDIT, "/vendor/offerings/{missing_id}/edit", own(NOT_FOUND)),
    Row("POST", _EDIT, "/vendor/offerings/{missing_id}/edit", own(NOT_FOUND)),
    Row(
        "POST",
        _DELETE,
        "/vendor/offerings/{offering_draft}/files/{attachment_offering_draft}/delete",
        own(),
    ),
    Row(
        "POST",
        _DELETE,
        "/vendor/offerings/{offering_published}/files/{attachment_offering}/delete",
        own(CONFLICT),
    ),
    Row(
        "POST",
        _DELETE,
        "/vendor/offerings/{offering_draft}/files/{attachment_offering}/delete",
        own(NOT_FOUND),
    ),
    Row(
        "POST",
        _DELETE,
        "/vendor/offerings/{missing_id}/files/{attachment_offering}/delete",
        own(NOT_FOUND),
    ),
    _vendor_post("submit", "offering_draft", own()),
    _vendor_post("submit", "offering_published", own(CONFLICT)),
    _vendor_post("submit", "missing_id", own(NOT_FOUND)),
    _vendor_post("retire", "offering_published", own()),
    _vendor_post("retire", "missing_id", own(NOT_FOUND)),
    # The organisers' review.
    Row("GET", "/console/offerings/", "/console/offerings/", organisers()),
    Row(
        "GET",
        "/console/offerings/<int:offering_id>",
        "/console/offerings/{offering_submitted}",
        organisers(),
    ),
    Row(
        "GET",
        "/console/offerings/<int:offering_id>",
        "/console/offerings/{missing_id}",
        organisers(NOT_FOUND),
    ),
    Row("POST", _REVIEW, "/console/offerings/{offering_submitted}/approve", organisers()),
    Row("POST", _REVIEW, "/console/offerings/{offering_submitted}/return", organisers(), _COMMENT),
    Row("POST", _REVIEW, "/console/offerings/{offering_draft}/approve", organisers(CONFLICT)),
    Row("POST", _REVIEW, "/console/offerings/{offering_submitted}/bogus", organisers(NOT_FOUND)),
    Row("POST", _REVIEW, "/console/offerings/{missing_id}/approve", organisers(NOT_FOUND)),
]
