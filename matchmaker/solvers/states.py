"""The offering life cycle as a pure transition table (no Flask, no database).

    draft ──submit──▶ submitted ──approve──▶ published
      ▲                  │ │
      │               return reject
    (edit)               ▼ ▼
    returned ◀───────────┘ retired ◀── retire (vendor or organiser) from any live status

A returned offering is edited and submitted again. Vendors act on their own offerings;
organisers review. `next_status` answers the question or raises `TransitionRefused`.
"""

from __future__ import annotations

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

# (status, action) → (new status, roles allowed to take the action)
TRANSITIONS: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    (DRAFT, SUBMIT): (SUBMITTED, frozenset({VENDOR})),
    (RETURNED, SUBMIT): (SUBMITTED, frozenset({VENDOR})),
    (SUBMITTED, APPROVE): (PUBLISHED, frozenset({ORGANISER})),
    (SUBMITTED, RETURN): (RETURNED, frozenset({ORGANISER})),
    (SUBMITTED, REJECT): (RETIRED, frozenset({ORGANISER})),
    (DRAFT, RETIRE): (RETIRED, frozenset({VENDOR})),
    (RETURNED, RETIRE): (RETIRED, frozenset({VENDOR, ORGANISER})),
    (SUBMITTED, RETIRE): (RETIRED, frozenset({VENDOR})),
    (PUBLISHED, RETIRE): (RETIRED, frozenset({VENDOR, ORGANISER})),
}

# The vendor may change the content only while nobody else is looking at it.
EDITABLE = frozenset({DRAFT, RETURNED})
# Actions that need a comment (the vendor must learn why).
COMMENT_REQUIRED = frozenset({RETURN, REJECT})


class TransitionRefused(Exception):
    """`reason` is "unknown_action", "wrong_status" or "wrong_role"."""

    def __init__(self, status: str, action: str, role: str, reason: str):
        super().__init__(f"{action} refused from {status} for {role}: {reason}")
        self.status, self.action, self.role, self.reason = status, action, role, reason


def next_status(status: str, action: str, role: str) -> str:
    if action not in ACTIONS or status not in STATUSES:
        raise TransitionRefused(status, action, role, "unknown_action")
    entry = TRANSITIONS.get((status, action))
    if entry is None:
        raise TransitionRefused(status, action, role, "wrong_status")
    target, roles = entry
    if role not in roles:
        raise TransitionRefused(status, action, role, "wrong_role")
    return target


def allowed_actions(status: str, role: str) -> list[str]:
    """The actions `role` may take now, in the order of ACTIONS (for buttons)."""
    return [
        action
        for action in ACTIONS
        if (entry := TRANSITIONS.get((status, action))) is not None and role in entry[1]
    ]


def is_editable(status: str) -> bool:
    return status in EDITABLE
