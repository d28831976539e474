"""Need records for result cards on other packages' pages (适合我的榜单, search), as a template
global: `need_cards(ids)` maps each visible published need's id to (need, owner label)."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from .access import can_see, owner_label
from .models import Need
from .states import PUBLISHED


def need_cards(ids) -> dict[int, tuple[Need, str]]:
    wanted = {int(i) for i in ids if str(i).isdigit()}
    if not wanted:
        return {}
    needs = db.session.scalars(select(Need).where(Need.id.in_(wanted))).all()
    return {
        need.id: (need, owner_label(current_user, need))
        for need in needs
        if need.status == PUBLISHED and can_see(current_user, need)
    }
