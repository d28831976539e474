"""Status vocabularies of the round's records (stored as codes, CHECK-constrained), and the
application's (揭榜申请) transition table on `matchmaker.statemachine`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..statemachine import StateMachine, transition
from ..statemachine import in_check as in_check  # the models write `st.in_check`
from . import stages

DRAFT = "draft"
SUBMITTED = "submitted"
WITHDRAWN = "withdrawn"
ELIGIBLE = "eligible"
INELIGIBLE = "ineligible"
APPLICATION_STATUSES = (DRAFT, SUBMITTED, WITHDRAWN, ELIGIBLE, INELIGIBLE)
LIVE_APPLICATION = (DRAFT, SUBMITTED, ELIGIBLE, INELIGIBLE)

# Who moves an application: the lead vendor ("lead") or the organiser (资格审查).
LEAD = "lead"
ORGANISER = stages.ORGANISER
SUBMIT = "submit"
WITHDRAW = "withdraw"
DECLARE_ELIGIBLE = "declare_eligible"
DECLARE_INELIGIBLE = "declare_ineligible"
# action → (statuses it applies to, resulting status, roles allowed); the window (揭榜期) and
# the listing's stage (资格审查 during 评审) are checked by the services.
APPLICATION_TRANSITIONS = {
    SUBMIT: transition({DRAFT}, SUBMITTED, {LEAD}),
    WITHDRAW: transition({DRAFT, SUBMITTED}, WITHDRAWN, {LEAD}),
    # 资格审查 may be revised while the listing is under review
    DECLARE_ELIGIBLE: transition({SUBMITTED, ELIGIBLE, INELIGIBLE}, ELIGIBLE, {ORGANISER}),
    DECLARE_INELIGIBLE: transition({SUBMITTED, ELIGIBLE, INELIGIBLE}, INELIGIBLE, {ORGANISER}),
}
APPLICATION_MACHINE = StateMachine(APPLICATION_TRANSITIONS)
next_application_status = APPLICATION_MACHINE.next_status

INVITED = "invited"
CONFIRMED = "confirmed"
DECLINED = "declined"
MEMBER_STATUSES = (INVITED, CONFIRMED, DECLINED)

ASSIGNED = "assigned"
RECUSED = "recused"
ASSIGNMENT_STATUSES = (ASSIGNED, RECUSED)

OPEN = "open"
UPHELD = "upheld"
DISMISSED = "dismissed"
OBJECTION_STATUSES = (OPEN, UPHELD, DISMISSED)

COMMITTED = "committed"
PAYABLE = "payable"
CANCELLED = "cancelled"
VOUCHER_STATUSES = (COMMITTED, PAYABLE, CANCELLED)

PASSED = "passed"
FAILED = "failed"
ACCEPTANCE_RESULTS = (PASSED, FAILED)

# 整改: granted (open) → the vendor reports the fix (reported) → the 复验 decides (passed | failed).
REPORTED = "reported"
RECTIFICATION_STATUSES = (OPEN, REPORTED, PASSED, FAILED)
MAX_ATTEMPTS = 2  # 验收 and at most one 复验

MIDTERM_CONCLUSIONS = ("on_track", "at_risk", "off_track")


STAGE_LABELS = {
    stages.PUBLISHED: _l("发榜"),
    stages.ACCEPTING: _l("揭榜中"),
    stages.UNDER_REVIEW: _l("评审中"),
    stages.PUBLICITY: _l("公示中"),
    stages.AWARDED: _l("已挂帅"),
    stages.IN_DELIVERY: _l("攻关中"),
    stages.RECTIFYING: _l("整改中"),
    stages.ACCEPTED: _l("验收通过"),
    stages.FAILED: _l("验收未通过"),
    stages.CANCELLED: _l("已取消"),
}
ACTION_LABELS = {
    "open_applications": _l("开始揭榜"),
    "close_applications": _l("截止揭榜"),
    "start_publicity": _l("开始公示"),
    "award": _l("确定挂帅"),
    "start_delivery": _l("开始攻关"),
    "pass_acceptance": _l("验收通过"),
    "fail_acceptance": _l("验收不通过"),
    "start_rectification": _l("给予整改期"),
    "cancel": _l("取消榜单"),
}
APPLICATION_LABELS = {
    DRAFT: _l("草稿"),
    SUBMITTED: _l("已提交"),
    WITHDRAWN: _l("已撤回"),
    ELIGIBLE: _l("资格审查通过"),
    INELIGIBLE: _l("资格审查未通过"),
}
MEMBER_LABELS = {INVITED: _l("待确认"), CONFIRMED: _l("已确认"), DECLINED: _l("已拒绝")}
OBJECTION_LABELS = {OPEN: _l("待处理"), UPHELD: _l("异议成立"), DISMISSED: _l("异议不成立")}
VOUCHER_LABELS = {COMMITTED: _l("已核定（待验收）"), PAYABLE: _l("可兑付"), CANCELLED: _l("已作废")}
MIDTERM_LABELS = {
    "on_track": _l("进展正常"),
    "at_risk": _l("存在风险"),
    "off_track": _l("严重滞后"),
}
RECTIFICATION_LABELS = {
    OPEN: _l("整改中"),
    REPORTED: _l("已提交整改，待复验"),
    PASSED: _l("复验通过"),
    FAILED: _l("复验不通过"),
}
