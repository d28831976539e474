"""The scheduler's rules, each on a small event whose best schedule is known (no Flask)."""

from __future__ import annotations

import pytest

from matchmaker.matchdays.scheduling import (
    MUTUAL_BONUS,
    ONE_SIDED_BONUS,
    Meeting,
    Problem,
    check,
    greedy_schedule,
    pair_value,
    solve,
)

ALL = frozenset(range(3))


def problem(values, slots=3, tables=5, factories=None, vendors=None, **kw) -> Problem:
    factories = factories or {f: ALL for f, _ in values}
    vendors = vendors or {v: ALL for _, v in values}
    return Problem(slots, tables, factories, vendors, values, **kw)


def pairs_of(schedule):
    return {(m.factory, m.vendor) for m in schedule.meetings}


def test_pair_value_raises_mutual_wishes_more_than_one_sided():
    assert pair_value(0.5, False, False) == 50
    assert pair_value(0.5, True, False) == 50 + ONE_SIDED_BONUS
    assert pair_value(0.5, False, True) == 50 + ONE_SIDED_BONUS
    assert pair_value(0.5, True, True) == 50 + MUTUAL_BONUS
    assert pair_value(None, False, False) == 1  # a feasible meeting is never worth nothing


def test_everyone_meets_everyone_when_there_is_room():
    values = {(f, v): 10 for f in "ab" for v in "xyz"}
    schedule = solve(problem(values))
    assert schedule.status == "optimal"
    assert pairs_of(schedule) == set(values) and schedule.value == 60
    assert check(problem(values), schedule.meetings) == []


def test_no_party_double_booked():
    # one slot: factory a can meet only one of x, y; the better one wins
    values = {("a", "x"): 30, ("a", "y"): 50}
    p = problem(values, slots=1, factories={"a": frozenset({0})})
    schedule = solve(p)
    assert pairs_of(schedule) == {("a", "y")} or schedule.uncovered
    # fair share would want x too, but it cannot: a is the only partner and has one slot
    assert schedule.value == 50 and check(p, schedule.meetings) == []


def test_availability_is_respected():
    values = {("a", "x"): 40}
    p = problem(values, factories={"a": frozenset({0, 1})}, vendors={"x": frozenset({1, 2})})
    schedule = solve(p)
    assert [(m.slot) for m in schedule.meetings] == [1]


def test_no_common_slot_no_meeting():
    values = {("a", "x"): 40}
    p = problem(values, factories={"a": frozenset({0})}, vendors={"x": frozenset({2})})
    schedule = solve(p)
    assert schedule.meetings == [] and schedule.status == "empty"


def test_at_most_one_meeting_per_pair():
    values = {("a", "x"): 90}
    schedule = solve(problem(values))
    assert len(schedule.meetings) == 1 and schedule.value == 90


def test_tables_are_capacity():
    # 3 factories × 3 vendors, 1 slot, 2 tables: only 2 meetings, the best two disjoint
    values = {("a", "x"): 90, ("b", "y"): 80, ("c", "z"): 70, ("a", "y"): 1}
    p = problem(values, slots=1, tables=2, factories={k: frozenset({0}) for k in "abc"},
                vendors={k: frozenset({0}) for k in "xyz"})  # fmt: skip
    schedule = solve(p)
    assert pairs_of(schedule) == {("a", "x"), ("b", "y")}
    assert sorted(m.table for m in schedule.meetings) == [0, 1]


def test_refused_pairs_are_never_scheduled():
    # the caller leaves refused pairs out of `values`; a removed pair is the organiser's refusal
    values = {("a", "x"): 90, ("a", "y"): 10}
    schedule = solve(problem(values, removed=frozenset({("a", "x")})))
    assert pairs_of(schedule) == {("a", "y")}


def test_fair_share_gives_every_party_a_meeting_at_a_cost():
    # one slot; the best value would be a–x (100) alone, leaving b and y without a meeting;
    # fair share picks a–y and b–x (40 + 40) instead
    values = {("a", "x"): 100, ("a", "y"): 40, ("b", "x"): 40}
    one = frozenset({0})
    p = problem(values, slots=1, factories={"a": one, "b": one}, vendors={"x": one, "y": one})
    schedule = solve(p)
    assert pairs_of(schedule) == {("a", "y"), ("b", "x")} and schedule.covered_all
    assert schedule.value == 80


def test_fair_share_when_capacity_cannot_give_everyone_one():
    # 1 slot, 1 table, 2 disjoint pairs: one party pair goes without; the better pair wins
    values = {("a", "x"): 30, ("b", "y"): 70}
    one = frozenset({0})
    p = problem(values, slots=1, tables=1, factories={"a": one, "b": one},
                vendors={"x": one, "y": one})  # fmt: skip
    schedule = solve(p)
    assert pairs_of(schedule) == {("b", "y")}
    assert not schedule.covered_all and schedule.uncovered == ["f:a", "v:x"]


def test_pins_are_kept_in_slot_and_table():
    values = {("a", "x"): 10, ("a", "y"): 90, ("b", "y"): 5}
    pin = Meeting("a", "x", 2, 4)
    schedule = solve(problem(values, pinned=[pin]))
    assert pin in schedule.meetings
    assert check(problem(values), schedule.meetings) == []


def test_rerun_after_removal_keeps_the_rest():
    values = {(f, v): 10 + i for i, (f, v) in enumerate((f, v) for f in "abc" for v in "xyz")}
    p = problem(values, tables=3)
    first = solve(p)
    removed = first.meetings[0]
    again = solve(problem(values, tables=3, removed=frozenset({(removed.factory, removed.vendor)}),
                          previous=first.meetings))  # fmt: skip
    assert (removed.factory, removed.vendor) not in pairs_of(again)
    kept = set(first.meetings) - {removed}
    assert len(kept & set(again.meetings)) >= len(kept) - 2  # the rest stays (slot and table)


def test_greedy_baseline_is_valid_and_never_better_here():
    values = {("a", "x"): 100, ("a", "y"): 40, ("b", "x"): 40}
    one = frozenset({0})
    p = problem(values, slots=1, factories={"a": one, "b": one}, vendors={"x": one, "y": one})
    greedy = greedy_schedule(p)
    assert check(p, greedy.meetings) == []
    assert solve(p).value >= greedy.value


def test_pins_that_conflict_are_an_error():
    values = {("a", "x"): 10}
    p = problem(values, factories={"a": frozenset({0})}, pinned=[Meeting("a", "x", 2, 0)])
    with pytest.raises(RuntimeError):
        solve(p)


def test_a_random_event_is_valid_optimal_and_not_worse_than_greedy():
    import random

    rng = random.Random(3)
    factories = {f"f{i}": frozenset(rng.sample(range(6), 4)) for i in range(8)}
    vendors = {f"v{i}": frozenset(rng.sample(range(6), 4)) for i in range(10)}
    values = {(f, v): rng.randint(1, 100) for f in factories for v in vendors if rng.random() < 0.7}
    p = Problem(6, 3, factories, vendors, values)
    best, greedy = solve(p), greedy_schedule(p)
    assert check(p, best.meetings) == [] and check(p, greedy.meetings) == []
    assert best.status == "optimal" and best.value >= greedy.value and best.covered_all
