"""A matchmaking day's life cycle as a pure transition table (no Flask, no database).

    draft ──publish──▶ published ──schedule──▶ scheduled ──(re-run: schedule)──▶ scheduled
      │                   │                       │
      └──cancel──▶ cancelled ◀──cancel────────────┘

Only organisers act. Registration is open while the day is published and before its deadline;
the schedule is run after the deadline (or at any time once scheduled, after a pin or
removal); outcomes (意向/无意向) are recorded once the day has begun. `next_status` raises
`NotAllowed` (403) for a role that may never act and `InvalidTransition` (409) when the action
does not apply to the current status (the shape is `matchmaker.statemachine`'s).
"""

from __future__ import annotations

from ..errors import NotAllowed
from ..statemachine import StateMachine, transition

DRAFT, PUBLISHED, SCHEDULED, CANCELLED = "draft", "published", "scheduled", "cancelled"
STATUSES = (DRAFT, PUBLISHED, SCHEDULED, CANCELLED)
ORGANISER = "organiser"

# action → (statuses it applies to, resulting status, roles allowed)
TRANSITIONS = {
    "publish": transition({DRAFT}, PUBLISHED, {ORGANISER}),
    "schedule": transition({PUBLISHED, SCHEDULED}, SCHEDULED, {ORGANISER}),
    "cancel": transition({DRAFT, PUBLISHED, SCHEDULED}, CANCELLED, {ORGANISER}),
}
MACHINE = StateMachine(TRANSITIONS)
EDITABLE = frozenset({DRAFT, PUBLISHED})
PUBLIC = frozenset({PUBLISHED, SCHEDULED})

KINDS = ("factory", "vendor")
CHOICES = ("wish", "refuse")
OUTCOMES = ("interest", "no_interest")
MEETING_STATES = ("proposed", "pinned", "removed")


def next_status(status: str, action: str, role: str | None) -> str:
    if role != ORGANISER:  # even for an unknown action
        raise NotAllowed()
    return MACHINE.next_status(status, action, role)


allowed_actions = MACHINE.allowed_actions
