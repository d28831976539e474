"""The offering state machine, without Flask or a database."""

import pytest

from matchmaker.solvers import states
from matchmaker.solvers.states import TransitionRefused, allowed_actions, next_status

ALLOWED = [
    ("draft", "submit", "vendor", "submitted"),
    ("returned", "submit", "vendor", "submitted"),
    ("submitted", "approve", "organiser", "published"),
    ("submitted", "return", "organiser", "returned"),
    ("submitted", "reject", "organiser", "retired"),
    ("draft", "retire", "vendor", "retired"),
    ("submitted", "retire", "vendor", "retired"),
    ("returned", "retire", "vendor", "retired"),
    ("returned", "retire", "organiser", "retired"),
    ("published", "retire", "vendor", "retired"),
    ("published", "retire", "organiser", "retired"),
]


@pytest.mark.parametrize("status,action,role,target", ALLOWED)
def test_allowed_transitions(status, action, role, target):
    assert next_status(status, action, role) == target


def _every_combination():
    for status in states.STATUSES:
        for action in states.ACTIONS:
            for role in (states.VENDOR, states.ORGANISER):
                yield status, action, role


REFUSED = [
    combo for combo in _every_combination() if combo not in {(s, a, r) for s, a, r, _t in ALLOWED}
]


@pytest.mark.parametrize("status,action,role", REFUSED)
def test_every_other_combination_is_refused(status, action, role):
    with pytest.raises(TransitionRefused) as err:
        next_status(status, action, role)
    assert err.value.reason in ("wrong_status", "wrong_role")


def test_refusal_reasons_distinguish_role_from_status():
    with pytest.raises(TransitionRefused) as err:
        next_status("submitted", "approve", "vendor")
    assert err.value.reason == "wrong_role"
    with pytest.raises(TransitionRefused) as err:
        next_status("published", "approve", "organiser")
    assert err.value.reason == "wrong_status"
    with pytest.raises(TransitionRefused) as err:
        next_status("draft", "publish", "organiser")
    assert err.value.reason == "unknown_action"


def test_retired_is_final():
    assert allowed_actions("retired", "vendor") == []
    assert allowed_actions("retired", "organiser") == []


def test_allowed_actions_for_buttons():
    assert allowed_actions("draft", "vendor") == ["submit", "retire"]
    assert allowed_actions("submitted", "organiser") == ["approve", "return", "reject"]
    assert allowed_actions("submitted", "vendor") == ["retire"]


def test_only_drafts_and_returned_offerings_are_editable():
    assert {s for s in states.STATUSES if states.is_editable(s)} == {"draft", "returned"}
    assert {"return", "reject"} == states.COMMENT_REQUIRED
