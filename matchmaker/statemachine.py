"""One shape for every status machine: a pure transition table (no Flask app, no database).

A machine is a table `action → Transition(sources, target, roles)`: the statuses the action
applies to, the status it leads to and the roles (or actors) who may take it. An action whose
roles or target differ by status has a tuple of Transitions, one per group of sources:

    TRANSITIONS = {
        "submit": transition({"draft", "returned"}, "submitted", {"owner"}),
        "retire": (
            transition({"draft", "submitted"}, "retired", {"vendor"}),
            transition({"returned", "published"}, "retired", {"vendor", "organiser"}),
        ),
    }
    MACHINE = StateMachine(TRANSITIONS)
    MACHINE.next_status("draft", "submit", "owner")   # → "submitted"
    MACHINE.allowed_actions("draft", "owner")         # → ["submit"] (table order, for buttons)
    MACHINE.step("submitted", "submit", "owner")      # → None: already submitted (a repeat)

`next_status` raises the machine's `forbidden` error (a `Forbidden`, HTTP 403, reason
"wrong_role") when the role may not take the action from this status and may never take it from
any; its `refused` error (an `Inapplicable`, HTTP 409) when the action is unknown (reason
"unknown_action") or does not apply to the current status (reason "wrong_status"). Both are
`TransitionError`s carrying `current`, `action`, `role` and `reason`; a machine passes its own
subclasses so that its callers keep catching the names they know. `step` is `next_status` for
an action that may arrive twice: None when the status is already the one the role's action leads
to, so that the second request changes nothing instead of failing. A service writes the target
with a compare-and-set on the status it read (`matchmaker.competitions.transitions`), so that of
two concurrent requests one moves the record and the other finds it moved.

The machines and where their status vocabularies live (the constants DRAFT, PUBLISHED, … are
imported from there; migrations, templates, test data and SQL CHECK constraints keep literals):

    matchmaker/needs/states.py             需求 (choices.STATUSES re-uses its statuses)
    matchmaker/solvers/states.py           解决方案 (offerings)
    matchmaker/competitions/stages.py      榜单 stages (listings)
    matchmaker/competitions/statuses.py    揭榜申请 (applications), 联合体成员 (consortium members),
                                           专家指派 (expert assignments), 公示异议 (objections),
                                           整改 (rectifications) and 场景券 (award vouchers)
    matchmaker/matchdays/states.py         对接会 (match days)

`in_check` writes a vocabulary as the SQL of a CHECK constraint.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from .errors import DomainError, InvalidTransition, NotAllowed


class Transition(NamedTuple):
    sources: frozenset[str]
    target: str
    roles: frozenset[str]


def transition(sources: Iterable[str], target: str, roles: Iterable[str]) -> Transition:
    return Transition(frozenset(sources), target, frozenset(roles))


class TransitionError(DomainError):
    """A refused transition: which status, action and role, and why (`reason`)."""

    reason = ""

    def __init__(
        self,
        message: str | None = None,
        *,
        current: str | None = None,
        action: str | None = None,
        role: str | None = None,
        reason: str | None = None,
    ):
        super().__init__(message)
        self.current, self.action, self.role = current, action, role
        if reason:
            self.reason = reason


class Forbidden(TransitionError, NotAllowed):
    """403: the role may not take this action."""

    reason = "wrong_role"


class Inapplicable(TransitionError, InvalidTransition):
    """409: the action is unknown or does not apply to the current status."""

    reason = "wrong_status"


Table = dict[str, "Transition | tuple[Transition, ...]"]


class StateMachine:
    def __init__(
        self,
        transitions: Table,
        forbidden: type[Forbidden] = Forbidden,
        refused: type[Inapplicable] = Inapplicable,
    ):
        self.rows: dict[str, tuple[Transition, ...]] = {
            action: (rows,) if isinstance(rows, Transition) else tuple(rows)
            for action, rows in transitions.items()
        }
        self.forbidden, self.refused = forbidden, refused

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self.rows)

    def applies(self, status: str, action: str) -> bool:
        """Whether the action leads anywhere from this status (for some role)."""
        return any(status in row.sources for row in self.rows.get(action, ()))

    def next_status(self, status: str, action: str, role: str | None) -> str:
        rows = self.rows.get(action)
        where = {"current": status, "action": action, "role": role}
        if rows is None:
            raise self.refused(f"unknown action {action!r}", reason="unknown_action", **where)
        here = [row for row in rows if status in row.sources]
        for row in here:
            if role in row.roles:
                return row.target
        if here or not any(role in row.roles for row in rows):
            raise self.forbidden(reason="wrong_role", **where)
        raise self.refused(reason="wrong_status", **where)

    def repeats(self, status: str, action: str, role: str | None) -> bool:
        """Whether `status` is where `role`'s `action` leads from another status: the record has
        already been moved by this action (a double click, a second tab), not refused."""
        return any(
            row.target == status and role in row.roles and status not in row.sources
            for row in self.rows.get(action, ())
        )

    def step(self, status: str, action: str, role: str | None) -> str | None:
        """`next_status`, but None for a repeat (`repeats`): the action was already taken, so a
        caller changes nothing and reports success. Every other refusal raises as `next_status`
        does (a wrong role is refused before a repeat is recognised)."""
        try:
            return self.next_status(status, action, role)
        except self.refused as err:
            if err.reason == "wrong_status" and self.repeats(status, action, role):
                return None
            raise

    def allowed_actions(self, status: str, role: str | None) -> list[str]:
        """The actions `role` may take now, in table order (for buttons)."""
        return [
            action
            for action, rows in self.rows.items()
            if any(status in row.sources and role in row.roles for row in rows)
        ]


def in_check(column: str, values) -> str:
    """`status IN ('draft', 'published')`: a vocabulary as a CHECK constraint's SQL."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"
