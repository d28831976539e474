"""Matrix rows of 整改/复验 (on award_a, with the world's rectification_a) and of the 场景券台账."""

from __future__ import annotations

from .rows import (
    ALLOWED,
    CONFLICT,
    FORBIDDEN,
    NOT_FOUND,
    UNAUTHORISED,
    Row,
    organisers,
    signed_in,
)

_R = "/rounds"
_GRANT = f"{_R}/awards/<int:award_id>/rectification"
_REPORT = f"{_R}/rectifications/<int:rectification_id>/report"
_FIX_FILE = f"{_R}/rectifications/<int:rectification_id>/files/<int:attachment_id>"
_PAYMENT = "/vouchers/awards/<int:award_id>/payments"
_EXPORT = "/vouchers/ledger.<any(csv, xlsx):fmt>"
_REVERSE = "/vouchers/payments/<int:payment_id>/reverse"

DELIVERY = ("vendor_a", "factory_a", "organiser")


def seen_by(*roles: str, **overrides: str):
    """Login for anonymous users, ALLOWED for `roles`, 404 for every other role (ids of an
    award one may not see are not confirmed), then `overrides`."""
    return {**signed_in(NOT_FOUND, **dict.fromkeys(roles, ALLOWED)), **overrides}


# Factories' members see their own lines, organisers all; vendors and experts have none.
LEDGER_READERS = signed_in(FORBIDDEN, factory_a=ALLOWED, factory_b=ALLOWED, organiser=ALLOWED)

RECTIFICATION = [
    # award_a is in 攻关 without a failed 验收: the organiser's grant is "not now".
    Row(
        "POST",
        _GRANT,
        f"{_R}/awards/{{award_a}}/rectification",
        organisers(CONFLICT),
        {"days": "30", "findings": "漏检率未达标"},
    ),
    Row("POST", _GRANT, f"{_R}/awards/{{missing_id}}/rectification", organisers(NOT_FOUND)),
    # Past the visibility check the service decides: only the winner (vendor A) reports.
    Row(
        "POST",
        _REPORT,
        f"{_R}/rectifications/{{rectification_a}}/report",
        seen_by(*DELIVERY, factory_a=FORBIDDEN, organiser=FORBIDDEN),
        {"note": "已补充夜班样本并重新训练"},
    ),
    Row("POST", _REPORT, f"{_R}/rectifications/{{missing_id}}/report", seen_by(), {"note": "x"}),
    Row(
        "GET",
        _FIX_FILE,
        f"{_R}/rectifications/{{rectification_a}}/files/{{attachment_rectification}}",
        seen_by(*DELIVERY),
    ),
    Row(
        "GET",
        _FIX_FILE,
        f"{_R}/rectifications/{{rectification_a}}/files/{{attachment_milestone}}",
        seen_by(),
    ),
    Row(
        "GET",
        _FIX_FILE,
        f"{_R}/rectifications/{{rectification_a}}/files/{{missing_id}}",
        seen_by(),
    ),
    Row(
        "GET",
        _FIX_FILE,
        f"{_R}/rectifications/{{missing_id}}/files/{{attachment_rectification}}",
        seen_by(),
    ),
]

LEDGER = [
    Row("GET", "/vouchers/", "/vouchers/", LEDGER_READERS),
    Row("GET", _EXPORT, "/vouchers/ledger.csv", LEDGER_READERS),
    Row("GET", _EXPORT, "/vouchers/ledger.xlsx?year=2025", LEDGER_READERS),
    # award_a's voucher awaits 验收: a payment is "not now".
    Row(
        "POST",
        _PAYMENT,
        "/vouchers/awards/{award_a}/payments",
        organisers(CONFLICT),
        {"amount": "10", "paid_on": "2025-01-01", "reference": "PAY-0001"},
    ),
    Row("POST", _PAYMENT, "/vouchers/awards/{missing_id}/payments", organisers(NOT_FOUND)),
    # 冲销: organisers only (403 before the id is looked at), 404 for a payment that is not there.
    Row(
        "POST",
        _REVERSE,
        "/vouchers/payments/{missing_id}/reverse",
        organisers(NOT_FOUND),
        {"reason": "金额录入错误"},
    ),
]

# The API's ledger: 401 without a token, else as the page.
API_LEDGER = [
    Row(
        "GET",
        "/api/v1/vouchers",
        path,
        {**LEDGER_READERS, "anonymous": UNAUTHORISED},
        auth="bearer",
    )
    for path in ("/api/v1/vouchers", "/api/v1/vouchers?year=2025")
]

RECTIFICATION_AND_LEDGER = [*RECTIFICATION, *LEDGER, *API_LEDGER]
