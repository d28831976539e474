"""The need state machine, without Flask or a database."""

import pytest

from matchmaker.needs import states
from matchmaker.needs.states import ORGANISER, OWNER, ActionForbidden, TransitionRefused

ALLOWED = [
    ("draft", "submit", OWNER, "submitted"),
    ("returned", "submit", OWNER, "submitted"),
    # the table lets organisers submit; access.actions_for limits it to organisers' own drafts
    ("draft", "submit", ORGANISER, "submitted"),
    ("returned", "submit", ORGANISER, "submitted"),
    ("submitted", "approve", ORGANISER, "published"),
    ("submitted", "return", ORGANISER, "returned"),
    ("submitted", "reject", ORGANISER, "closed"),
    ("draft", "withdraw", OWNER, "withdrawn"),
    ("submitted", "withdraw", OWNER, "withdrawn"),
    ("returned", "withdraw", OWNER, "withdrawn"),
    ("published", "withdraw", OWNER, "withdrawn"),
    ("published", "close", OWNER, "closed"),
    ("published", "close", ORGANISER, "closed"),
]


@pytest.mark.parametrize("status,action,role,expected", ALLOWED)
def test_allowed_transitions(status, action, role, expected):
    assert states.next_status(status, action, role) == expected
    assert action in states.allowed_actions(status, role)


def test_every_other_status_refuses_the_action():
    allowed = {(s, a, r) for s, a, r, _ in ALLOWED}
    for status in ("draft", "submitted", "published", "returned", "closed", "withdrawn"):
        for action, (_sources, _target, roles) in states.TRANSITIONS.items():
            for role in roles:
                if (status, action, role) in allowed:
                    continue
                with pytest.raises(TransitionRefused):
                    states.next_status(status, action, role)


@pytest.mark.parametrize(
    "status,action,role",
    [
        ("submitted", "approve", OWNER),  # a factory cannot publish its own need
        ("submitted", "return", OWNER),
        ("submitted", "reject", OWNER),
        ("published", "withdraw", ORGANISER),
        ("published", "close", None),  # a vendor or a stranger
        ("draft", "submit", None),
    ],
)
def test_wrong_role_is_forbidden(status, action, role):
    with pytest.raises(ActionForbidden):
        states.next_status(status, action, role)


def test_errors_map_to_http_statuses():
    assert ActionForbidden.status == 403
    assert TransitionRefused.status == 409
    with pytest.raises(TransitionRefused):
        states.next_status("draft", "publish", OWNER)


def test_final_statuses_allow_nothing_and_editing_rules():
    for status in states.FINAL:
        assert states.allowed_actions(status, OWNER) == []
        assert states.allowed_actions(status, ORGANISER) == []
        assert not states.can_edit(status, OWNER)
    assert states.can_edit("draft", OWNER) and states.can_edit("published", OWNER)
    assert not states.can_edit("submitted", OWNER)
    assert not states.can_edit("draft", ORGANISER)
