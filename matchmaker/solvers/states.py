"""The offering life cycle as a pure transition table (no Flask, no database).

    draft ──submit──▶ submitted ──approve──▶ published
      ▲                  │ │
      │               return reject
    (edit)               ▼ ▼
    returned ◀───────────┘ retired ◀── retire (vendor or organiser) from any live status

A returned offering is edited and submitted again. Vendors act on their own offerings;
organisers review. `next_status` answers the question or raises `TransitionRefused` (its
`RoleRefused` is a 403, its `StatusRefused` a 409; see `matchmaker.statemachine`).
"""

from __future__ import annotations

from ..statemachine import Forbidden, Inapplicable, StateMachine, TransitionError, transition

DRAFT = "draft"
SUBMITTED = "submitted"
PUBLISHED = "published"
RETURNED = "returned"
RETIRED = "retired"
STATUSES = (DRAFT, SUBMITTED, PUBLISHED, RETURNED, RETIRED)

VENDOR = "vendor"
ORGANISER = "organiser"

SUBMIT = "submit"
APPROVE = "approve"
RETURN = "return"
REJECT = "reject"
RETIRE = "retire"
ACTIONS = (SUBMIT, APPROVE, RETURN, REJECT, RETIRE)

# action → (statuses it applies to, resulting status, roles allowed); retire's roles differ
TRANSITIONS = {
    SUBMIT: transition({DRAFT, RETURNED}, SUBMITTED, {VENDOR}),
    APPROVE: transition({SUBMITTED}, PUBLISHED, {ORGANISER}),
    RETURN: transition({SUBMITTED}, RETURNED, {ORGANISER}),
    REJECT: transition({SUBMITTED}, RETIRED, {ORGANISER}),
    RETIRE: (
        transition({DRAFT, SUBMITTED}, RETIRED, {VENDOR}),
        transition({RETURNED, PUBLISHED}, RETIRED, {VENDOR, ORGANISER}),
    ),
}

# The vendor may change the content only while nobody else is looking at it.
EDITABLE = frozenset({DRAFT, RETURNED})
# Actions that need a comment (the vendor must learn why).
COMMENT_REQUIRED = frozenset({RETURN, REJECT})


class TransitionRefused(TransitionError):
    """`reason` is "unknown_action", "wrong_status" or "wrong_role"."""


class RoleRefused(TransitionRefused, Forbidden):
    pass


class StatusRefused(TransitionRefused, Inapplicable):
    pass


MACHINE = StateMachine(TRANSITIONS, forbidden=RoleRefused, refused=StatusRefused)
allowed_actions = MACHINE.allowed_actions


def next_status(status: str, action: str, role: str) -> str:
    """The status is looked at before the role: a wrong status is "wrong_status" (409) even
    for a role that may never take the action."""
    where = {"current": status, "action": action, "role": role}
    if status not in STATUSES:
        raise StatusRefused(reason="unknown_action", **where)
    if action in ACTIONS and not MACHINE.applies(status, action):
        raise StatusRefused(reason="wrong_status", **where)
    return MACHINE.next_status(status, action, role)


def is_editable(status: str) -> bool:
    return status in EDITABLE
