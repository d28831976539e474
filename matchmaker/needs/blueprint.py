"""The `needs` blueprint, its header links, and the helpers shared by its view modules
(factory_views, hall_views, approval_views import `bp` from here, never from each other)."""

from __future__ import annotations

from flask import Blueprint, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..extensions import db
from ..nav import add_nav_link
from ..scenarios.services import register_open_need_counter
from . import cards, choices, services
from .access import visible_needs_query
from .choices import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, STATUS_LABELS
from .models import Need

bp = Blueprint("needs", __name__)


@bp.record_once
def _card_globals(state) -> None:
    state.app.add_template_global(cards.need_cards, "need_cards")


register_open_need_counter(services.open_need_counts)
add_nav_link("needs.hall", _l("揭榜大厅"), order=10, icon="layout-grid")
add_nav_link(
    "needs.mine",
    _l("我的需求"),
    visible=lambda user: user.is_factory_member,
    order=30,
    icon="building-factory-2",
)


# Five files of 10 MB each, plus the form: more than the app-wide MAX_CONTENT_LENGTH. A URL
# value preprocessor runs before every before_request hook (CSRF reads the form there).
UPLOAD_REQUEST_LIMIT = MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 1024 * 1024


@bp.url_value_preprocessor
def _upload_limit(endpoint: str | None, values: dict | None) -> None:
    if endpoint in ("needs.new", "needs.edit"):
        request.max_content_length = max(
            UPLOAD_REQUEST_LIMIT, current_app.config.get("MAX_CONTENT_LENGTH") or 0
        )


@bp.app_context_processor
def need_labels() -> dict:
    return {"status_labels": STATUS_LABELS, "need_choices": choices}


def load_visible(need_id: int) -> Need:
    """The need, or 404 when it does not exist for this user (`access.visible_needs`, the
    query rule of the hall and the exports too)."""
    query = visible_needs_query(current_user).where(Need.id == need_id)
    return db.first_or_404(query)
