"""The use cases of a matchmaking day: one function each, explicit actor, permission check, one
transaction, notices after the commit (see the README's 供需对接会 section)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..accounts.models import User
from ..errors import InvalidTransition, NotAllowed, ValidationFailed
from ..extensions import db
from ..needs import states as need_states
from ..needs.models import Need
from ..notifications.services import notify
from ..search.store import judgments
from ..solvers import states as offering_states
from ..solvers.models import Offering
from . import access, schedule_run, states
from .models import MatchDay, MatchDayChoice, MatchDayMeeting, MatchDayRegistration


@dataclass
class DayData:
    title: str
    venue: str
    description: str
    day: date
    starts_at: time
    slot_minutes: int
    slot_count: int
    tables: int
    registration_closes_at: datetime  # aware


def _check_day(data: DayData) -> None:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [_("请填写对接会名称。")]
    if not data.venue.strip():
        errors["venue"] = [_("请填写举办地点。")]
    start = datetime.combine(data.day, data.starts_at, clock.LOCAL_TZ)
    if data.registration_closes_at >= start:
        errors["registration_closes_at"] = [_("报名截止时间须早于对接会开始时间。")]
    minutes = data.starts_at.hour * 60 + data.starts_at.minute
    if minutes + data.slot_minutes * data.slot_count > 24 * 60:
        errors["slot_count"] = [_("所有时段须在当天结束，请减少时段数或缩短时长。")]
    if errors:
        raise ValidationFailed(fields=errors)


def create_day(actor, data: DayData) -> MatchDay:
    access.require_organiser(actor)
    _check_day(data)
    day = MatchDay(**vars(data), status=states.DRAFT, created_by_id=actor.id)
    db.session.add(day)
    db.session.commit()
    return day


def change_status(actor, day: MatchDay, action: str) -> bool:
    """Publish or cancel; False when the day is already there (a double submit)."""
    role = "organiser" if access.is_organiser(actor) else None
    if role and action in states.TRANSITIONS and day.status == states.TRANSITIONS[action].target:
        return False
    target = states.next_status(day.status, action, role)
    day.status = target
    db.session.commit()
    return True


def _party(actor, day: MatchDay) -> str:
    kind = access.party_kind(actor)
    if kind is None:
        raise NotAllowed(_("只有已审核通过的需求方和揭榜方可以报名。"))
    if not day.registration_open():
        raise InvalidTransition(_("报名已截止或尚未开始。"))
    return kind


def own_items(actor, kind: str) -> list:
    """The published needs (factory) or offerings (vendor) of the actor's organisation."""
    if kind == "factory":
        query = select(Need).where(
            Need.owner_id == actor.organisation_id, Need.status == need_states.PUBLISHED
        )
        return list(db.session.scalars(query.order_by(Need.id)))
    query = select(Offering).where(
        Offering.organisation_id == actor.organisation_id,
        Offering.status == offering_states.PUBLISHED,
    )
    return list(db.session.scalars(query.order_by(Offering.id)))


def registration_of(day: MatchDay, organisation_id: int | None) -> MatchDayRegistration | None:
    if organisation_id is None:
        return None
    return db.session.scalar(
        select(MatchDayRegistration).filter_by(match_day_id=day.id, organisation_id=organisation_id)
    )


def register(
    actor, day: MatchDay, item_ids: Iterable[int], slots: Iterable[int]
) -> MatchDayRegistration:
    """Register (or update) the actor's organisation with its needs/offerings and free slots."""
    kind = _party(actor, day)
    allowed = {item.id for item in own_items(actor, kind)}
    items, chosen_slots = sorted(set(item_ids)), sorted(set(slots))
    errors: dict[str, list[str]] = {}
    if not items or not set(items) <= allowed:
        what = _("需求") if kind == "factory" else _("方案")
        errors["items"] = [_("请至少选择一项本机构已发布的%(what)s。", what=what)]
    if not chosen_slots or not set(chosen_slots) <= set(day.slots):
        errors["slots"] = [_("请至少选择一个可参加的时段。")]
    if errors:
        raise ValidationFailed(fields=errors)
    registration = registration_of(day, actor.organisation_id)
    if registration is None:
        registration = MatchDayRegistration(
            match_day_id=day.id,
            organisation_id=actor.organisation_id,
            kind=kind,
            registered_by_id=actor.id,
        )
        db.session.add(registration)
    registration.item_ids, registration.slots = items, chosen_slots
    registration.updated_at = clock.now()
    try:
        db.session.commit()
    except IntegrityError:  # the same form arrived twice at once: the other one registered
        db.session.rollback()
        return register(actor, day, items, chosen_slots)
    return registration


def set_choices(actor, day: MatchDay, choices: Mapping[int, str]) -> MatchDayRegistration:
    """The actor's wished (`wish`) and refused (`refuse`) partners; "" clears a choice."""
    _party(actor, day)
    registration = registration_of(day, actor.organisation_id)
    if registration is None:
        raise InvalidTransition(_("请先报名，再选择洽谈对象。"))
    partners = {r.organisation_id for r in day.registrations if r.kind != registration.kind}
    if (
        any(c not in (*states.CHOICES, "") for c in choices.values())
        or not set(choices) <= partners
    ):
        raise ValidationFailed(_("洽谈对象选择无效，请重新选择。"))
    current = {c.partner_id: c for c in registration.choices}
    for partner, choice in choices.items():
        row = current.get(partner)
        if not choice and row is not None:
            registration.choices.remove(row)
        elif choice and row is None:
            registration.choices.append(MatchDayChoice(partner_id=partner, choice=choice))
        elif choice:
            row.choice = choice
    db.session.commit()
    return registration


def run_schedule(actor, day: MatchDay, time_limit: float = 20.0):
    """Run the scheduler after the deadline (or again after pins and removals); the parties
    hear of their agendas."""
    access.require_organiser(actor)
    if day.status == states.PUBLISHED and day.registration_open():
        raise InvalidTransition(_("报名截止后才能排定洽谈日程。"))
    if day.has_begun():
        raise InvalidTransition(_("对接会已开始，日程不能再重新排定。"))
    states.next_status(day.status, "schedule", "organiser")
    result = schedule_run.schedule(day, time_limit)
    day.status, day.scheduled_at = states.SCHEDULED, clock.now()
    day.schedule_note = result.status
    _notify_parties(day)
    db.session.commit()
    return result


def _notify_parties(day: MatchDay) -> None:
    """Each party's members get its agenda in the inbox and by e-mail (time, table, partner)."""
    agendas: dict[int, list[MatchDayMeeting]] = {}
    for m in day_meetings(day):
        if m.state != "removed":
            agendas.setdefault(m.factory_id, []).append(m)
            agendas.setdefault(m.vendor_id, []).append(m)
    for org_id, meetings in agendas.items():
        users = db.session.scalars(select(User).where(User.organisation_id == org_id, User.active))
        notify(
            list(users),
            "matchday_agenda",
            _l("%(title)s：您的洽谈日程已排定", title=day.title),
            AgendaText(day, org_id, meetings),
            f"/matchdays/{day.id}/agenda",
            about=day,
        )


class AgendaText:
    """A party's agenda as plain text, written in the language of whoever reads it (the
    notifications turn the body into text once per recipient, in the recipient's language)."""

    def __init__(self, day: MatchDay, organisation_id: int, meetings: list[MatchDayMeeting]):
        self.day, self.organisation_id, self.meetings = day, organisation_id, meetings

    def __str__(self) -> str:
        lines = [_("共 %(n)s 场一对一洽谈：", n=len(self.meetings))]
        for m in self.meetings:
            partner = m.vendor if m.factory_id == self.organisation_id else m.factory
            lines.append(
                _(
                    "%(time)s · 第 %(table)s 桌 · %(partner)s",
                    time=self.day.slot_label(m.slot),
                    table=m.table_no + 1,
                    partner=partner.name,
                )
            )
        lines.append(_("日程页列出每场的需求、方案与匹配理由，可打印携带。"))
        return "\n".join(lines)


def day_meetings(day: MatchDay) -> list[MatchDayMeeting]:
    query = select(MatchDayMeeting).filter_by(match_day_id=day.id)
    return list(db.session.scalars(query.order_by(MatchDayMeeting.slot, MatchDayMeeting.table_no)))


MEETING_ACTIONS = {"pin": "pinned", "unpin": "proposed", "remove": "removed", "restore": "proposed"}


def set_meeting_state(actor, meeting: MatchDayMeeting, action: str) -> bool:
    """Pin / unpin / remove / restore a meeting; the next run keeps pins and leaves removed
    pairs out. False when it is already so."""
    access.require_organiser(actor)
    if action not in MEETING_ACTIONS:
        raise ValidationFailed()
    day = db.session.get_one(MatchDay, meeting.match_day_id)
    if day.status != states.SCHEDULED:
        raise InvalidTransition()
    if day.has_begun():  # the schedule can no longer be re-run: pins and removals mean nothing
        raise InvalidTransition(_("对接会已开始，洽谈安排不能再调整。"))
    target = MEETING_ACTIONS[action]
    if meeting.state == target:
        return False
    if action in ("unpin", "restore") and meeting.state != (
        "pinned" if action == "unpin" else "removed"
    ):
        raise InvalidTransition()
    meeting.state = target
    db.session.commit()
    return True


VERDICT = {"interest": "contacted", "no_interest": "irrelevant"}


def record_outcome(actor, meeting: MatchDayMeeting, outcome: str) -> bool:
    """A party's 意向/无意向 on a meeting it had, also stored as its relevance judgment of the
    need × offering pair (意向 = 已联系, 无意向 = 不相关). False when unchanged."""
    side = access.side_in(actor, meeting)
    if side is None:
        raise NotAllowed()
    if outcome not in states.OUTCOMES:
        raise ValidationFailed(_("请选择“有意向”或“无意向”。"))
    day = db.session.get_one(MatchDay, meeting.match_day_id)
    if day.status != states.SCHEDULED or meeting.state == "removed" or not day.has_begun():
        raise InvalidTransition(_("对接会开始后才能记录洽谈结果。"))
    field = f"{side}_outcome"
    if getattr(meeting, field) == outcome:
        return False
    setattr(meeting, field, outcome)
    if meeting.need_id is not None and meeting.offering_id is not None:
        judgment_side = "need" if side == "factory" else "offering"
        # `record` commits, with the outcome, in one transaction
        judgments.record(
            actor.id, meeting.need_id, meeting.offering_id, judgment_side, VERDICT[outcome]
        )
    db.session.commit()
    return True


@dataclass
class Conversion:
    meetings: int
    answered: int  # meetings with at least one side's outcome
    interested: int  # meetings where a side recorded 意向

    @property
    def percent(self) -> int | None:
        return round(100 * self.interested / self.meetings) if self.meetings else None


def conversion(day: MatchDay) -> Conversion:
    held = [m for m in day_meetings(day) if m.state != "removed"]
    answered = [m for m in held if m.factory_outcome or m.vendor_outcome]
    return Conversion(len(held), len(answered), sum(1 for m in held if m.interested))
