"""The listing (榜单) stage machine: a pure transition table, tested without Flask.

    next_stage("accepting", "close_applications", actor="system")  -> "under_review"

`actor` is "organiser" for a person's action or "system" for `flask rounds tick` (a window
opening or closing). Anything not in the table raises `StageError` (the shape is
`matchmaker.statemachine`'s).
"""

from __future__ import annotations

from ..statemachine import (
    Forbidden,
    Inapplicable,
    StateMachine,
    TransitionError,
    in_check,
    transition,
)

PUBLISHED = "published"  # 发榜
ACCEPTING = "accepting"  # 揭榜
UNDER_REVIEW = "under_review"  # 评审
PUBLICITY = "publicity"  # 公示
AWARDED = "awarded"  # 挂帅
IN_DELIVERY = "in_delivery"  # 攻关
RECTIFYING = "rectifying"  # 整改（验收未通过后的整改期，以一次复验结束）
ACCEPTED = "accepted"  # 验收通过
FAILED = "failed"  # 验收不通过
CANCELLED = "cancelled"

STAGES = (
    PUBLISHED,
    ACCEPTING,
    UNDER_REVIEW,
    PUBLICITY,
    AWARDED,
    IN_DELIVERY,
    RECTIFYING,
    ACCEPTED,
    FAILED,
    CANCELLED,
)
TERMINAL = frozenset({ACCEPTED, FAILED, CANCELLED})
OPEN = tuple(s for s in STAGES if s not in TERMINAL)

ORGANISER = "organiser"
SYSTEM = "system"

# action -> (from stages, to stage, actors allowed)
TRANSITIONS = {
    "open_applications": transition({PUBLISHED}, ACCEPTING, {ORGANISER, SYSTEM}),
    "close_applications": transition({ACCEPTING}, UNDER_REVIEW, {ORGANISER, SYSTEM}),
    "start_publicity": transition({UNDER_REVIEW}, PUBLICITY, {ORGANISER}),
    "award": transition({PUBLICITY}, AWARDED, {ORGANISER}),
    "start_delivery": transition({AWARDED}, IN_DELIVERY, {ORGANISER}),
    # A failed 验收 may be given one rectification period; its 复验 decides for good.
    "pass_acceptance": transition({IN_DELIVERY, RECTIFYING}, ACCEPTED, {ORGANISER}),
    "fail_acceptance": transition({IN_DELIVERY, RECTIFYING}, FAILED, {ORGANISER}),
    "start_rectification": transition({FAILED}, RECTIFYING, {ORGANISER}),
    "cancel": transition(OPEN, CANCELLED, {ORGANISER}),
}


class StageError(TransitionError):
    """Any refused stage change (`StageForbidden` 403 or `StageRefused` 409)."""

    @property
    def stage(self) -> str | None:
        return self.current

    @property
    def actor(self) -> str | None:
        return self.role

    def __str__(self) -> str:
        return f"{self.actor} cannot {self.action} a listing in stage {self.stage}"


class StageForbidden(StageError, Forbidden):
    pass


class StageRefused(StageError, Inapplicable):
    pass


MACHINE = StateMachine(TRANSITIONS, forbidden=StageForbidden, refused=StageRefused)


def next_stage(stage: str, action: str, actor: str = ORGANISER) -> str:
    return MACHINE.next_status(stage, action, actor)


def allowed_actions(stage: str, actor: str = ORGANISER) -> list[str]:
    return MACHINE.allowed_actions(stage, actor)


def check_constraint_sql(column: str = "stage") -> str:
    return in_check(column, STAGES)
