"""HTTP hardening: security headers on every response, cookie flags, optional ProxyFix.

The Content-Security-Policy allows no inline script or style, so templates carry no
`<script>` bodies, no `on…=` handlers and no `style=` attributes: behaviour lives in
files under `static/js/`, presentation in classes of `static/css/app.css`.

Behind HTTPS set `SESSION_COOKIE_SECURE=true` (cookies are then sent over HTTPS only and
responses carry Strict-Transport-Security). Behind a reverse proxy set `TRUST_PROXY` to
the number of proxies in front of the app, so that the client address (rate limits) and
the scheme come from their `X-Forwarded-*` headers; never set it when the app is reachable
directly, or clients could forge their address.
"""

from __future__ import annotations

from flask import Flask, Response, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    hops = int(app.config.get("TRUST_PROXY") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )
    app.after_request(_add_security_headers)


def _add_security_headers(response: Response) -> Response:
    """Set the headers unless a view chose its own value (e.g. a page meant to be framed)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
