"""Matrix rows of the matchmaking days (供需对接会, see matrix.py). The world (world.build_matchdays)
gives day_open (registering; factory A and vendor A registered), day_draft (organisers only) and
day_scheduled (today) with meeting_a between factory A and vendor A.

Published and scheduled days are public; drafts are the organisers' (404 for others).
Registration and partner choice are for members of approved factories and vendors (403 for
experts and organisers); an agenda exists only for a registered party (404 otherwise); an
outcome is recorded by a side of the meeting only (404 for anyone else); the console is the
organisers' (403). A refused action comes back as a flash message on a redirect (ALLOWED);
tests/matchdays checks that nothing changed.
"""

from __future__ import annotations

from .rows import ALLOWED, FORBIDDEN, NOT_FOUND, Row, everyone, only, organisers, signed_in

PARTIES = ("factory_a", "factory_b", "vendor_a", "vendor_b")
_DAY = "/matchdays/<int:day_id>"
_REGISTER = "/matchdays/<int:day_id>/register"
_PARTNERS = "/matchdays/<int:day_id>/partners"
_AGENDA = "/matchdays/<int:day_id>/agenda"
_OUTCOME = "/matchdays/meetings/<int:meeting_id>/outcome"
_CONSOLE_DAY = "/matchdays/console/<int:day_id>"
_ACT = "/matchdays/console/<int:day_id>/act/<action>"
_SCHEDULE = "/matchdays/console/<int:day_id>/schedule"
_MEETING = "/matchdays/console/meetings/<int:meeting_id>/<action>"
_CARDS = "/matchdays/console/<int:day_id>/cards"
_SIDES = signed_in(NOT_FOUND, factory_a=ALLOWED, vendor_a=ALLOWED)

MATCHDAYS = [
    Row("GET", "/matchdays/", "/matchdays/", everyone()),
    Row("GET", _DAY, "/matchdays/{day_open}", everyone()),
    Row("GET", _DAY, "/matchdays/{day_scheduled}", everyone()),
    Row("GET", _DAY, "/matchdays/{day_draft}", everyone(NOT_FOUND, organiser=ALLOWED)),
    Row("GET", _DAY, "/matchdays/{missing_id}", everyone(NOT_FOUND)),
    Row("GET", _REGISTER, "/matchdays/{day_open}/register", only(*PARTIES)),
    Row(
        "GET",
        _REGISTER,
        "/matchdays/{day_draft}/register",
        signed_in(NOT_FOUND, organiser=FORBIDDEN),
    ),  # fmt: skip
    Row("GET", _REGISTER, "/matchdays/{missing_id}/register", signed_in(NOT_FOUND)),
    Row(
        "POST",
        _REGISTER,
        "/matchdays/{day_open}/register",
        only(*PARTIES),
        {"items": "{need_public}", "slots": "0"},
    ),  # fmt: skip
    Row("GET", _PARTNERS, "/matchdays/{day_open}/partners", only(*PARTIES)),
    Row("GET", _PARTNERS, "/matchdays/{missing_id}/partners", signed_in(NOT_FOUND)),
    Row(
        "POST",
        _PARTNERS,
        "/matchdays/{missing_id}/partners",
        signed_in(NOT_FOUND),
        {"choice-{org_vendor_a}": "wish"},
    ),  # fmt: skip
    Row(
        "POST",
        _REGISTER,
        "/matchdays/{missing_id}/register",
        signed_in(NOT_FOUND),
        {"items": "{need_public}", "slots": "0"},
    ),  # fmt: skip
    Row(
        "POST",
        _PARTNERS,
        "/matchdays/{day_open}/partners",
        only(*PARTIES),
        {"choice-{org_vendor_a}": "wish"},
    ),  # fmt: skip
    Row("GET", _AGENDA, "/matchdays/{day_scheduled}/agenda", _SIDES),
    Row("GET", _AGENDA, "/matchdays/{missing_id}/agenda", signed_in(NOT_FOUND)),
    Row(
        "POST", _OUTCOME, "/matchdays/meetings/{meeting_a}/outcome", _SIDES, {"outcome": "interest"}
    ),  # fmt: skip
    Row("POST", _OUTCOME, "/matchdays/meetings/{missing_id}/outcome", signed_in(NOT_FOUND)),
    Row("GET", "/matchdays/console", "/matchdays/console", organisers()),
    Row("GET", "/matchdays/console/new", "/matchdays/console/new", organisers()),
    Row(
        "POST",
        "/matchdays/console/new",
        "/matchdays/console/new",
        organisers(),
        {
            "title": "对接会",
            "venue": "会议室",
            "day": "2030-05-01",
            "starts_at": "09:00",
            "slot_minutes": "20",
            "slot_count": "12",
            "tables": "10",
            "registration_closes_at": "2030-04-28T17:00",
        },
    ),  # fmt: skip
    Row("GET", _CONSOLE_DAY, "/matchdays/console/{day_draft}", organisers()),
    Row("GET", _CONSOLE_DAY, "/matchdays/console/{day_scheduled}", organisers()),
    Row("GET", _CONSOLE_DAY, "/matchdays/console/{missing_id}", organisers(NOT_FOUND)),
    Row("POST", _ACT, "/matchdays/console/{day_draft}/act/publish", organisers()),
    Row("POST", _ACT, "/matchdays/console/{day_open}/act/cancel", organisers()),
    Row("POST", _ACT, "/matchdays/console/{missing_id}/act/publish", organisers(NOT_FOUND)),
    Row("POST", _SCHEDULE, "/matchdays/console/{day_open}/schedule", organisers()),
    Row("POST", _SCHEDULE, "/matchdays/console/{missing_id}/schedule", organisers(NOT_FOUND)),
    Row("POST", _MEETING, "/matchdays/console/meetings/{meeting_a}/pin", organisers()),
    Row("POST", _MEETING, "/matchdays/console/meetings/{meeting_a}/remove", organisers()),
    Row("POST", _MEETING, "/matchdays/console/meetings/{missing_id}/pin", organisers(NOT_FOUND)),
    Row("GET", _CARDS, "/matchdays/console/{day_scheduled}/cards", organisers()),
    Row("GET", _CARDS, "/matchdays/console/{missing_id}/cards", organisers(NOT_FOUND)),
]
