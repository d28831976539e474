"""Matrix rows of the JSON API (`/api/v1`, see matrix.py). API rows are `auth="bearer"`: the
role's personal access token is sent with no session (anonymous sends none), and `data` is the
JSON body. The API answers 401 where a page would redirect to the login page; otherwise the
same rules as the pages: 404 for what the role may not see, 403 for an action on something it
may see but not act on, 409 when the status does not allow the action."""

from __future__ import annotations

from functools import partial

from .rows import (
    ALLOWED,
    CONFLICT,
    FORBIDDEN,
    NOT_FOUND,
    Row,
    api_signed_in,
    everyone,
)

Api = partial(Row, auth="bearer")

NEED_BODY = {
    "title": "API 提交的坯布检测需求",
    "industry_id": "{industry_id}",
    "category_id": "{category_id}",
    "template_id": "{template_id}",
    "goal": "在验布机上部署视觉检测，漏检率低于 2%。",
    "pain_point": "人工验布漏检多。",
    "current_process": "12 名验布工三班倒。",
    "data_sources": ["camera"],
    "data_labelled": "partly",
    "budget_min": 30,
    "budget_max": 60,
    "delivery_months": 6,
    "town": "衙前镇",
    "kpis": [
        {"indicator": "漏检率", "baseline": 10, "target": 2, "unit": "%", "direction": "down"}
    ],
}
OFFERING_BODY = {
    "title": "AI 验布系统",
    "summary": "坯布疵点在线检测",
    "deployment_modes": ["on_prem"],
    "template_ids": ["{template_id}"],
    "price_min": 20,
    "price_max": 50,
    "delivery_weeks": 12,
}

NEED = "/api/v1/needs/<int:need_id>"
OFFERING = "/api/v1/offerings/<int:offering_id>"

PUBLIC = [
    Api("GET", "/api/v1/industries", "/api/v1/industries", everyone()),
    Api("GET", "/api/v1/categories", "/api/v1/categories", everyone()),
    Api("GET", "/api/v1/templates", "/api/v1/templates?category={category_id}", everyone()),
    Api("GET", "/api/v1/search", "/api/v1/search?q=坯布疵点检测", everyone()),
    Api("GET", "/api/v1/rounds", "/api/v1/rounds", everyone()),
    Api("GET", "/api/v1/rounds/<int:round_id>", "/api/v1/rounds/{round_a}", everyone()),
    Api("GET", "/api/v1/rounds/<int:round_id>", "/api/v1/rounds/{missing_id}", everyone(NOT_FOUND)),
    Api("GET", "/api/v1/listings/<int:listing_id>", "/api/v1/listings/{listing_open}", everyone()),
    # public, with the KPIs as the caller may see the needs (test_disclosure.py)
    Api(
        "GET", "/api/v1/listings/<int:listing_id>", "/api/v1/listings/{listing_summary}", everyone()
    ),
    Api("GET", "/api/v1/rounds/<int:round_id>", "/api/v1/rounds/{round_open}", everyone()),
    Api(
        "GET",
        "/api/v1/listings/<int:listing_id>",
        "/api/v1/listings/{missing_id}",
        everyone(NOT_FOUND),
    ),
    # 答疑: public answers for everyone (tests/competitions/test_questions.py: who reads what)
    Api(
        "GET",
        "/api/v1/listings/<int:listing_id>/questions",
        "/api/v1/listings/{listing_open}/questions",
        everyone(),
    ),
    Api(
        "GET",
        "/api/v1/listings/<int:listing_id>/questions",
        "/api/v1/listings/{missing_id}/questions",
        everyone(NOT_FOUND),
    ),
    Row("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", everyone()),
    Row("GET", "/api/v1/docs", "/api/v1/docs", everyone()),
    Row(
        "GET",
        "/api/v1/docs/assets/<path:filename>",
        "/api/v1/docs/assets/js/swagger-ui-bundle.js",
        everyone(),
    ),
]

NEEDS = [
    Api("GET", "/api/v1/needs", "/api/v1/needs?per_page=5", everyone()),
    Api("GET", NEED, "/api/v1/needs/{need_draft}", everyone(NOT_FOUND, factory_a=ALLOWED)),
    Api(
        "GET",
        NEED,
        "/api/v1/needs/{need_submitted}",
        everyone(NOT_FOUND, factory_a=ALLOWED, organiser=ALLOWED),
    ),
    Api("GET", NEED, "/api/v1/needs/{need_public}", everyone()),
    Api(
        "GET",
        NEED,
        "/api/v1/needs/{need_invited}",
        everyone(NOT_FOUND, factory_a=ALLOWED, vendor_a=ALLOWED, organiser=ALLOWED),
    ),
    Api("GET", NEED, "/api/v1/needs/{missing_id}", everyone(NOT_FOUND)),
    Api(
        "POST",
        "/api/v1/needs",
        "/api/v1/needs",
        api_signed_in(FORBIDDEN, factory_a=ALLOWED, factory_b=ALLOWED),
        NEED_BODY,
    ),
    Api(
        "PUT",
        NEED,
        "/api/v1/needs/{need_draft}",
        api_signed_in(NOT_FOUND, factory_a=ALLOWED),
        NEED_BODY,
    ),
    Api(
        "PUT",
        NEED,
        "/api/v1/needs/{need_public}",
        api_signed_in(FORBIDDEN, factory_a=ALLOWED),
        NEED_BODY,
    ),
    Api("PUT", NEED, "/api/v1/needs/{missing_id}", api_signed_in(NOT_FOUND), NEED_BODY),
    Api(
        "POST",
        NEED + "/submit",
        "/api/v1/needs/{need_draft}/submit",
        api_signed_in(NOT_FOUND, factory_a=ALLOWED),
    ),
    Api(
        "POST",
        NEED + "/submit",
        "/api/v1/needs/{need_public}/submit",
        api_signed_in(FORBIDDEN, factory_a=CONFLICT),
    ),
    Api("POST", NEED + "/submit", "/api/v1/needs/{missing_id}/submit", api_signed_in(NOT_FOUND)),
    Api(
        "GET",
        NEED + "/matches",
        "/api/v1/needs/{need_public}/matches",
        api_signed_in(FORBIDDEN, factory_a=ALLOWED, organiser=ALLOWED),
    ),
    Api(
        "GET",
        NEED + "/matches",
        "/api/v1/needs/{need_draft}/matches",
        api_signed_in(NOT_FOUND, factory_a=ALLOWED),
    ),
    Api("GET", NEED + "/matches", "/api/v1/needs/{missing_id}/matches", api_signed_in(NOT_FOUND)),
]

OFFERINGS = [
    Api("GET", "/api/v1/offerings", "/api/v1/offerings", everyone()),
    Api(
        "GET",
        OFFERING,
        "/api/v1/offerings/{offering_draft}",
        everyone(NOT_FOUND, vendor_a=ALLOWED, organiser=ALLOWED),
    ),
    Api("GET", OFFERING, "/api/v1/offerings/{offering_published}", everyone()),
    Api("GET", OFFERING, "/api/v1/offerings/{missing_id}", everyone(NOT_FOUND)),
    Api(
        "POST",
        "/api/v1/offerings",
        "/api/v1/offerings",
        api_signed_in(FORBIDDEN, vendor_a=ALLOWED, vendor_b=ALLOWED),
        OFFERING_BODY,
    ),
    Api(
        "PUT",
        OFFERING,
        "/api/v1/offerings/{offering_draft}",
        api_signed_in(NOT_FOUND, vendor_a=ALLOWED, organiser=FORBIDDEN),
        OFFERING_BODY,
    ),
    Api(
        "PUT",
        OFFERING,
        "/api/v1/offerings/{offering_published}",
        api_signed_in(FORBIDDEN, vendor_a=CONFLICT),
        OFFERING_BODY,
    ),
    Api("PUT", OFFERING, "/api/v1/offerings/{missing_id}", api_signed_in(NOT_FOUND), OFFERING_BODY),
    Api(
        "GET",
        OFFERING + "/matches",
        "/api/v1/offerings/{offering_published}/matches",
        api_signed_in(FORBIDDEN, vendor_a=ALLOWED, organiser=ALLOWED),
    ),
    Api(
        "GET",
        OFFERING + "/matches",
        "/api/v1/offerings/{offering_draft}/matches",
        api_signed_in(NOT_FOUND, vendor_a=ALLOWED, organiser=ALLOWED),
    ),
    Api(
        "GET",
        OFFERING + "/matches",
        "/api/v1/offerings/{missing_id}/matches",
        api_signed_in(NOT_FOUND),
    ),
]

APPLICATIONS = [
    Api("GET", "/api/v1/applications", "/api/v1/applications", api_signed_in()),
    Api(
        "GET",
        "/api/v1/applications/<int:application_id>",
        "/api/v1/applications/{application_review}",
        api_signed_in(NOT_FOUND, vendor_a=ALLOWED, expert=ALLOWED, organiser=ALLOWED),
    ),
    Api(
        "GET",
        "/api/v1/applications/<int:application_id>",
        "/api/v1/applications/{application_draft}",
        api_signed_in(NOT_FOUND, vendor_a=ALLOWED, organiser=ALLOWED),
    ),
    Api(
        "GET",
        "/api/v1/applications/<int:application_id>",
        "/api/v1/applications/{missing_id}",
        api_signed_in(NOT_FOUND),
    ),
]

API = [*PUBLIC, *NEEDS, *OFFERINGS, *APPLICATIONS]
