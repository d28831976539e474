"""From a day's registrations to its meetings: build the scheduler's problem (pair values from
the matching engine and the wishes, refused and removed pairs left out, pins kept, the previous
proposal as the stability reference), solve it, and write the meetings (with the need ×
offering, score, band and reasons of each). The caller commits."""

from __future__ import annotations

from flask_babel import gettext as _

from ..errors import InvalidTransition
from ..extensions import db
from . import pairs, scheduling
from .models import MatchDay, MatchDayMeeting


def _key(org_id: int) -> str:
    return str(org_id)


def build_problem(day: MatchDay, scores) -> tuple[scheduling.Problem, list[MatchDayMeeting]]:
    regs = day.registrations
    factories = {_key(r.organisation_id): frozenset(r.slots) for r in regs if r.kind == "factory"}
    vendors = {_key(r.organisation_id): frozenset(r.slots) for r in regs if r.kind == "vendor"}
    wishes, refusals = set(), set()
    for r in regs:
        for c in r.choices:
            pair = (
                (r.organisation_id, c.partner_id)
                if r.kind == "factory"
                else (c.partner_id, r.organisation_id)
            )
            (wishes if c.choice == "wish" else refusals).add((pair, r.kind))
    refused = {pair for pair, _side in refusals}
    values = {}
    for (f, v), score in scores.items():
        if (f, v) in refused:
            continue
        values[_key(f), _key(v)] = scheduling.pair_value(
            score.score, ((f, v), "factory") in wishes, ((f, v), "vendor") in wishes
        )
    existing = list(db.session.scalars(db.select(MatchDayMeeting).filter_by(match_day_id=day.id)))

    def meeting(m):
        return scheduling.Meeting(_key(m.factory_id), _key(m.vendor_id), m.slot, m.table_no)

    problem = scheduling.Problem(
        day.slot_count,
        day.tables,
        factories,
        vendors,
        values,
        pinned=[meeting(m) for m in existing if m.state == "pinned"],
        removed=frozenset(
            (_key(m.factory_id), _key(m.vendor_id)) for m in existing if m.state == "removed"
        ),
        previous=[meeting(m) for m in existing if m.state != "removed"],
    )
    return problem, existing


def schedule(day: MatchDay, time_limit: float = 20.0) -> scheduling.Schedule:
    regs = day.registrations
    scores = pairs.score_pairs(
        [r for r in regs if r.kind == "factory"], [r for r in regs if r.kind == "vendor"]
    )
    problem, existing = build_problem(day, scores)
    try:
        result = scheduling.solve(problem, time_limit=time_limit, workers=2)
    except RuntimeError:
        raise InvalidTransition(
            _("固定的洽谈与双方可参加的时段冲突，请取消固定后重新排定。")
        ) from None
    by_pair = {(m.factory_id, m.vendor_id): m for m in existing}
    placed = set()
    for m in result.meetings:
        pair = (int(m.factory), int(m.vendor))
        placed.add(pair)
        row = by_pair.get(pair)
        if row is None:
            row = MatchDayMeeting(
                match_day_id=day.id, factory_id=pair[0], vendor_id=pair[1], state="proposed"
            )
            db.session.add(row)
        row.slot, row.table_no = m.slot, m.table
        score = scores.get(pair) or pairs.PairScore(None)
        row.need_id, row.offering_id = score.need_id, score.offering_id
        row.score, row.band = score.score, score.band
        row.value = problem.values.get((m.factory, m.vendor), 0)
        row.reasons = pairs.explain(score)
    for pair, row in by_pair.items():
        if row.state == "proposed" and pair not in placed:
            db.session.delete(row)
    return result
