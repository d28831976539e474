"""Matrix rows of the organiser console (dashboard): every page is the organisers' (403 for
every other role, login page for anonymous users). An export name outside the rule is 404. A survey preview exists only in the session
that uploaded it, so an unknown token is 404 even for organisers; the upload POST without a
file re-shows the form (422, allowed), and so does a merge without a chosen primary need."""

from __future__ import annotations

from .rows import CONFLICT, NOT_FOUND, Row, everyone, organisers

_EXPORT = "/console/exports/<any(needs, offerings, applications, audit):name>.<any(csv, xlsx):fmt>"
_PREVIEW = "/console/import/<token>"
_UNKNOWN_TOKEN = "/console/import/" + "0" * 32
_RETRY_JOB = "/console/jobs/failures/<int:failure_id>/retry"
_RETRY_MAIL = "/console/jobs/mails/<int:mail_id>/retry"

DASHBOARD = [
    Row("GET", "/console", "/console", organisers()),
    Row("GET", "/console/exports", "/console/exports", organisers()),
    Row("GET", "/console/drafts", "/console/drafts", organisers()),
    # factory A's own draft is not an organisers' draft: handing it over is refused (409)
    Row(
        "POST",
        "/console/drafts/<int:need_id>/hand-over",
        "/console/drafts/{need_draft}/hand-over",
        organisers(CONFLICT),
    ),
    Row(
        "POST",
        "/console/drafts/<int:need_id>/hand-over",
        "/console/drafts/{missing_id}/hand-over",
        organisers(NOT_FOUND),
    ),
    Row("GET", "/console/duplicates", "/console/duplicates", organisers()),
    # without a chosen primary the page is re-shown with the error (422)
    Row("POST", "/console/duplicates/merge", "/console/duplicates/merge", organisers()),
    Row("GET", "/console/gaps", "/console/gaps?sort=offerings&order=asc", organisers()),
    # every table in both formats is the organisers' (what is in them: test_disclosure.py)
    *[
        Row("GET", _EXPORT, f"/console/exports/{name}.{fmt}", organisers())
        for name in ("needs", "offerings", "applications", "audit")
        for fmt in ("csv", "xlsx")
    ],
    Row("GET", _EXPORT, "/console/exports/needs.json", everyone(NOT_FOUND)),  # no such format
    Row("GET", _EXPORT, "/console/exports/users.csv", everyone(NOT_FOUND)),  # no such route
    Row("GET", "/console/import/template.xlsx", "/console/import/template.xlsx", organisers()),
    Row("GET", "/console/import", "/console/import", organisers()),
    Row("POST", "/console/import", "/console/import", organisers()),
    Row("GET", _PREVIEW, _UNKNOWN_TOKEN, organisers(NOT_FOUND)),
    Row("POST", _PREVIEW, _UNKNOWN_TOKEN, organisers(NOT_FOUND), {"confirm": "1"}),
    # the job queue: retrying is idempotent (a second POST redirects with "already queued")
    Row("GET", "/console/jobs", "/console/jobs", organisers()),
    Row("POST", _RETRY_JOB, "/console/jobs/failures/{job_failure}/retry", organisers()),
    Row("POST", _RETRY_JOB, "/console/jobs/failures/{missing_id}/retry", organisers(NOT_FOUND)),
    Row("POST", _RETRY_MAIL, "/console/jobs/mails/{failed_mail}/retry", organisers()),
    Row("POST", _RETRY_MAIL, "/console/jobs/mails/{missing_id}/retry", organisers(NOT_FOUND)),
]
