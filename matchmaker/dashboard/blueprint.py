"""The `dashboard` blueprint (/console), its header link, and the helpers shared by its view
modules (console_views, queue_views, and ledger_views of the voucher ledger's own blueprint)."""

from __future__ import annotations

from flask import Blueprint, Response
from flask_babel import lazy_gettext as _l

from ..nav import add_nav_link

bp = Blueprint("dashboard", __name__, url_prefix="/console")

add_nav_link(
    "dashboard.index",
    _l("工作台"),
    visible=lambda user: user.is_organiser,
    order=790,
    section="console",
    icon="layout-dashboard",
)


def download_response(content, mimetype: str, filename: str) -> Response:
    """A file download (CSV, XLSX) of the console and of the voucher ledger."""
    disposition = f"attachment; filename={filename}"
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": disposition})
