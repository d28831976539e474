"""Printable documents of a listing: the 公示 notice, the 中选通知书 of a winner and the 验收 report.

Who may read them:
- 公示 notice: anyone while the listing is in its publicity period (公示期); afterwards, and before
  it ends, the organisers, the listing's factories and the proposed winners' members.
- 中选通知书: the winner (lead and consortium members), the listing's factories and organisers.
- 验收 report: the same people, once the award has an acceptance.
Anyone else gets 404 (the documents never confirm that a listing or award exists).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import Organisation
from ..extensions import db
from ..pdf import html_to_pdf
from . import stages
from .access import can_view_delivery
from .models import Award, Listing
from .publicity import proposed_winners

NOTICE_STAGES = (
    stages.PUBLICITY,
    stages.AWARDED,
    stages.IN_DELIVERY,
    stages.ACCEPTED,
    stages.FAILED,
)


@dataclass(frozen=True)
class Document:
    template: str
    title: str
    filename: str
    context: dict


def publicity_is_running(listing: Listing) -> bool:
    return listing.stage == stages.PUBLICITY and not listing.publicity_over


def can_read_notice(user, listing: Listing) -> bool:
    if listing.stage not in NOTICE_STAGES or listing.publicity_starts_at is None:
        return False
    if publicity_is_running(listing):
        return True
    if getattr(user, "is_organiser", False) or listing.is_owned_by(user):
        return True
    return any(app.involves(user) for app in proposed_winners(listing))


def can_read_award_notice(user, award: Award) -> bool:
    return can_view_delivery(user, award.listing, award.application)


def can_read_acceptance_report(user, award: Award) -> bool:
    return award.acceptance is not None and can_read_award_notice(user, award)


def organiser_org(listing: Listing) -> Organisation | None:
    """The organisation that runs the round: its creator's, else the first organiser organisation."""
    from ..accounts.models import User

    creator = (
        db.session.get(User, listing.round.created_by_id) if listing.round.created_by_id else None
    )
    if creator is not None and creator.organisation is not None:
        return creator.organisation
    query = select(Organisation).where(Organisation.kind == "organiser").order_by(Organisation.id)
    return db.session.scalars(query).first()


def site_url(endpoint: str, **values) -> str:
    """An address a reader of the printed page can type: PUBLIC_URL when set, else this host's."""
    base = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def publicity_notice(listing: Listing) -> Document:
    return Document(
        "documents/publicity_notice.html",
        _("揭榜结果公示"),
        f"publicity-notice-{listing.id}.pdf",
        {
            "listing": listing,
            "winners": proposed_winners(listing),
            "organiser": organiser_org(listing),
            "objection_url": site_url("competitions.publicity_page", listing_id=listing.id),
        },
    )


def award_notice(award: Award) -> Document:
    return Document(
        "documents/award_notice.html",
        _("中选通知书"),
        f"award-notice-{award.id}.pdf",
        {"award": award, "listing": award.listing, "organiser": organiser_org(award.listing)},
    )


def acceptance_report(award: Award) -> Document:
    return Document(
        "documents/acceptance_report.html",
        _("验收报告"),
        f"acceptance-report-{award.id}.pdf",
        {
            "award": award,
            "listing": award.listing,
            "acceptance": award.acceptance,
            "organiser": organiser_org(award.listing),
        },
    )


def render_pdf(document: Document) -> bytes:
    html = render_template(
        "documents/pdf.html", body=document.template, doc_title=document.title, **document.context
    )
    return html_to_pdf(html)
