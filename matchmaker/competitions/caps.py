"""Limits that two requests at once must not beat: one live application per listing and
organisation, and the round's cap on the listings an organisation leads (`max_leads`).

Both are checked under a lock on the applying organisation's row (SELECT … FOR UPDATE on
PostgreSQL), taken before the check, at start and again at submit: two requests of one
organisation run one after the other, and the second sees what the first wrote. SQLite
serialises writers; the partial unique index over live applications catches the rest.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..accounts.models import Organisation
from ..errors import ValidationFailed
from ..extensions import db
from . import statuses as st
from .models import Application, Listing

# At submit only the applications already in the competition count (drafts do not).
COMPETING = (st.SUBMITTED, st.ELIGIBLE, st.INELIGIBLE)


class AlreadyApplied(ValidationFailed):
    """The organisation has a live application to this listing: it is `application`."""

    def __init__(self, application: Application):
        super().__init__(_("贵单位已揭过此榜，每家单位对每个榜单只能提交一份申请。"))
        self.application = application


def lock_organisation(org_id: int) -> None:
    """Hold the organisation's row until the transaction ends (a no-op on SQLite)."""
    db.session.execute(select(Organisation.id).where(Organisation.id == org_id).with_for_update())


def live_application(listing_id: int, org_id: int) -> Application | None:
    """The organisation's application to the listing that is not withdrawn (at most one)."""
    return db.session.scalar(
        select(Application)
        .where(
            Application.listing_id == listing_id,
            Application.organisation_id == org_id,
            Application.status != st.WITHDRAWN,
        )
        .execution_options(populate_existing=True)
    )


def leads_in_round(
    org_id: int, round_id: int, statuses=st.LIVE_APPLICATION, exclude_id: int | None = None
) -> int:
    query = (
        select(func.count(Application.id))
        .join(Listing)
        .where(
            Application.organisation_id == org_id,
            Listing.round_id == round_id,
            Application.status.in_(statuses),
        )
    )
    if exclude_id is not None:
        query = query.where(Application.id != exclude_id)
    return db.session.scalar(query)


def check_lead_limit(org_id: int, listing: Listing, application: Application | None = None):
    """At start (no `application`) every live application counts; at submit, the others
    already submitted. Call it under `lock_organisation`."""
    limit = listing.round.max_leads
    if application is None:
        count = leads_in_round(org_id, listing.round_id)
    else:
        count = leads_in_round(org_id, listing.round_id, COMPETING, exclude_id=application.id)
    if count + 1 > limit:
        raise ValidationFailed(_("本批次每家单位最多牵头揭榜 %(n)s 个榜单。", n=limit))
