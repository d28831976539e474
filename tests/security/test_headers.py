"""Security headers on every response, cookie flags, and pages that work under the CSP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from matchmaker import create_app
from matchmaker.config import TestConfig
from matchmaker.security import CONTENT_SECURITY_POLICY, HSTS

from .matrix import ALLOWED, MATRIX
from .world import ROLES

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
EXPECTED_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# Inline code the CSP blocks: script bodies, event-handler attributes, style attributes and
# elements, javascript: URLs.
INLINE_CODE = re.compile(
    r"<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style\b|javascript:", re.I
)


@pytest.mark.parametrize("path", ["/", "/login", "/scenarios/", "/no-such-page", "/lang/en"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get(name) == value, name
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP by default


def test_static_files_carry_the_headers_too(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_policy_allows_no_inline_code_and_no_framing():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def test_session_cookie_is_http_only_and_same_site_lax(client):
    cookie = client.get("/lang/en").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_secure_cookies_and_hsts_when_configured(app):
    class HttpsConfig(TestConfig):
        SESSION_COOKIE_SECURE = True

    response = create_app(HttpsConfig).test_client().get("/lang/en")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"] == HSTS


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_templates_hold_no_inline_code(template):
    assert not INLINE_CODE.findall(template.read_text(encoding="utf-8"))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GET_PAGES = [
    (row, next(role for role in reversed(ROLES) if row.expect[role] == ALLOWED))
    for row in MATRIX
    # Pages: not the JSON API (bearer rows) nor the Swagger UI files the API docs page loads.
    if row.method == "GET"
    and row.auth == "session"
    and ALLOWED in row.expect.values()
    and not row.path.startswith("/api/v1/docs/assets/")
]


@pytest.mark.parametrize(("row", "role"), GET_PAGES, ids=[f"{r.path} as {x}" for r, x in GET_PAGES])
def test_rendered_pages_hold_no_inline_code(row, role, world, client_as):
    response = client_as(role).get(world.path(row.path), follow_redirects=True)
    assert response.status_code == 200
    if response.mimetype == XLSX:  # a spreadsheet export: binary, downloaded, never rendered
        assert response.headers["Content-Disposition"].startswith("attachment;")
        return
    if response.mimetype.startswith("image/"):  # the favicon
        return
    if response.mimetype == "application/pdf":  # a printable document or an uploaded file
        assert response.data.startswith(b"%PDF-")
        assert response.headers["Content-Disposition"].startswith(("inline;", "attachment;"))
        return
    assert not INLINE_CODE.findall(response.get_data(as_text=True))


@pytest.mark.parametrize(
    "path",
    [
        "/needs/{need_public}/files/{attachment_need}",
        "/solutions/{offering_published}/files/{attachment_offering}",
    ],
)
def test_uploaded_files_are_downloads_that_browsers_do_not_sniff(path, world, client_as):
    response = client_as("vendor_b").get(world.path(path))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "application/pdf"
