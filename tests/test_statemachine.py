"""The state-machine helper, without Flask or a database."""

import pytest

from matchmaker.errors import InvalidTransition, NotAllowed
from matchmaker.statemachine import (
    Forbidden,
    Inapplicable,
    StateMachine,
    TransitionError,
    in_check,
    transition,
)

TABLE = {
    "submit": transition({"draft", "returned"}, "submitted", {"owner"}),
    "approve": transition({"submitted"}, "published", {"organiser"}),
    "retire": (
        transition({"draft", "submitted"}, "retired", {"owner"}),
        transition({"returned", "published"}, "retired", {"owner", "organiser"}),
    ),
}
MACHINE = StateMachine(TABLE)


class Mine(Forbidden):
    pass


class Theirs(Inapplicable):
    pass


def test_next_status_follows_the_table():
    assert MACHINE.next_status("draft", "submit", "owner") == "submitted"
    assert MACHINE.next_status("returned", "submit", "owner") == "submitted"
    assert MACHINE.next_status("submitted", "approve", "organiser") == "published"
    assert MACHINE.next_status("published", "retire", "organiser") == "retired"


def test_a_role_that_may_never_act_is_forbidden_403():
    with pytest.raises(Forbidden) as err:
        MACHINE.next_status("submitted", "approve", "owner")
    assert isinstance(err.value, NotAllowed) and err.value.status == 403
    assert err.value.reason == "wrong_role"
    assert (err.value.current, err.value.action, err.value.role) == (
        "submitted",
        "approve",
        "owner",
    )
    # never allowed: forbidden whatever the status
    with pytest.raises(Forbidden):
        MACHINE.next_status("draft", "approve", "owner")
    with pytest.raises(Forbidden):
        MACHINE.next_status("draft", "submit", None)


def test_a_role_refused_from_this_status_only_is_forbidden_403():
    # organisers retire returned and published items, not submitted ones
    with pytest.raises(Forbidden):
        MACHINE.next_status("submitted", "retire", "organiser")


def test_a_wrong_status_is_refused_409():
    with pytest.raises(Inapplicable) as err:
        MACHINE.next_status("published", "approve", "organiser")
    assert isinstance(err.value, InvalidTransition) and err.value.status == 409
    assert err.value.reason == "wrong_status"
    with pytest.raises(Inapplicable):
        MACHINE.next_status("retired", "retire", "owner")


def test_an_unknown_action_is_refused_409():
    with pytest.raises(Inapplicable) as err:
        MACHINE.next_status("draft", "publish", "owner")
    assert err.value.reason == "unknown_action"
    assert err.value.status == 409


def test_a_machine_raises_its_own_error_classes():
    machine = StateMachine(TABLE, forbidden=Mine, refused=Theirs)
    with pytest.raises(Mine):
        machine.next_status("submitted", "approve", "owner")
    with pytest.raises(Theirs):
        machine.next_status("published", "approve", "organiser")
    with pytest.raises(TransitionError):
        machine.next_status("draft", "nonsense", "owner")


def test_allowed_actions_in_table_order():
    assert MACHINE.allowed_actions("draft", "owner") == ["submit", "retire"]
    assert MACHINE.allowed_actions("returned", "owner") == ["submit", "retire"]
    assert MACHINE.allowed_actions("submitted", "organiser") == ["approve"]
    assert MACHINE.allowed_actions("published", "organiser") == ["retire"]
    assert MACHINE.allowed_actions("retired", "owner") == []
    assert MACHINE.allowed_actions("draft", None) == []


def test_applies_and_actions():
    assert MACHINE.actions == ("submit", "approve", "retire")
    assert MACHINE.applies("submitted", "retire")
    assert not MACHINE.applies("retired", "retire")
    assert not MACHINE.applies("draft", "nonsense")


def test_in_check():
    assert in_check("status", ("draft", "published")) == "status IN ('draft', 'published')"


def test_the_application_table():
    from matchmaker.competitions import statuses as st

    nxt = st.next_application_status
    assert nxt(st.DRAFT, st.SUBMIT, st.LEAD) == st.SUBMITTED
    assert nxt(st.SUBMITTED, st.WITHDRAW, st.LEAD) == st.WITHDRAWN
    assert nxt(st.SUBMITTED, st.DECLARE_INELIGIBLE, st.ORGANISER) == st.INELIGIBLE
    assert nxt(st.INELIGIBLE, st.DECLARE_ELIGIBLE, st.ORGANISER) == st.ELIGIBLE
    with pytest.raises(InvalidTransition):
        nxt(st.ELIGIBLE, st.WITHDRAW, st.LEAD)
    with pytest.raises(InvalidTransition):
        nxt(st.DRAFT, st.DECLARE_ELIGIBLE, st.ORGANISER)
    with pytest.raises(NotAllowed):
        nxt(st.SUBMITTED, st.DECLARE_ELIGIBLE, st.LEAD)
    assert st.APPLICATION_MACHINE.allowed_actions(st.DRAFT, st.LEAD) == [st.SUBMIT, st.WITHDRAW]
