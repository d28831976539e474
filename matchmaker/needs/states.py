"""The need life cycle as a pure transition table on `matchmaker.statemachine`.

    draft ──submit──▶ submitted ──approve──▶ published ──close──▶ closed
      ▲                 │  │                    │
      │                 │  └─reject──▶ closed   └─withdraw──▶ withdrawn
    returned ◀─return───┘
      └─submit──▶ submitted

Roles: "owner" (a member of the factory that owns the need) and "organiser" (主办方).
`next_status` raises `ActionForbidden` (403) when the role may never take the action and
`TransitionRefused` (409) when the action does not apply to the current status.
"""

from __future__ import annotations

from ..statemachine import Forbidden, Inapplicable, StateMachine, transition

DRAFT = "draft"
SUBMITTED = "submitted"
PUBLISHED = "published"
RETURNED = "returned"
CLOSED = "closed"
WITHDRAWN = "withdrawn"
STATUSES = (DRAFT, SUBMITTED, PUBLISHED, RETURNED, CLOSED, WITHDRAWN)

OWNER = "owner"
ORGANISER = "organiser"

# action → (statuses it applies to, resulting status, roles allowed)
TRANSITIONS = {
    # an organiser submits only drafts organisers created for a factory (see access.py)
    "submit": transition({DRAFT, RETURNED}, SUBMITTED, {OWNER, ORGANISER}),
    "approve": transition({SUBMITTED}, PUBLISHED, {ORGANISER}),
    "return": transition({SUBMITTED}, RETURNED, {ORGANISER}),
    "reject": transition({SUBMITTED}, CLOSED, {ORGANISER}),
    "withdraw": transition({DRAFT, SUBMITTED, RETURNED, PUBLISHED}, WITHDRAWN, {OWNER}),
    "close": transition({PUBLISHED}, CLOSED, {OWNER, ORGANISER}),
}
ACTIONS = tuple(TRANSITIONS)

# Statuses in which the owner may edit the content (published edits are versioned).
EDITABLE = frozenset({DRAFT, RETURNED, PUBLISHED})
# Statuses whose content others may see (the hall lists published needs only).
PUBLIC = frozenset({PUBLISHED})
FINAL = frozenset({CLOSED, WITHDRAWN})


class ActionForbidden(Forbidden):
    pass


class TransitionRefused(Inapplicable):
    pass


MACHINE = StateMachine(TRANSITIONS, forbidden=ActionForbidden, refused=TransitionRefused)
next_status = MACHINE.next_status
allowed_actions = MACHINE.allowed_actions


def can_edit(status: str, role: str | None) -> bool:
    return role == OWNER and status in EDITABLE
