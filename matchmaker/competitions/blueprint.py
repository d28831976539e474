"""The `competitions` blueprint (/rounds), its header links and shared view helpers."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ..errors import DomainError
from ..extensions import db
from ..files.models import Attachment
from ..nav import add_nav_link
from . import access, need_stage, stages, statuses
from .models import Application, Award, Listing

bp = Blueprint("competitions", __name__, url_prefix="/rounds")

add_nav_link("competitions.index", _l("揭榜挂帅"), order=20, icon="trophy")
add_nav_link(
    "competitions.mine", _l("我的揭榜"), visible=lambda u: u.is_vendor_member, order=45, icon="flag"
)
add_nav_link(
    "competitions.my_reviews",
    _l("我的评审"),
    visible=lambda u: u.is_expert,
    order=50,
    icon="list-check",
)
add_nav_link(
    "competitions.console",
    _l("揭榜管理"),
    visible=lambda u: u.is_organiser,
    order=860,
    section="console",
    icon="award",
)


@bp.record_once
def _need_stage_globals(state) -> None:
    state.app.add_template_global(need_stage.need_listings, "need_listings")
    state.app.add_template_global(need_stage.listing_steps, "listing_steps")
    state.app.add_template_global(need_stage.days_left, "days_left")
    state.app.add_template_global(statuses.STAGE_LABELS, "listing_stage_labels")


@bp.context_processor
def _vocabulary() -> dict:
    return {"st": statuses, "stages": stages}


def application_or_404(application_id: int) -> Application:
    """Visible to the organiser, the lead and consortium members, and assigned experts: 404 for
    anyone else, so that guessing ids reveals nothing."""
    application = db.get_or_404(Application, application_id)
    if not access.can_view_application(current_user, application):
        abort(404)
    return application


def own_application_or_404(application_id: int) -> Application:
    application = db.get_or_404(Application, application_id)
    if not application.led_by(current_user):
        abort(404)
    return application


def reviewed_listing_or_404(listing_id: int) -> Listing:
    listing = db.get_or_404(Listing, listing_id)
    if not access.is_active_reviewer(current_user, listing):
        abort(404)
    return listing


def award_or_404(award_id: int) -> Award:
    award = db.get_or_404(Award, award_id)
    if not access.can_view_delivery(current_user, award.listing, award.application):
        abort(404)
    return award


def attachments(owner_type: str, owner_id: int) -> list[Attachment]:
    query = select(Attachment).where(
        Attachment.owner_type == owner_type, Attachment.owner_id == owner_id
    )
    return list(db.session.scalars(query.order_by(Attachment.id)))


def back_to_console(listing: Listing):
    """Redirect to the listing's console page (after an organiser's action)."""
    return redirect(url_for("competitions.console_listing", listing_id=listing.id))


def flash_result(call, success: str, unchanged: str | None = None) -> None:
    """Run a service; its domain error becomes a flash message on the console page. A service
    that answers False changed nothing (an idempotent repeat): `unchanged` says so."""
    try:
        result = call()
    except DomainError as err:
        flash(err.summary, "error")
    else:
        if result is False and unchanged:
            flash(unchanged, "info")
        else:
            flash(success, "success")
