import pytest

from matchmaker.competitions import stages as s


def test_happy_path_through_every_stage():
    stage = s.PUBLISHED
    for action, actor in (
        ("open_applications", s.SYSTEM),
        ("close_applications", s.SYSTEM),
        ("start_publicity", s.ORGANISER),
        ("award", s.ORGANISER),
        ("start_delivery", s.ORGANISER),
        ("pass_acceptance", s.ORGANISER),
    ):
        stage = s.next_stage(stage, action, actor)
    assert stage == s.ACCEPTED


def test_acceptance_can_fail():
    assert s.next_stage(s.IN_DELIVERY, "fail_acceptance") == s.FAILED


@pytest.mark.parametrize("stage", s.OPEN)
def test_cancel_from_every_open_stage(stage):
    assert s.next_stage(stage, "cancel") == s.CANCELLED


# A failed 验收 may still be given its one rectification period (整改); nothing else moves.
REOPENABLE = {s.FAILED: ["start_rectification"]}


@pytest.mark.parametrize("stage", sorted(s.TERMINAL))
def test_terminal_stages_allow_nothing(stage):
    assert s.allowed_actions(stage) == REOPENABLE.get(stage, [])
    with pytest.raises(s.StageError):
        s.next_stage(stage, "cancel")


def test_rectifying_ends_in_one_reacceptance_or_a_cancellation():
    assert sorted(s.allowed_actions(s.RECTIFYING)) == [
        "cancel",
        "fail_acceptance",
        "pass_acceptance",
    ]


@pytest.mark.parametrize(
    "stage,action,actor",
    [
        (s.PUBLISHED, "award", s.ORGANISER),
        (s.ACCEPTING, "start_publicity", s.ORGANISER),
        (s.UNDER_REVIEW, "start_publicity", s.SYSTEM),
        (s.PUBLICITY, "cancel", s.SYSTEM),
        (s.ACCEPTED, "fail_acceptance", s.ORGANISER),
    ],
)
def test_refused_transitions(stage, action, actor):
    with pytest.raises(s.StageError) as err:
        s.next_stage(stage, action, actor)
    assert stage in str(err.value)


def test_check_constraint_lists_every_stage():
    sql = s.check_constraint_sql()
    assert all(f"'{stage}'" in sql for stage in s.STAGES)
