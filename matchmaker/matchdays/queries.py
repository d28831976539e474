"""What the pages of a matchmaking day show: the lists, a party's ranked partners, agendas."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..needs.models import Need
from ..solvers.models import Offering
from . import pairs
from .models import MatchDay, MatchDayMeeting, MatchDayRegistration
from .states import PUBLIC

SHOW_REASONS = 10  # the strongest partners get their reasons


def public_days() -> tuple[list[MatchDay], list[MatchDay]]:
    """(upcoming, past) published or scheduled days; upcoming soonest first."""
    days = list(db.session.scalars(select(MatchDay).where(MatchDay.status.in_(PUBLIC))))
    today = clock.local_now().date()
    upcoming = sorted((d for d in days if d.day >= today), key=lambda d: d.day)
    past = sorted((d for d in days if d.day < today), key=lambda d: d.day, reverse=True)
    return upcoming, past


def open_days(limit: int = 3) -> list[MatchDay]:
    """Days open for registration now (the home page's notice)."""
    upcoming, _past = public_days()
    return [d for d in upcoming if d.registration_open()][:limit]


def all_days() -> list[MatchDay]:
    return list(db.session.scalars(select(MatchDay).order_by(MatchDay.day.desc())))


@dataclass
class Partner:
    registration: MatchDayRegistration
    score: pairs.PairScore
    choice: str


def ranked_partners(day: MatchDay, registration: MatchDayRegistration) -> list[Partner]:
    """The other side's registrations, best match first, with band and (top ones) reasons."""
    others = [r for r in day.registrations if r.kind != registration.kind]
    if registration.kind == "factory":
        scores = {v: s for (_f, v), s in pairs.score_pairs([registration], others).items()}
    else:
        scores = {f: s for (f, _v), s in pairs.score_pairs(others, [registration]).items()}
    choices = {c.partner_id: c.choice for c in registration.choices}
    ranked = sorted(
        (Partner(r, scores[r.organisation_id], choices.get(r.organisation_id, "")) for r in others),
        key=lambda p: (-(p.score.score or 0), p.registration.id),
    )
    for partner in ranked[:SHOW_REASONS]:
        partner.score.reasons = pairs.explain(partner.score)
    return ranked


def titles(meetings: list[MatchDayMeeting]) -> dict[tuple[str, int], str]:
    """("need" | "offering", id) → title, for the meetings' subjects."""
    need_ids = {m.need_id for m in meetings if m.need_id}
    offering_ids = {m.offering_id for m in meetings if m.offering_id}
    out = {
        ("need", n.id): n.title
        for n in db.session.scalars(select(Need).where(Need.id.in_(need_ids)))
    }
    out.update(
        {
            ("offering", o.id): o.title
            for o in db.session.scalars(select(Offering).where(Offering.id.in_(offering_ids)))
        }
    )
    return out


def items_of(registration: MatchDayRegistration) -> list[str]:
    model = Need if registration.kind == "factory" else Offering
    ids = [int(i) for i in registration.item_ids]
    return [row.title for row in db.session.scalars(select(model).where(model.id.in_(ids)))]


def items_by_registration(registrations: list[MatchDayRegistration]) -> dict[int, list[str]]:
    """registration id → the titles of what it brings, in two queries for any number."""
    ids = {
        kind: {int(i) for r in registrations if r.kind == kind for i in r.item_ids}
        for kind in ("factory", "vendor")
    }
    titles = {
        ("factory", n.id): n.title
        for n in db.session.scalars(select(Need).where(Need.id.in_(ids["factory"])))
    }
    titles.update(
        {
            ("vendor", o.id): o.title
            for o in db.session.scalars(select(Offering).where(Offering.id.in_(ids["vendor"])))
        }
    )
    return {
        r.id: [titles[(r.kind, int(i))] for i in r.item_ids if (r.kind, int(i)) in titles]
        for r in registrations
    }


def agenda(day: MatchDay, organisation_id: int) -> list[MatchDayMeeting]:
    query = (
        select(MatchDayMeeting)
        .filter_by(match_day_id=day.id)
        .where(MatchDayMeeting.state != "removed")
        .where(
            (MatchDayMeeting.factory_id == organisation_id)
            | (MatchDayMeeting.vendor_id == organisation_id)
        )
    )
    return list(db.session.scalars(query.order_by(MatchDayMeeting.slot)))


def grid(day: MatchDay, meetings: list[MatchDayMeeting]) -> list[list[MatchDayMeeting | None]]:
    """rows = slots, columns = tables (None: a free table)."""
    rows: list[list[MatchDayMeeting | None]] = [[None] * day.tables for _ in day.slots]
    for m in meetings:
        if m.state != "removed" and m.slot < day.slot_count and m.table_no < day.tables:
            rows[m.slot][m.table_no] = m
    return rows
