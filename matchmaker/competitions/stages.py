"""The listing (榜单) stage machine: a pure transition table, tested without Flask.

    next_stage("accepting", "close_applications", actor="system")  -> "under_review"

`actor` is "organiser" for a person's action or "system" for `flask rounds tick` (a window
opening or closing). Anything not in the table raises `StageError`.
"""

from __future__ import annotations

from dataclasses import dataclass

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

# (from stage, action) -> (to stage, actors allowed)
TRANSITIONS: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    (PUBLISHED, "open_applications"): (ACCEPTING, frozenset({ORGANISER, SYSTEM})),
    (ACCEPTING, "close_applications"): (UNDER_REVIEW, frozenset({ORGANISER, SYSTEM})),
    (UNDER_REVIEW, "start_publicity"): (PUBLICITY, frozenset({ORGANISER})),
    (PUBLICITY, "award"): (AWARDED, frozenset({ORGANISER})),
    (AWARDED, "start_delivery"): (IN_DELIVERY, frozenset({ORGANISER})),
    (IN_DELIVERY, "pass_acceptance"): (ACCEPTED, frozenset({ORGANISER})),
    (IN_DELIVERY, "fail_acceptance"): (FAILED, frozenset({ORGANISER})),
    # A failed 验收 may be given one rectification period; its 复验 decides for good.
    (FAILED, "start_rectification"): (RECTIFYING, frozenset({ORGANISER})),
    (RECTIFYING, "pass_acceptance"): (ACCEPTED, frozenset({ORGANISER})),
    (RECTIFYING, "fail_acceptance"): (FAILED, frozenset({ORGANISER})),
    **{(stage, "cancel"): (CANCELLED, frozenset({ORGANISER})) for stage in OPEN},
}


@dataclass(frozen=True)
class StageError(Exception):
    stage: str
    action: str
    actor: str

    def __str__(self) -> str:
        return f"{self.actor} cannot {self.action} a listing in stage {self.stage}"


def next_stage(stage: str, action: str, actor: str = ORGANISER) -> str:
    entry = TRANSITIONS.get((stage, action))
    if entry is None or actor not in entry[1]:
        raise StageError(stage, action, actor)
    return entry[0]


def allowed_actions(stage: str, actor: str = ORGANISER) -> list[str]:
    return [
        action
        for (source, action), (_to, actors) in TRANSITIONS.items()
        if source == stage and actor in actors
    ]


def check_constraint_sql(column: str = "stage") -> str:
    return f"{column} IN ({', '.join(repr(s) for s in STAGES)})"
