"""The 1:1 meeting schedule of a matchmaking day (供需对接会), as a CP-SAT model (no Flask).

Input: the parties (factories and vendors, each with the slots it is available), the pairs
that may meet with their value, the number of tables, the organiser's pinned meetings and
removed pairs, and the previous schedule. Output: meetings (factory, vendor, slot, table).

Two real solvers: HiGHS (scipy.optimize.milp) chooses the pairs, CP-SAT (OR-Tools) places
them in slots; see `solve`. The rule, in the order the models state it:
- a meeting needs a pair the organiser did not remove and neither side refused (refused pairs
  never reach the model: the caller leaves them out of `pairs`), in a slot both sides are
  available; at most one meeting per pair;
- no party in two meetings in the same slot; at most `tables` meetings in a slot;
- fair share: every party with at least one feasible pair gets at least one meeting; when the
  capacity cannot give everyone one (a hard constraint would be infeasible), the model first
  maximises the number of parties who get one, then the value;
- pinned meetings are fixed (slot and table) and count like any other;
- objective: the sum of the meetings' values (`pair_value`: the calibrated match score raised
  for mutual wishes, less for one-sided ones), plus a small bonus for keeping a meeting where
  the previous run put it, so a re-run after a pin or removal changes little else.
Tables are numbered after the solve: pinned and kept meetings keep theirs, the others take the
free ones in order.

`greedy_schedule` is the baseline the benchmark compares with (tests/bench/bench_matchdays.py):
every party in turn (fewest options first) takes its best free pair, then the best pairs fill
the rest, each at the earliest slot that fits.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

SCALE = 100  # a calibrated score of 0.73 is worth 73 points
MUTUAL_BONUS = 60  # both sides wished for the pair
ONE_SIDED_BONUS = 25  # one side did
FLOOR_VALUE = 1  # every feasible meeting is worth something, however low its score
STABILITY_BONUS = 2  # keeping a meeting in the slot the previous run gave it

Pair = tuple[str, str]  # (factory key, vendor key)


def pair_value(score: float | None, factory_wishes: bool, vendor_wishes: bool) -> int:
    """A meeting's value in integer points: 100 × the calibrated score (0 when the engine has
    none), +60 when both sides wished for it, +25 when one did; at least 1."""
    base = int(round(SCALE * max(0.0, min(1.0, score or 0.0))))
    if factory_wishes and vendor_wishes:
        base += MUTUAL_BONUS
    elif factory_wishes or vendor_wishes:
        base += ONE_SIDED_BONUS
    return max(FLOOR_VALUE, base)


@dataclass(frozen=True)
class Meeting:
    factory: str
    vendor: str
    slot: int
    table: int


@dataclass
class Problem:
    slots: int
    tables: int
    factories: Mapping[str, frozenset[int]]  # key → available slots
    vendors: Mapping[str, frozenset[int]]
    values: Mapping[Pair, int]  # the pairs that may meet (refused ones left out)
    pinned: Sequence[Meeting] = ()
    removed: frozenset[Pair] = frozenset()
    previous: Sequence[Meeting] = ()

    def common_slots(self, pair: Pair) -> list[int]:
        f, v = pair
        both = self.factories.get(f, frozenset()) & self.vendors.get(v, frozenset())
        return sorted(s for s in both if 0 <= s < self.slots)

    def feasible_pairs(self) -> list[Pair]:
        """Pairs that may meet: valued, not removed, with a common slot."""
        return sorted(
            p for p in self.values if p not in self.removed and self.common_slots(p)
        )  # fmt: skip


@dataclass
class Schedule:
    meetings: list[Meeting]
    value: int  # the sum of the meetings' values (stability bonus not counted)
    status: str  # "optimal" | "feasible" | "greedy" | "empty"
    covered_all: bool  # every party with a feasible pair has a meeting
    seconds: float = 0.0
    bound: float | None = None  # the solver's upper bound on the value (with the bonus)
    uncovered: list[str] = field(default_factory=list)


def total_value(problem: Problem, meetings: Iterable[Meeting]) -> int:
    return sum(problem.values.get((m.factory, m.vendor), 0) for m in meetings)


def check(problem: Problem, meetings: Sequence[Meeting]) -> list[str]:
    """Every broken rule of a schedule, in words (empty: valid). Tests and the benchmark use it."""
    errors = []
    seen_pairs, busy, tables = set(), set(), defaultdict(set)
    for m in meetings:
        pair = (m.factory, m.vendor)
        if pair not in problem.values or pair in problem.removed:
            errors.append(f"pair {pair} may not meet")
        if m.slot not in problem.common_slots(pair):
            errors.append(f"{pair} not both available in slot {m.slot}")
        if pair in seen_pairs:
            errors.append(f"{pair} meets twice")
        seen_pairs.add(pair)
        for party in (("f", m.factory), ("v", m.vendor)):
            if (party, m.slot) in busy:
                errors.append(f"{party[1]} double-booked in slot {m.slot}")
            busy.add((party, m.slot))
        if not 0 <= m.table < problem.tables or m.table in tables[m.slot]:
            errors.append(f"table {m.table} of slot {m.slot} invalid or taken twice")
        tables[m.slot].add(m.table)
    return errors


def _uncovered(problem: Problem, meetings: Sequence[Meeting]) -> list[str]:
    feasible = problem.feasible_pairs()
    wanting = {("f", f) for f, _ in feasible} | {("v", v) for _, v in feasible}
    met = {("f", m.factory) for m in meetings} | {("v", m.vendor) for m in meetings}
    return sorted(f"{side}:{key}" for side, key in wanting - met)


def solve(problem: Problem, time_limit: float = 20.0, workers: int = 2, seed: int = 0) -> Schedule:
    """The best schedule found within `time_limit` seconds on `workers` threads.

    Two steps: choose the pairs that meet (a MILP relaxation, HiGHS, that counts capacities
    per party, per slot window and overall, without slots), then put the chosen pairs into
    slots (CP-SAT). When the
    second step succeeds, the first step's optimum is the schedule's value, so a proven
    optimal choice is a proven optimal schedule. When it fails (the relaxation chose pairs
    that no slot assignment fits), the full model (pair × slot) runs, hinted with the greedy
    schedule, for the time left."""
    started = time.perf_counter()
    if not problem.feasible_pairs():
        return Schedule([], 0, "empty", True)
    schedule = None
    for hard_cover in (True, False):
        chosen = _choose_pairs(problem, time_limit, workers, seed, hard_cover)
        if chosen is None:
            continue  # hard fair share infeasible: maximise the parties met first
        pairs, optimal, bound = chosen
        placed = _place(problem, pairs, max(1.0, time_limit - (time.perf_counter() - started)),
                        workers, seed)  # fmt: skip
        if placed is not None:
            schedule = _result(problem, placed, "optimal" if optimal else "feasible", bound)
        else:
            left = max(1.0, time_limit - (time.perf_counter() - started))
            schedule = _solve_full(problem, left, workers, seed, hard_cover)
        if schedule is not None:
            break
    if schedule is None:
        raise RuntimeError("the solver found no schedule (pinned meetings conflict?)")
    schedule.seconds = time.perf_counter() - started
    return schedule


def _result(problem: Problem, chosen, status: str, bound: float | None) -> Schedule:
    meetings = assign_tables(problem, chosen)
    uncovered = _uncovered(problem, meetings)
    return Schedule(
        meetings,
        total_value(problem, meetings),
        status,
        covered_all=not uncovered,
        bound=bound,
        uncovered=uncovered,
    )


def _solver(time_limit: float, workers: int, seed: int):
    from ortools.sat.python import cp_model  # here: only the scheduler needs it

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_search_workers = workers
    solver.parameters.random_seed = seed
    return solver


def _cover_objective(model, problem, terms, by_party, pairs, hard_cover: bool) -> None:
    if hard_cover:
        for group in by_party.values():
            model.Add(sum(group) >= 1)
        model.Maximize(sum(terms))
        return
    weight = sum(problem.values[p] + STABILITY_BONUS for p in pairs) + 1
    covered = []
    for group in by_party.values():
        y = model.NewBoolVar("")
        model.Add(sum(group) >= y)
        covered.append(y)
    model.Maximize(weight * sum(covered) + sum(terms))


def _choose_pairs(problem, time_limit, workers, seed, hard_cover):
    """Step 1: which pairs meet, a MILP solved by HiGHS (scipy). Capacities: a party meets at
    most as many partners as it has slots in any set of slots its pairs are confined to; the
    pairs confined to a set of slots fit its tables; pins meet. Close to a bipartite
    b-matching, so its linear relaxation is nearly integral and HiGHS proves the optimum in
    seconds where CP-SAT's search stalls. (pairs, proven optimal, upper bound) or None."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    pairs = problem.feasible_pairs()
    index = {p: i for i, p in enumerate(pairs)}
    common = {p: frozenset(problem.common_slots(p)) for p in pairs}
    rows: list[tuple[list[int], float, float]] = []
    by_party = defaultdict(list)
    for p in pairs:
        by_party["f", p[0]].append(p)
        by_party["v", p[1]].append(p)
    for own in by_party.values():
        if hard_cover:
            rows.append(([index[p] for p in own], 1, np.inf))
        for window in {common[p] for p in own} | {frozenset().union(*(common[p] for p in own))}:
            inside = [index[p] for p in own if common[p] <= window]
            if len(inside) > len(window):
                rows.append((inside, 0, len(window)))
    for window in {common[p] for p in pairs} | {frozenset(range(problem.slots))}:
        inside = [index[p] for p in pairs if common[p] <= window]
        if len(inside) > problem.tables * len(window):
            rows.append((inside, 0, problem.tables * len(window)))
    lower = np.zeros(len(pairs))
    for pin in problem.pinned:
        pair = (pin.factory, pin.vendor)
        if pair not in index or pin.slot not in common[pair]:
            return None
        lower[index[pair]] = 1
    kept = {(m.factory, m.vendor) for m in problem.previous}
    gain = np.array(
        [problem.values[p] + (STABILITY_BONUS if p in kept else 0) for p in pairs], float
    )
    if not hard_cover:  # a party's first meeting outweighs every value: met parties first
        weight = gain.sum() + 1
        groups = list(by_party.values())
        for k, own in enumerate(groups):  # cover_k ≤ the party's meetings
            members = [index[p] for p in own]
            rows.append(([*members, len(pairs) + k], 0, np.inf, [1.0] * len(members) + [-1.0]))
        gain = np.concatenate([gain, np.full(len(groups), weight)])
        lower = np.concatenate([lower, np.zeros(len(groups))])
    size = len(gain)
    r, c, v, lo, hi = [], [], [], [], []
    for n_row, row in enumerate(rows):
        cols, low, high = row[0], row[1], row[2]
        coef = row[3] if len(row) > 3 else [1.0] * len(cols)
        r += [n_row] * len(cols)
        c += cols
        v += coef
        lo.append(low)
        hi.append(high)
    matrix = coo_matrix((v, (r, c)), shape=(len(rows), size)).tocsr()
    result = milp(
        -gain,
        constraints=LinearConstraint(matrix, lo, hi),
        integrality=np.ones(size),
        bounds=Bounds(lower, np.ones(size)),
        options={"time_limit": max(1.0, time_limit / 2), "disp": False},
    )
    if result.x is None:
        return None
    chosen = [p for p in pairs if result.x[index[p]] > 0.5]
    bound = -result.mip_dual_bound if hard_cover and result.mip_dual_bound is not None else None
    return chosen, result.status == 0, bound


def _place(problem, pairs, time_limit, workers, seed):
    """Step 2: a slot for every chosen pair (kept where the previous run had it, when it can
    be); None when the chosen pairs do not fit."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x, by_party_slot, by_slot = {}, defaultdict(list), defaultdict(list)
    for pair in pairs:
        for slot in problem.common_slots(pair):
            var = x[pair, slot] = model.NewBoolVar("")
            by_party_slot["f", pair[0], slot].append(var)
            by_party_slot["v", pair[1], slot].append(var)
            by_slot[slot].append(var)
        model.AddExactlyOne(x[pair, s] for s in problem.common_slots(pair))
    for group in by_party_slot.values():
        model.AddAtMostOne(group)
    for group in by_slot.values():
        model.Add(sum(group) <= problem.tables)
    for pin in problem.pinned:
        model.Add(x[(pin.factory, pin.vendor), pin.slot] == 1)
    previous = [x[k] for k in {((m.factory, m.vendor), m.slot) for m in problem.previous} if k in x]
    model.Maximize(sum(previous))
    solver = _solver(time_limit, workers, seed)
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [key for key, var in x.items() if solver.Value(var)]


def _solve_full(problem, time_limit, workers, seed, hard_cover) -> Schedule | None:
    """The whole model (pair × slot), hinted with the previous or the greedy schedule."""
    from ortools.sat.python import cp_model

    pairs = problem.feasible_pairs()
    model = cp_model.CpModel()
    x: dict[tuple[Pair, int], object] = {}
    by_party_slot, by_slot, by_party = defaultdict(list), defaultdict(list), defaultdict(list)
    for pair in pairs:
        for slot in problem.common_slots(pair):
            var = x[pair, slot] = model.NewBoolVar("")
            by_party_slot["f", pair[0], slot].append(var)
            by_party_slot["v", pair[1], slot].append(var)
            by_slot[slot].append(var)
            by_party["f", pair[0]].append(var)
            by_party["v", pair[1]].append(var)
        model.AddAtMostOne(x[pair, s] for s in problem.common_slots(pair))
    for group in by_party_slot.values():
        model.AddAtMostOne(group)
    for group in by_slot.values():
        model.Add(sum(group) <= problem.tables)
    for pin in problem.pinned:
        var = x.get(((pin.factory, pin.vendor), pin.slot))
        if var is None:
            return None
        model.Add(var == 1)
    previous = {((m.factory, m.vendor), m.slot) for m in problem.previous}
    terms = [
        (problem.values[key[0]] + (STABILITY_BONUS if key in previous else 0)) * var
        for key, var in x.items()
    ]
    _cover_objective(model, problem, terms, by_party, pairs, hard_cover)
    greedy = {((m.factory, m.vendor), m.slot) for m in greedy_schedule(problem).meetings}
    hint = previous or greedy
    for key, var in x.items():
        model.AddHint(var, 1 if key in hint else 0)
    solver = _solver(time_limit, workers, seed)
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    chosen = [key for key, var in x.items() if solver.Value(var)]
    status_name = "optimal" if status == cp_model.OPTIMAL else "feasible"
    return _result(
        problem, chosen, status_name, solver.BestObjectiveBound() if hard_cover else None
    )


def assign_tables(problem: Problem, chosen: Iterable[tuple[Pair, int]]) -> list[Meeting]:
    """Tables for the chosen (pair, slot)s: pinned ones, then those the previous run had at the
    same slot keep their table; the rest take the lowest free tables."""
    keep = {((m.factory, m.vendor), m.slot): m.table for m in problem.previous}
    keep.update({((m.factory, m.vendor), m.slot): m.table for m in problem.pinned})
    pinned = {((m.factory, m.vendor), m.slot) for m in problem.pinned}
    taken: dict[int, set[int]] = defaultdict(set)
    placed: dict[tuple[Pair, int], int] = {}
    ordered = sorted(chosen, key=lambda key: (key not in pinned, key not in keep, key))
    for key in ordered:
        slot = key[1]
        table = keep.get(key)
        if table is None or table in taken[slot] or not 0 <= table < problem.tables:
            table = min(t for t in range(problem.tables) if t not in taken[slot])
        taken[slot].add(table)
        placed[key] = table
    return sorted(
        (Meeting(pair[0], pair[1], slot, table) for (pair, slot), table in placed.items()),
        key=lambda m: (m.slot, m.table),
    )


def greedy_schedule(problem: Problem) -> Schedule:
    """The baseline: pins first; then each party without a meeting (fewest feasible pairs
    first) takes its most valuable pair that still fits; then pairs by value, highest first.
    Each meeting goes to the earliest common slot where both are free and a table is."""
    started = time.perf_counter()
    pairs = problem.feasible_pairs()
    busy: set[tuple[str, str, int]] = set()
    load: dict[int, int] = defaultdict(int)
    met: set[Pair] = set()
    chosen: list[tuple[Pair, int]] = []

    def place(pair: Pair, slot: int | None = None) -> bool:
        if pair in met:
            return False
        slots = [slot] if slot is not None else problem.common_slots(pair)
        for s in slots:
            if ("f", pair[0], s) in busy or ("v", pair[1], s) in busy:
                continue
            if load[s] >= problem.tables:
                continue
            busy.update({("f", pair[0], s), ("v", pair[1], s)})
            load[s] += 1
            met.add(pair)
            chosen.append((pair, s))
            return True
        return False

    for pin in problem.pinned:
        place((pin.factory, pin.vendor), pin.slot)
    options = defaultdict(list)
    for pair in pairs:
        options["f", pair[0]].append(pair)
        options["v", pair[1]].append(pair)
    has = {("f", p[0]) for p, _ in chosen} | {("v", p[1]) for p, _ in chosen}
    for party in sorted(options, key=lambda k: (len(options[k]), k)):
        if party in has:
            continue
        for pair in sorted(options[party], key=lambda p: -problem.values[p]):
            if place(pair):
                has.update({("f", pair[0]), ("v", pair[1])})
                break
    for pair in sorted(pairs, key=lambda p: (-problem.values[p], p)):
        place(pair)
    meetings = assign_tables(problem, chosen)
    uncovered = _uncovered(problem, meetings)
    return Schedule(
        meetings,
        total_value(problem, meetings),
        "greedy",
        covered_all=not uncovered,
        seconds=time.perf_counter() - started,
        uncovered=uncovered,
    )
