"""The need life cycle as a pure transition table (no Flask, no database).

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

from ..errors import InvalidTransition, NotAllowed

OWNER = "owner"
ORGANISER = "organiser"

# action → (statuses it applies to, resulting status, roles allowed)
TRANSITIONS: dict[str, tuple[frozenset[str], str, frozenset[str]]] = {
    # an organiser submits only drafts organisers created for a factory (see access.py)
    "submit": (frozenset({"draft", "returned"}), "submitted", frozenset({OWNER, ORGANISER})),
    "approve": (frozenset({"submitted"}), "published", frozenset({ORGANISER})),
    "return": (frozenset({"submitted"}), "returned", frozenset({ORGANISER})),
    "reject": (frozenset({"submitted"}), "closed", frozenset({ORGANISER})),
    "withdraw": (
        frozenset({"draft", "submitted", "returned", "published"}),
        "withdrawn",
        frozenset({OWNER}),
    ),
    "close": (frozenset({"published"}), "closed", frozenset({OWNER, ORGANISER})),
}
ACTIONS = tuple(TRANSITIONS)

# Statuses in which the owner may edit the content (published edits are versioned).
EDITABLE = frozenset({"draft", "returned", "published"})
# Statuses whose content others may see (the hall lists published needs only).
PUBLIC = frozenset({"published"})
FINAL = frozenset({"closed", "withdrawn"})


class ActionForbidden(NotAllowed):
    pass


class TransitionRefused(InvalidTransition):
    pass


def next_status(status: str, action: str, role: str | None) -> str:
    try:
        sources, target, roles = TRANSITIONS[action]
    except KeyError:
        raise TransitionRefused(f"unknown action {action!r}") from None
    if role not in roles:
        raise ActionForbidden()
    if status not in sources:
        raise TransitionRefused()
    return target


def allowed_actions(status: str, role: str | None) -> list[str]:
    """The actions `role` may take now, in table order (for buttons)."""
    return [
        action
        for action, (sources, _target, roles) in TRANSITIONS.items()
        if status in sources and role in roles
    ]


def can_edit(status: str, role: str | None) -> bool:
    return role == OWNER and status in EDITABLE
