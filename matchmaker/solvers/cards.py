"""Offering records for result cards on other packages' pages (推荐揭榜方, search), as a template
global: `offering_cards(ids)` maps each published offering's id to the offering (with its
organisation)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from . import states
from .models import Offering


def offering_cards(ids) -> dict[int, Offering]:
    wanted = {int(i) for i in ids if str(i).isdigit()}
    if not wanted:
        return {}
    offerings = db.session.scalars(
        select(Offering).options(joinedload(Offering.organisation)).where(Offering.id.in_(wanted))
    ).all()
    return {o.id: o for o in offerings if o.status == states.PUBLISHED}
