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


def test_step_recognises_a_repeat_and_refuses_the_rest():
    # already submitted by the owner: a repeat, not an error
    assert MACHINE.step("submitted", "submit", "owner") is None
    assert MACHINE.repeats("submitted", "submit", "owner")
    assert MACHINE.step("draft", "submit", "owner") == "submitted"
    # the role may never submit: forbidden even where a submit would be a repeat
    with pytest.raises(Forbidden):
        MACHINE.step("submitted", "submit", "organiser")
    # published is not where submit leads: refused
    with pytest.raises(Inapplicable):
        MACHINE.step("published", "submit", "owner")
    with pytest.raises(Inapplicable):
        MACHINE.step("draft", "nonsense", "owner")


# The round's other records: every (status, action, role) of each machine is either the target
# below or refused — 409 for a role the action is for, 403 for any other role.
def _record_machines():
    from matchmaker.competitions import statuses as st

    return {
        "member": (
            st.MEMBER_MACHINE,
            st.MEMBER_STATUSES,
            {
                (st.INVITED, st.ACCEPT, st.MEMBER): st.CONFIRMED,
                (st.INVITED, st.DECLINE, st.MEMBER): st.DECLINED,
            },
        ),
        "assignment": (
            st.ASSIGNMENT_MACHINE,
            st.ASSIGNMENT_STATUSES,
            {(st.ASSIGNED, st.RECUSE, st.EXPERT): st.RECUSED},
        ),
        "objection": (
            st.OBJECTION_MACHINE,
            st.OBJECTION_STATUSES,
            {
                (st.OPEN, st.UPHOLD, st.ORGANISER): st.UPHELD,
                (st.OPEN, st.DISMISS, st.ORGANISER): st.DISMISSED,
            },
        ),
        "rectification": (
            st.RECTIFICATION_MACHINE,
            st.RECTIFICATION_STATUSES,
            {
                (st.OPEN, st.REPORT, st.LEAD): st.REPORTED,
                (st.OPEN, st.PASS_REACCEPTANCE, st.ORGANISER): st.PASSED,
                (st.REPORTED, st.PASS_REACCEPTANCE, st.ORGANISER): st.PASSED,
                (st.OPEN, st.FAIL_REACCEPTANCE, st.ORGANISER): st.FAILED,
                (st.REPORTED, st.FAIL_REACCEPTANCE, st.ORGANISER): st.FAILED,
            },
        ),
        "voucher": (
            st.VOUCHER_MACHINE,
            st.VOUCHER_STATUSES,
            {
                (st.COMMITTED, st.MAKE_PAYABLE, st.ORGANISER): st.PAYABLE,
                (st.COMMITTED, st.VOID, st.ORGANISER): st.CANCELLED,
                (st.CANCELLED, st.RESTORE, st.ORGANISER): st.COMMITTED,
            },
        ),
    }


ROLES = ("member", "expert", "organiser", "lead", "system", None)


@pytest.mark.parametrize("name", ["member", "assignment", "objection", "rectification", "voucher"])
def test_each_record_machine_allows_exactly_its_table(name):
    machine, statuses, allowed = _record_machines()[name]
    assert {action for _, action, _ in allowed} == set(machine.actions)
    acting = {(action, role) for _, action, role in allowed}
    for status in statuses:
        for action in machine.actions:
            for role in ROLES:
                key = (status, action, role)
                if key in allowed:
                    assert machine.next_status(*key) == allowed[key], key
                elif (action, role) in acting:
                    with pytest.raises(Inapplicable) as err:
                        machine.next_status(*key)
                    assert err.value.status == 409 and err.value.reason == "wrong_status", key
                else:
                    with pytest.raises(Forbidden) as err:
                        machine.next_status(*key)
                    assert err.value.status == 403, key
        for role in ROLES:
            expected = [a for a in machine.actions if (status, a, role) in allowed]
            assert machine.allowed_actions(status, role) == expected, (status, role)


@pytest.mark.parametrize("name", ["member", "assignment", "objection", "rectification", "voucher"])
def test_each_record_machine_takes_its_action_again_as_a_repeat(name):
    machine, _statuses, allowed = _record_machines()[name]
    for (_source, action, role), target in allowed.items():
        assert machine.step(target, action, role) is None, (action, target)


def test_a_refused_record_action_says_why_in_chinese():
    from matchmaker.competitions import statuses as st

    cases = [
        (
            st.MEMBER_MACHINE,
            st.CONFIRMED,
            st.DECLINE,
            st.MEMBER,
            "联合体邀请当前为“已确认”，不能拒绝邀请。",
        ),
        (st.OBJECTION_MACHINE, st.UPHELD, st.DISMISS, st.ORGANISER, "该异议当前为“异议成立”"),
        (st.RECTIFICATION_MACHINE, st.PASSED, st.REPORT, st.LEAD, "不能提交整改情况"),
        (st.VOUCHER_MACHINE, st.PAYABLE, st.VOID, st.ORGANISER, "场景券当前为“可兑付”，不能作废。"),
    ]
    for machine, status, action, role, words in cases:
        with pytest.raises(Inapplicable, match=words):
            machine.step(status, action, role)
