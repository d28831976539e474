"""Matrix rows of the competitions package (揭榜挂帅 rounds, see matrix.py and the README's
"Who sees what"). The world (world.build_rounds) gives factory A listings in round_a —
listing_review (评审), listing_publicity (公示, objection_a), listing_award (攻关, award_a with
milestone_delivered and milestone_pending) — and listing_open in round_open (揭榜); vendor A leads
application_review (eligible, attachment_application), application_publicity, application_award
(the winner) and the draft application_draft; the matrix's expert is assigned to round_a's
listings.

Public pages are public; an application exists only for its lead (vendor B: 404), organisers and
assigned experts while it is in competition; the award only for the listing's owner, the
winner's team and organisers (404 otherwise); reviews are the experts' (403 for other roles,
404 on a listing they are not assigned to); the console is the organisers' (403).
An action the service refuses (wrong actor past the view's visibility check, or wrong stage)
comes back as a flash message on a redirect — ALLOWED here; tests/competitions check that
nothing changes.
"""

from __future__ import annotations

from .rows import ALLOWED, FORBIDDEN, NOT_FOUND, Row, everyone, only, organisers, signed_in

VENDORS = ("vendor_a", "vendor_b")
_R = "/rounds"
_ROUND = f"{_R}/<int:round_id>"
_LISTING = f"{_R}/listings/<int:listing_id>"
_PUBLICITY = f"{_R}/listings/<int:listing_id>/publicity"
_OBJECT = f"{_R}/listings/<int:listing_id>/objections"
_APPLY = f"{_R}/listings/<int:listing_id>/apply"
_APP = f"{_R}/applications/<int:application_id>"
_APP_FILE = f"{_R}/applications/<int:application_id>/files/<int:attachment_id>"
_EDIT = f"{_R}/applications/<int:application_id>/edit"
_SUBMIT = f"{_R}/applications/<int:application_id>/submit"
_WITHDRAW = f"{_R}/applications/<int:application_id>/withdraw"
_MEMBERSHIP = f"{_R}/applications/<int:application_id>/membership/<answer>"
_REVIEW = f"{_R}/reviews/listings/<int:listing_id>"
_RECUSE = f"{_R}/reviews/listings/<int:listing_id>/recuse"
_SHEET = f"{_R}/reviews/applications/<int:application_id>"
_AWARD = f"{_R}/awards/<int:award_id>"
_MIDTERM = f"{_R}/awards/<int:award_id>/midterm"
_ACCEPTANCE = f"{_R}/awards/<int:award_id>/acceptance"
_EVIDENCE = f"{_R}/milestones/<int:milestone_id>/evidence"
_CONFIRM = f"{_R}/milestones/<int:milestone_id>/confirm"
_RETURN = f"{_R}/milestones/<int:milestone_id>/return"
_MILESTONE_FILE = f"{_R}/milestones/<int:milestone_id>/files/<int:attachment_id>"
_CONSOLE_ROUND = f"{_R}/console/<int:round_id>"
_NEW_LISTING = f"{_R}/console/<int:round_id>/listings/new"
_CONSOLE_LISTING = f"{_R}/console/listings/<int:listing_id>"
_KPIS = f"{_R}/console/listings/<int:listing_id>/kpis"
_ACT = f"{_R}/console/listings/<int:listing_id>/act/<action>"
_CANCEL = f"{_R}/console/listings/<int:listing_id>/cancel"
_ELIGIBILITY = f"{_R}/console/applications/<int:application_id>/eligibility"
_EXPERTS = f"{_R}/console/listings/<int:listing_id>/experts"
_START_PUBLICITY = f"{_R}/console/listings/<int:listing_id>/publicity"
_RESOLVE = f"{_R}/console/objections/<int:objection_id>"
_AWARD_ACT = f"{_R}/console/listings/<int:listing_id>/award"

_REASON = {"reason": "评分标准执行不一致"}
_NOTE = {"note": "已完成", "reason": "利益相关"}


def own(outcome: str = ALLOWED):
    """Vendor A's application: `outcome` for vendor A, 404 for vendor B, 403 for non-vendors."""
    return only(*VENDORS, outcome=outcome) | {"vendor_b": NOT_FOUND}


def seen_by(*roles: str, outcome: str = ALLOWED):
    """Login page for anonymous users, `outcome` for `roles`, 404 for every other role."""
    return signed_in(NOT_FOUND, **dict.fromkeys(roles, outcome))


# Vendor A's application in competition: its lead, the assigned expert and organisers.
APPLICATION_READERS = ("vendor_a", "expert", "organiser")
# The award and its milestones: the winner (vendor A), the listing's owner and organisers.
DELIVERY = ("vendor_a", "factory_a", "organiser")
EXPERTS = ("expert",)

PUBLIC = [
    Row("GET", f"{_R}/", f"{_R}/", everyone()),
    Row("GET", _ROUND, f"{_R}/{{round_a}}", everyone()),
    Row("GET", _ROUND, f"{_R}/{{round_open}}", everyone()),
    Row("GET", _ROUND, f"{_R}/{{missing_id}}", everyone(NOT_FOUND)),
    Row("GET", _LISTING, f"{_R}/listings/{{listing_open}}", everyone()),
    Row("GET", _LISTING, f"{_R}/listings/{{listing_award}}", everyone()),
    # A listing of a summary_only need is public; its KPIs are not (test_disclosure.py).
    Row("GET", _LISTING, f"{_R}/listings/{{listing_summary}}", everyone()),
    Row("GET", _LISTING, f"{_R}/listings/{{missing_id}}", everyone(NOT_FOUND)),
    # 公示 pages exist from 公示 on.
    Row("GET", _PUBLICITY, f"{_R}/listings/{{listing_publicity}}/publicity", everyone()),
    Row("GET", _PUBLICITY, f"{_R}/listings/{{listing_award}}/publicity", everyone()),
    Row("GET", _PUBLICITY, f"{_R}/listings/{{listing_review}}/publicity", everyone(NOT_FOUND)),
    Row("GET", _PUBLICITY, f"{_R}/listings/{{missing_id}}/publicity", everyone(NOT_FOUND)),
    # Any signed-in user may object during 公示.
    Row("POST", _OBJECT, f"{_R}/listings/{{listing_publicity}}/objections", signed_in(), _REASON),
    Row("POST", _OBJECT, f"{_R}/listings/{{listing_open}}/objections", signed_in(), _REASON),
    Row("POST", _OBJECT, f"{_R}/listings/{{missing_id}}/objections", signed_in(NOT_FOUND), _REASON),
]

VENDOR = [
    Row("GET", f"{_R}/mine", f"{_R}/mine", only(*VENDORS)),
    # Vendor A already applied: sent to its application; vendor B gets the form.
    Row("GET", _APPLY, f"{_R}/listings/{{listing_open}}/apply", only(*VENDORS)),
    Row("POST", _APPLY, f"{_R}/listings/{{listing_open}}/apply", only(*VENDORS)),
    Row("GET", _APPLY, f"{_R}/listings/{{missing_id}}/apply", only(*VENDORS, outcome=NOT_FOUND)),
    Row("POST", _APPLY, f"{_R}/listings/{{missing_id}}/apply", only(*VENDORS, outcome=NOT_FOUND)),
    # Who sees an application: drafts are the lead's (and organisers'), experts see the
    # applications of their listings once eligible.
    Row("GET", _APP, f"{_R}/applications/{{application_review}}", seen_by(*APPLICATION_READERS)),
    Row(
        "GET",
        _APP,
        f"{_R}/applications/{{application_draft}}",
        seen_by("vendor_a", "organiser"),
    ),
    Row("GET", _APP, f"{_R}/applications/{{missing_id}}", seen_by()),
    Row(
        "GET",
        _APP_FILE,
        f"{_R}/applications/{{application_review}}/files/{{attachment_application}}",
        seen_by(*APPLICATION_READERS),
    ),
    Row(
        "GET",
        _APP_FILE,
        f"{_R}/applications/{{application_draft}}/files/{{attachment_application}}",
        seen_by(),
    ),
    Row(
        "GET",
        _APP_FILE,
        f"{_R}/applications/{{application_review}}/files/{{attachment_milestone}}",
        seen_by(),
    ),
    Row(
        "GET",
        _APP_FILE,
        f"{_R}/applications/{{application_review}}/files/{{missing_id}}",
        seen_by(),
    ),
    Row(
        "GET",
        _APP_FILE,
        f"{_R}/applications/{{missing_id}}/files/{{attachment_application}}",
        seen_by(),
    ),
    # The lead's own actions (a submitted application's edit page sends back to it).
    Row("GET", _EDIT, f"{_R}/applications/{{application_draft}}/edit", own()),
    Row("POST", _EDIT, f"{_R}/applications/{{application_draft}}/edit", own()),
    Row("GET", _EDIT, f"{_R}/applications/{{application_review}}/edit", own()),
    Row("GET", _EDIT, f"{_R}/applications/{{missing_id}}/edit", own(NOT_FOUND)),
    Row("POST", _EDIT, f"{_R}/applications/{{missing_id}}/edit", own(NOT_FOUND)),
    Row("POST", _SUBMIT, f"{_R}/applications/{{application_draft}}/submit", own()),
    Row("POST", _SUBMIT, f"{_R}/applications/{{missing_id}}/submit", own(NOT_FOUND)),
    Row("POST", _WITHDRAW, f"{_R}/applications/{{application_draft}}/withdraw", own()),
    Row("POST", _WITHDRAW, f"{_R}/applications/{{application_review}}/withdraw", own()),
    Row("POST", _WITHDRAW, f"{_R}/applications/{{missing_id}}/withdraw", own(NOT_FOUND)),
    # Consortium replies: whoever sees the application reaches the service, which refuses
    # anyone but an invited member.
    Row(
        "POST",
        _MEMBERSHIP,
        f"{_R}/applications/{{application_draft}}/membership/accept",
        seen_by("vendor_a", "organiser"),
    ),
    Row(
        "POST",
        _MEMBERSHIP,
        f"{_R}/applications/{{application_review}}/membership/decline",
        seen_by(*APPLICATION_READERS),
    ),
    Row(
        "POST",
        _MEMBERSHIP,
        f"{_R}/applications/{{application_draft}}/membership/maybe",
        seen_by(),
    ),
    Row(
        "POST",
        _MEMBERSHIP,
        f"{_R}/applications/{{missing_id}}/membership/accept",
        seen_by(),
    ),
]

EXPERT = [
    Row("GET", f"{_R}/reviews", f"{_R}/reviews", only(*EXPERTS)),
    Row(
        "POST",
        f"{_R}/reviews/relations",
        f"{_R}/reviews/relations",
        only(*EXPERTS),
        {"credit_code": "91310000000000000X", "note": "曾任顾问"},
    ),
    Row("GET", _REVIEW, f"{_R}/reviews/listings/{{listing_review}}", only(*EXPERTS)),
    Row(
        "GET",
        _REVIEW,
        f"{_R}/reviews/listings/{{listing_open}}",
        only(*EXPERTS, outcome=NOT_FOUND),
    ),
    Row(
        "GET",
        _REVIEW,
        f"{_R}/reviews/listings/{{missing_id}}",
        only(*EXPERTS, outcome=NOT_FOUND),
    ),
    Row("POST", _RECUSE, f"{_R}/reviews/listings/{{listing_review}}/recuse", only(*EXPERTS), _NOTE),
    Row(
        "POST",
        _RECUSE,
        f"{_R}/reviews/listings/{{listing_open}}/recuse",
        only(*EXPERTS, outcome=NOT_FOUND),
        _NOTE,
    ),
    Row(
        "POST",
        _RECUSE,
        f"{_R}/reviews/listings/{{missing_id}}/recuse",
        only(*EXPERTS, outcome=NOT_FOUND),
        _NOTE,
    ),
    Row("GET", _SHEET, f"{_R}/reviews/applications/{{application_review}}", only(*EXPERTS)),
    Row("POST", _SHEET, f"{_R}/reviews/applications/{{application_review}}", only(*EXPERTS)),
    # An application of a listing the expert is not assigned to.
    Row(
        "GET",
        _SHEET,
        f"{_R}/reviews/applications/{{application_draft}}",
        only(*EXPERTS, outcome=NOT_FOUND),
    ),
    Row(
        "POST",
        _SHEET,
        f"{_R}/reviews/applications/{{application_draft}}",
        only(*EXPERTS, outcome=NOT_FOUND),
    ),
    Row(
        "GET",
        _SHEET,
        f"{_R}/reviews/applications/{{missing_id}}",
        only(*EXPERTS, outcome=NOT_FOUND),
    ),
    Row(
        "POST",
        _SHEET,
        f"{_R}/reviews/applications/{{missing_id}}",
        only(*EXPERTS, outcome=NOT_FOUND),
    ),
]

DELIVERY_ROWS = [
    Row("GET", _AWARD, f"{_R}/awards/{{award_a}}", seen_by(*DELIVERY)),
    Row("GET", _AWARD, f"{_R}/awards/{{missing_id}}", seen_by()),
    # Evidence and confirmation: past the visibility check the service decides (the lead
    # delivers, the owner confirms).
    Row(
        "POST",
        _EVIDENCE,
        f"{_R}/milestones/{{milestone_pending}}/evidence",
        seen_by(*DELIVERY) | {"factory_a": FORBIDDEN, "organiser": FORBIDDEN},
        {"note": "已完成"},
    ),
    Row("POST", _EVIDENCE, f"{_R}/milestones/{{missing_id}}/evidence", seen_by(), {"note": "x"}),
    # 退回补充: the listing's owner only; the lead and organisers are refused by the service.
    Row(
        "POST",
        _RETURN,
        f"{_R}/milestones/{{milestone_delivered}}/return",
        seen_by(*DELIVERY) | {"vendor_a": FORBIDDEN, "organiser": FORBIDDEN},
        {"reason": "请补充检测报告"},
    ),
    Row("POST", _RETURN, f"{_R}/milestones/{{missing_id}}/return", seen_by(), {"reason": "x"}),
    Row("POST", _CONFIRM, f"{_R}/milestones/{{milestone_delivered}}/confirm", seen_by(*DELIVERY)),
    Row("POST", _CONFIRM, f"{_R}/milestones/{{missing_id}}/confirm", seen_by()),
    Row(
        "GET",
        _MILESTONE_FILE,
        f"{_R}/milestones/{{milestone_delivered}}/files/{{attachment_milestone}}",
        seen_by(*DELIVERY),
    ),
    Row(
        "GET",
        _MILESTONE_FILE,
        f"{_R}/milestones/{{milestone_pending}}/files/{{attachment_milestone}}",
        seen_by(),
    ),
    Row(
        "GET",
        _MILESTONE_FILE,
        f"{_R}/milestones/{{milestone_delivered}}/files/{{attachment_application}}",
        seen_by(),
    ),
    Row(
        "GET",
        _MILESTONE_FILE,
        f"{_R}/milestones/{{milestone_delivered}}/files/{{missing_id}}",
        seen_by(),
    ),
    Row(
        "GET",
        _MILESTONE_FILE,
        f"{_R}/milestones/{{missing_id}}/files/{{attachment_milestone}}",
        seen_by(),
    ),
    Row(
        "POST",
        _MIDTERM,
        f"{_R}/awards/{{award_a}}/midterm",
        organisers(),
        {"progress": "50", "conclusion": "on_track", "note": "按计划推进"},
    ),
    Row("POST", _MIDTERM, f"{_R}/awards/{{missing_id}}/midterm", organisers(NOT_FOUND)),
    Row("POST", _ACCEPTANCE, f"{_R}/awards/{{award_a}}/acceptance", organisers()),
    Row("POST", _ACCEPTANCE, f"{_R}/awards/{{missing_id}}/acceptance", organisers(NOT_FOUND)),
]

CONSOLE = [
    Row("GET", f"{_R}/console", f"{_R}/console", organisers()),
    Row("GET", f"{_R}/console/new", f"{_R}/console/new", organisers()),
    Row("POST", f"{_R}/console/new", f"{_R}/console/new", organisers()),
    Row("GET", f"{_R}/console/audit", f"{_R}/console/audit", organisers()),
    Row("GET", f"{_R}/console/audit.csv", f"{_R}/console/audit.csv", organisers()),
    Row("GET", _CONSOLE_ROUND, f"{_R}/console/{{round_a}}", organisers()),
    Row("GET", _CONSOLE_ROUND, f"{_R}/console/{{missing_id}}", organisers(NOT_FOUND)),
    Row("GET", _NEW_LISTING, f"{_R}/console/{{round_open}}/listings/new", organisers()),
    Row("POST", _NEW_LISTING, f"{_R}/console/{{round_open}}/listings/new", organisers()),
    Row("GET", _NEW_LISTING, f"{_R}/console/{{missing_id}}/listings/new", organisers(NOT_FOUND)),
    Row("POST", _NEW_LISTING, f"{_R}/console/{{missing_id}}/listings/new", organisers(NOT_FOUND)),
    Row("GET", _CONSOLE_LISTING, f"{_R}/console/listings/{{listing_award}}", organisers()),
    Row("GET", _CONSOLE_LISTING, f"{_R}/console/listings/{{listing_review}}", organisers()),
    Row("GET", _CONSOLE_LISTING, f"{_R}/console/listings/{{missing_id}}", organisers(NOT_FOUND)),
    Row("GET", _KPIS, f"{_R}/console/listings/{{listing_open}}/kpis", organisers()),
    Row("POST", _KPIS, f"{_R}/console/listings/{{listing_open}}/kpis", organisers()),
    Row("GET", _KPIS, f"{_R}/console/listings/{{missing_id}}/kpis", organisers(NOT_FOUND)),
    Row("POST", _KPIS, f"{_R}/console/listings/{{missing_id}}/kpis", organisers(NOT_FOUND)),
    Row(
        "POST",
        _ACT,
        f"{_R}/console/listings/{{listing_open}}/act/close_applications",
        organisers(),
    ),
    Row("POST", _ACT, f"{_R}/console/listings/{{listing_open}}/act/bogus", organisers()),
    Row(
        "POST",
        _ACT,
        f"{_R}/console/listings/{{missing_id}}/act/close_applications",
        organisers(NOT_FOUND),
    ),
    Row("POST", _CANCEL, f"{_R}/console/listings/{{listing_open}}/cancel", organisers(), _REASON),
    Row(
        "POST",
        _CANCEL,
        f"{_R}/console/listings/{{missing_id}}/cancel",
        organisers(NOT_FOUND),
        _REASON,
    ),
    Row(
        "POST",
        _ELIGIBILITY,
        f"{_R}/console/applications/{{application_review}}/eligibility",
        organisers(),
        {"eligible": "0", "note": "资质不符"},
    ),
    Row(
        "POST",
        _ELIGIBILITY,
        f"{_R}/console/applications/{{missing_id}}/eligibility",
        organisers(NOT_FOUND),
        {"eligible": "1"},
    ),
    Row("POST", _EXPERTS, f"{_R}/console/listings/{{listing_open}}/experts", organisers()),
    Row("POST", _EXPERTS, f"{_R}/console/listings/{{missing_id}}/experts", organisers(NOT_FOUND)),
    Row(
        "POST",
        _START_PUBLICITY,
        f"{_R}/console/listings/{{listing_review}}/publicity",
        organisers(),
    ),
    Row(
        "POST",
        _START_PUBLICITY,
        f"{_R}/console/listings/{{missing_id}}/publicity",
        organisers(NOT_FOUND),
    ),
    Row(
        "POST",
        _RESOLVE,
        f"{_R}/console/objections/{{objection_a}}",
        organisers(),
        {"upheld": "0", "note": "评分程序合规"},
    ),
    Row("POST", _RESOLVE, f"{_R}/console/objections/{{missing_id}}", organisers(NOT_FOUND)),
    Row("POST", _AWARD_ACT, f"{_R}/console/listings/{{listing_publicity}}/award", organisers()),
    Row(
        "POST",
        _AWARD_ACT,
        f"{_R}/console/listings/{{missing_id}}/award",
        organisers(NOT_FOUND),
    ),
]

# Printable documents (issue 19 item 4): the 公示 notice is public while 公示 runs; afterwards
# only the listing's factory, the proposed winner and organisers read it; before 公示 it does
# not exist. The 中选通知书 is the award's (DELIVERY); the 验收报告 exists once accepted
# (award_a is still in 攻关: 404 for everyone who may see the award).
_NOTICE = f"{_R}/listings/<int:listing_id>/publicity/notice"
_AWARD_NOTICE = f"{_R}/awards/<int:award_id>/notice"
_REPORT = f"{_R}/awards/<int:award_id>/acceptance-report"
_AFTER = everyone(NOT_FOUND, **dict.fromkeys(DELIVERY, ALLOWED))
DOCUMENTS = [
    row
    for suffix in ("", ".pdf")
    for row in (
        Row(
            "GET",
            _NOTICE + suffix,
            f"{_R}/listings/{{listing_publicity}}/publicity/notice{suffix}",
            everyone(),
        ),
        Row(
            "GET",
            _NOTICE + suffix,
            f"{_R}/listings/{{listing_award}}/publicity/notice{suffix}",
            _AFTER,
        ),
        Row(
            "GET",
            _NOTICE + suffix,
            f"{_R}/listings/{{listing_review}}/publicity/notice{suffix}",
            everyone(NOT_FOUND),
        ),
        Row(
            "GET",
            _NOTICE + suffix,
            f"{_R}/listings/{{missing_id}}/publicity/notice{suffix}",
            everyone(NOT_FOUND),
        ),
        Row(
            "GET",
            _AWARD_NOTICE + suffix,
            f"{_R}/awards/{{award_a}}/notice{suffix}",
            seen_by(*DELIVERY),
        ),
        Row("GET", _AWARD_NOTICE + suffix, f"{_R}/awards/{{missing_id}}/notice{suffix}", seen_by()),
        Row(
            "GET", _REPORT + suffix, f"{_R}/awards/{{award_a}}/acceptance-report{suffix}", seen_by()
        ),
        Row(
            "GET",
            _REPORT + suffix,
            f"{_R}/awards/{{missing_id}}/acceptance-report{suffix}",
            seen_by(),
        ),
    )
]

ROUNDS = [*PUBLIC, *VENDOR, *EXPERT, *DELIVERY_ROWS, *CONSOLE, *DOCUMENTS]
