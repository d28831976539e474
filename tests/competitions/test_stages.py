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


@pytest.mark.parametrize("stage", sorted(s.TERMINAL))
def test_terminal_stages_allow_nothing(stage):
    assert s.allowed_actions(stage) == []
    with pytest.raises(s.StageError):
        s.next_stage(stage, "cancel")


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
