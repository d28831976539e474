"""The security matrix: every route × every role → the expected class of response.

One row per (rule, method, object): `Row(method, rule, path, expect, data)` (rows.py). `rule` is
the rule string exactly as in `app.url_map` (`flask routes` prints it) and `method` one of its
methods: `test_every_route_is_covered` fails for any rule/method of the app that no row names
(and prints row skeletons), so every feature that adds a route adds its rows in its own section
list — here, or in a `matrix_<feature>.py` module for a big feature — and appends that list to
`MATRIX`. `expect` maps each of the seven roles to an outcome; the helpers build it:

    Row("GET", "/needs/<int:need_id>", "/needs/{need_draft}", everyone(NOT_FOUND, factory_a=ALLOWED)),
    Row("POST", "/needs/<int:need_id>/withdraw", "/needs/{need_public}/withdraw",
        signed_in(FORBIDDEN, factory_a=ALLOWED)),
    Row("GET", "/needs/<int:need_id>", "/needs/{missing_id}", everyone(NOT_FOUND)),

`path` is the concrete URL; `{name}` placeholders come from `world.ids` (see world.py, where a
feature registers the objects its rows name — objects of the "A" organisations, so that the
B organisations' rows check access to other organisations' objects). `data` is the form
posted (placeholders allowed); CSRF is off here (test_csrf.py checks it separately).
A rule with an `<int:…>` id needs a row with `{missing_id}` too.

Outcomes (see `classify`):
  ALLOWED    the view served the request: 2xx, 422 (form re-shown with errors) or a
             redirect within the site that is not the login page
  LOGIN      redirect to /login (anonymous user on a members' page)
  FORBIDDEN  403          NOT_FOUND  404          CONFLICT  409 (state does not allow it)
"""

from __future__ import annotations

from tests.factories import DEFAULT_PASSWORD

from .matrix_api import API
from .matrix_dashboard import DASHBOARD
from .matrix_experts import EXPERT_POOL
from .matrix_ledger import RECTIFICATION_AND_LEDGER
from .matrix_matchdays import MATCHDAYS
from .matrix_messages import MESSAGES
from .matrix_needs import NEEDS
from .matrix_notices import NOTICES, QUESTIONS
from .matrix_recovery import RECOVERY
from .matrix_rounds import ROUNDS
from .matrix_search import SEARCH
from .matrix_solvers import SOLVERS
from .rows import (
    ALLOWED,
    CONFLICT,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    UNAUTHORISED,
    Row,
    everyone,
    only,
    organisers,
    signed_in,
)

__all__ = [
    "ALLOWED",
    "CONFLICT",
    "FORBIDDEN",
    "LOGIN",
    "MATRIX",
    "NOT_FOUND",
    "UNAUTHORISED",
    "Row",
    "only",
]

MAIN = [
    Row("GET", "/", "/", everyone()),
    Row("GET", "/healthz", "/healthz", everyone()),
    Row("GET", "/favicon.ico", "/favicon.ico", everyone()),
    Row("GET", "/lang/<code>", "/lang/en?next=/scenarios/", everyone()),
    Row("GET", "/lang/<code>", "/lang/xx", everyone(NOT_FOUND)),
]

ACCOUNTS = [
    Row("GET", "/register", "/register", everyone()),
    Row("POST", "/register", "/register", everyone(), {"kind": "factory"}),
    Row("GET", "/login", "/login", everyone()),
    Row("POST", "/login", "/login", everyone(), {"email": "nobody@example.com", "password": "x"}),
    Row("POST", "/logout", "/logout", everyone()),
    Row("POST", "/account/logout-everywhere", "/account/logout-everywhere", signed_in()),
    Row("GET", "/account", "/account", signed_in()),
    Row("GET", "/account/password", "/account/password", signed_in()),
    Row(
        "POST",
        "/account/digest",
        "/account/digest",
        only("vendor_a", "vendor_b"),
        {"frequency": "weekly"},
    ),
    Row("GET", "/account/tokens", "/account/tokens", signed_in()),
    Row(
        "POST",
        "/account/tokens",
        "/account/tokens",
        signed_in(),
        {"name": "CRM", "expires_in_days": "30"},
    ),
    Row(
        "POST",
        "/account/tokens/<int:token_id>/revoke",
        "/account/tokens/{token_factory_a}/revoke",
        signed_in(NOT_FOUND, factory_a=ALLOWED),
    ),
    Row(
        "POST",
        "/account/tokens/<int:token_id>/revoke",
        "/account/tokens/{missing_id}/revoke",
        signed_in(NOT_FOUND),
    ),
    Row(
        "POST",
        "/account/password",
        "/account/password",
        signed_in(),
        {
            "current_password": DEFAULT_PASSWORD,
            "new_password": "another-pass-2",
            "new_password2": "another-pass-2",
        },
    ),
    Row("GET", "/organisations/pending", "/organisations/pending", organisers()),
    Row(
        "POST",
        "/organisations/<int:org_id>/approve",
        "/organisations/{pending_org}/approve",
        organisers(),
    ),
    Row(
        "POST",
        "/organisations/<int:org_id>/approve",
        "/organisations/{org_factory_a}/approve",
        organisers(CONFLICT),
    ),
    Row(
        "POST",
        "/organisations/<int:org_id>/approve",
        "/organisations/{missing_id}/approve",
        organisers(NOT_FOUND),
    ),
    Row(
        "POST",
        "/organisations/<int:org_id>/reject",
        "/organisations/{pending_org}/reject",
        organisers(),
        {"reason": "材料不全"},
    ),
    Row(
        "POST",
        "/organisations/<int:org_id>/reject",
        "/organisations/{missing_id}/reject",
        organisers(NOT_FOUND),
        {"reason": "材料不全"},
    ),
]

_GROUP_EDIT = "/console/taxonomy/<any(industry, category):entity>/<int:obj_id>/edit"
_MOVE = "/console/taxonomy/<any(industry, category, template):entity>/<int:obj_id>/move"
_STATUS = "/console/taxonomy/templates/<int:template_id>/<any(retire, restore):action>"
_TEMPLATE_EDIT = "/console/taxonomy/templates/<int:template_id>/edit"
_GROUP_DATA = {"name_zh": "纺织", "name_en": "Textiles", "active": "y"}

SCENARIOS = [
    Row("GET", "/scenarios/", "/scenarios/", everyone()),
    Row("GET", "/scenarios/<code>", "/scenarios/{template_code}", everyone()),
    Row("GET", "/scenarios/<code>", "/scenarios/NO-SUCH", everyone(NOT_FOUND)),
    Row("GET", "/scenarios/industry/<code>", "/scenarios/industry/{industry_code}", everyone()),
    Row("GET", "/scenarios/industry/<code>", "/scenarios/industry/none", everyone(NOT_FOUND)),
    Row("GET", "/scenarios/category/<code>", "/scenarios/category/{category_code}", everyone()),
    Row("GET", "/scenarios/category/<code>", "/scenarios/category/none", everyone(NOT_FOUND)),
    Row("GET", "/console/taxonomy/", "/console/taxonomy/", organisers()),
    Row("GET", "/console/taxonomy/audit", "/console/taxonomy/audit", organisers()),
    Row("GET", "/console/taxonomy/merge", "/console/taxonomy/merge", organisers()),
    Row(
        "POST",
        "/console/taxonomy/merge",
        "/console/taxonomy/merge",
        organisers(),
        {"source_id": "{other_template_id}", "target_id": "{template_id}", "note": "重复"},
    ),
    Row("GET", "/console/taxonomy/templates/new", "/console/taxonomy/templates/new", organisers()),
    Row("POST", "/console/taxonomy/templates/new", "/console/taxonomy/templates/new", organisers()),
    Row("GET", _TEMPLATE_EDIT, "/console/taxonomy/templates/{template_id}/edit", organisers()),
    Row("POST", _TEMPLATE_EDIT, "/console/taxonomy/templates/{template_id}/edit", organisers()),
    Row(
        "GET",
        _TEMPLATE_EDIT,
        "/console/taxonomy/templates/{missing_id}/edit",
        organisers(NOT_FOUND),
    ),
    Row(
        "POST",
        _TEMPLATE_EDIT,
        "/console/taxonomy/templates/{missing_id}/edit",
        organisers(NOT_FOUND),
    ),
    Row("POST", _STATUS, "/console/taxonomy/templates/{template_id}/retire", organisers()),
    # Restoring an active template: past the permission check, refused by the state.
    Row("POST", _STATUS, "/console/taxonomy/templates/{template_id}/restore", organisers(CONFLICT)),
    Row("POST", _STATUS, "/console/taxonomy/templates/{missing_id}/retire", organisers(NOT_FOUND)),
    Row(
        "POST",
        _MOVE,
        "/console/taxonomy/template/{template_id}/move",
        organisers(),
        {"direction": "1"},
    ),
    Row(
        "POST",
        _MOVE,
        "/console/taxonomy/industry/{industry_id}/move",
        organisers(),
        {"direction": "-1"},
    ),
    Row(
        "POST",
        _MOVE,
        "/console/taxonomy/category/{missing_id}/move",
        organisers(NOT_FOUND),
        {"direction": "1"},
    ),
    Row("GET", _GROUP_EDIT, "/console/taxonomy/industry/{industry_id}/edit", organisers()),
    Row("GET", _GROUP_EDIT, "/console/taxonomy/category/{category_id}/edit", organisers()),
    Row("GET", _GROUP_EDIT, "/console/taxonomy/industry/{missing_id}/edit", organisers(NOT_FOUND)),
    Row(
        "POST",
        _GROUP_EDIT,
        "/console/taxonomy/industry/{industry_id}/edit",
        organisers(),
        _GROUP_DATA,
    ),
    Row(
        "POST",
        _GROUP_EDIT,
        "/console/taxonomy/category/{missing_id}/edit",
        organisers(NOT_FOUND),
        _GROUP_DATA,
    ),
]

NOTIFICATIONS = [
    Row("GET", "/inbox/", "/inbox/", signed_in()),
    Row("POST", "/inbox/read", "/inbox/read", signed_in()),
    # Another user's notification: served (the update is scoped to the reader, so nothing
    # happens; test_notification_of_another_user_stays_unread checks the effect).
    Row("POST", "/inbox/<int:notification_id>/read", "/inbox/{notification_a}/read", signed_in()),
    Row("POST", "/inbox/<int:notification_id>/read", "/inbox/{missing_id}/read", signed_in()),
]

MATRIX: list[Row] = [
    *MAIN,
    *ACCOUNTS,
    *RECOVERY,
    *EXPERT_POOL,
    *SCENARIOS,
    *NOTIFICATIONS,
    *NEEDS,
    *MESSAGES,
    *SOLVERS,
    *ROUNDS,
    *RECTIFICATION_AND_LEDGER,
    *NOTICES,
    *QUESTIONS,
    *SEARCH,
    *DASHBOARD,
    *MATCHDAYS,
    *API,
]
