"""Moving listings through their stages: organiser actions, cancellation, and `flask rounds tick`."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import clock
from ..errors import InvalidTransition
from ..extensions import db
from ..notifications.services import notify
from . import audit, stages
from .access import require_organiser
from .invalid import invalid
from .models import Application, Listing, Round
from .statuses import ACTION_LABELS, LIVE_APPLICATION, STAGE_LABELS

# Actions with their own service (they need more than a stage change).
DEDICATED = frozenset(
    {"start_publicity", "award", "pass_acceptance", "fail_acceptance", "start_rectification"}
)


def move(actor, listing: Listing, action: str, who: str = stages.ORGANISER, **after) -> None:
    """Change the stage inside the caller's transaction, with its audit entry."""
    try:
        target = stages.next_stage(listing.stage, action, who)
    except stages.StageError:
        raise InvalidTransition(
            _(
                "榜单处于“%(stage)s”阶段，不能%(action)s。",
                stage=STAGE_LABELS[listing.stage],
                action=ACTION_LABELS.get(action, action),
            )
        ) from None
    before = listing.stage
    listing.stage = target
    audit.record(actor, action, listing, {"stage": before}, {"stage": target, **after})


def applicants(listing: Listing) -> list:
    apps = db.session.scalars(
        select(Application).where(
            Application.listing_id == listing.id, Application.status.in_(LIVE_APPLICATION)
        )
    )
    return [user for app in apps for user in app.lead_users()]


def listing_link(listing: Listing) -> str:
    """A path, not url_for: `flask rounds tick` runs without a request."""
    return f"/rounds/listings/{listing.id}"


def announce(listing: Listing, kind: str, title: str, extra=()) -> None:
    users = [*listing.owner_users(), *applicants(listing), *extra]
    notify(users, kind, title, listing.title, listing_link(listing))


def _stage_news(listing: Listing, action: str) -> None:
    title = _l("榜单进入“%(stage)s”阶段", stage=STAGE_LABELS[listing.stage])
    announce(listing, f"listing_{action}", title)


def act(actor, listing: Listing, action: str) -> None:
    """The organiser's plain stage actions (open, close, start delivery)."""
    require_organiser(actor)
    if action in DEDICATED or action == "cancel":
        raise InvalidTransition()
    move(actor, listing, action)
    _stage_news(listing, action)
    db.session.commit()


def cancel(actor, listing: Listing, reason: str) -> None:
    require_organiser(actor)
    if not reason.strip():
        raise invalid("reason", _("请说明取消榜单的原因。"))
    move(actor, listing, "cancel", reason=reason.strip())
    listing.cancel_reason = reason.strip()
    announce(listing, "listing_cancelled", _l("榜单已取消"))
    db.session.commit()


def tick() -> dict[str, int]:
    """Open the listings whose round's window has opened, close those whose window has closed.

    Idempotent: a second run at the same moment finds nothing to do.
    """
    now = clock.now()
    opened = closed = 0
    rows = db.session.scalars(
        select(Listing)
        .join(Round)
        .where(Listing.stage.in_((stages.PUBLISHED, stages.ACCEPTING)))
        .order_by(Listing.id)
    )
    for listing in list(rows):
        round_ = listing.round
        if listing.stage == stages.PUBLISHED and round_.opens_at <= now < round_.closes_at:
            move(None, listing, "open_applications", stages.SYSTEM)
            _stage_news(listing, "open_applications")
            opened += 1
        elif listing.stage == stages.ACCEPTING and now >= round_.closes_at:
            move(None, listing, "close_applications", stages.SYSTEM)
            _stage_news(listing, "close_applications")
            closed += 1
    db.session.commit()
    return {"opened": opened, "closed": closed}
