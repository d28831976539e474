"""Status vocabularies of the round's records (stored as codes, CHECK-constrained) and their
transition tables on `matchmaker.statemachine`: the application (揭榜申请), the consortium
member (联合体成员), the expert assignment (专家指派), the objection (公示异议), the
rectification (整改) and the award's voucher (场景券).

Every status change of these records goes through its machine (`RecordMachine`, which words a
refusal in Chinese) and is written by `transitions.Move`, a compare-and-set on the status read,
so that an action sent twice has the effect of one."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..statemachine import StateMachine, Table, transition
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


class RecordMachine(StateMachine):
    """A record's machine with the words of its refusals: an action that does not apply says,
    in Chinese, what the record is now and what could not be done (a 409 the page shows)."""

    def __init__(self, transitions: Table, noun, labels: dict, action_labels: dict):
        super().__init__(transitions)
        self.noun, self.labels, self.action_labels = noun, labels, action_labels

    def refusal(self, status: str, action: str) -> str:
        return _(
            "%(record)s当前为“%(status)s”，不能%(action)s。",
            record=self.noun,
            status=self.labels.get(status, status),
            action=self.action_labels.get(action, action),
        )

    def next_status(self, status: str, action: str, role: str | None) -> str:
        try:
            return super().next_status(status, action, role)
        except self.refused as err:
            if err.reason != "wrong_status":
                raise
            raise self.refused(
                self.refusal(status, action), current=status, action=action, role=role
            ) from None


# 联合体成员: the invited organisation confirms or declines, once, while the application is a
# draft (the service checks the draft).
INVITED = "invited"
CONFIRMED = "confirmed"
DECLINED = "declined"
MEMBER_STATUSES = (INVITED, CONFIRMED, DECLINED)
MEMBER = "member"  # a publishing member of the invited organisation
ACCEPT = "accept"
DECLINE = "decline"
MEMBER_LABELS = {INVITED: _l("待确认"), CONFIRMED: _l("已确认"), DECLINED: _l("已拒绝")}
MEMBER_ACTION_LABELS = {ACCEPT: _l("确认参与"), DECLINE: _l("拒绝邀请")}
MEMBER_TRANSITIONS = {
    ACCEPT: transition({INVITED}, CONFIRMED, {MEMBER}),
    DECLINE: transition({INVITED}, DECLINED, {MEMBER}),
}
MEMBER_MACHINE = RecordMachine(
    MEMBER_TRANSITIONS, _l("联合体邀请"), MEMBER_LABELS, MEMBER_ACTION_LABELS
)

# 专家指派: the assigned expert recuses themself (申报利益冲突并回避); for good.
ASSIGNED = "assigned"
RECUSED = "recused"
ASSIGNMENT_STATUSES = (ASSIGNED, RECUSED)
EXPERT = "expert"  # the assigned expert themself
RECUSE = "recuse"
ASSIGNMENT_LABELS = {ASSIGNED: _l("评审中"), RECUSED: _l("已回避")}
ASSIGNMENT_TRANSITIONS = {RECUSE: transition({ASSIGNED}, RECUSED, {EXPERT})}
ASSIGNMENT_MACHINE = RecordMachine(
    ASSIGNMENT_TRANSITIONS, _l("专家指派"), ASSIGNMENT_LABELS, {RECUSE: _l("回避")}
)

# 公示异议: the organiser upholds or dismisses an open objection, once.
OPEN = "open"
UPHELD = "upheld"
DISMISSED = "dismissed"
OBJECTION_STATUSES = (OPEN, UPHELD, DISMISSED)
UPHOLD = "uphold"
DISMISS = "dismiss"
OBJECTION_LABELS = {OPEN: _l("待处理"), UPHELD: _l("异议成立"), DISMISSED: _l("异议不成立")}
OBJECTION_TRANSITIONS = {
    UPHOLD: transition({OPEN}, UPHELD, {ORGANISER}),
    DISMISS: transition({OPEN}, DISMISSED, {ORGANISER}),
}
OBJECTION_MACHINE = RecordMachine(
    OBJECTION_TRANSITIONS,
    _l("该异议"),
    OBJECTION_LABELS,
    {UPHOLD: _l("认定异议成立"), DISMISS: _l("认定异议不成立")},
)

# 场景券 of an award: committed at the award; 验收 (or the 复验) makes it payable or voids it;
# a rectification period restores a voided voucher (under the yearly cap, checked by the service).
COMMITTED = "committed"
PAYABLE = "payable"
CANCELLED = "cancelled"
VOUCHER_STATUSES = (COMMITTED, PAYABLE, CANCELLED)
MAKE_PAYABLE = "make_payable"
VOID = "void"
RESTORE = "restore"
VOUCHER_LABELS = {COMMITTED: _l("已核定（待验收）"), PAYABLE: _l("可兑付"), CANCELLED: _l("已作废")}
VOUCHER_TRANSITIONS = {
    MAKE_PAYABLE: transition({COMMITTED}, PAYABLE, {ORGANISER}),
    VOID: transition({COMMITTED}, CANCELLED, {ORGANISER}),
    RESTORE: transition({CANCELLED}, COMMITTED, {ORGANISER}),
}
VOUCHER_MACHINE = RecordMachine(
    VOUCHER_TRANSITIONS,
    _l("场景券"),
    VOUCHER_LABELS,
    {MAKE_PAYABLE: _l("转为可兑付"), VOID: _l("作废"), RESTORE: _l("恢复")},
)

PASSED = "passed"
FAILED = "failed"
ACCEPTANCE_RESULTS = (PASSED, FAILED)

# 整改: granted (open) → the vendor reports the fix (reported) → the 复验 decides (passed | failed);
# after the period the 复验 may be held without a report (the service checks the period).
REPORTED = "reported"
RECTIFICATION_STATUSES = (OPEN, REPORTED, PASSED, FAILED)
MAX_ATTEMPTS = 2  # 验收 and at most one 复验
REPORT = "report"
PASS_REACCEPTANCE = "pass_reacceptance"
FAIL_REACCEPTANCE = "fail_reacceptance"
RECTIFICATION_LABELS = {
    OPEN: _l("整改中"),
    REPORTED: _l("已提交整改，待复验"),
    PASSED: _l("复验通过"),
    FAILED: _l("复验不通过"),
}
RECTIFICATION_TRANSITIONS = {
    REPORT: transition({OPEN}, REPORTED, {LEAD}),
    PASS_REACCEPTANCE: transition({OPEN, REPORTED}, PASSED, {ORGANISER}),
    FAIL_REACCEPTANCE: transition({OPEN, REPORTED}, FAILED, {ORGANISER}),
}
RECTIFICATION_MACHINE = RecordMachine(
    RECTIFICATION_TRANSITIONS,
    _l("整改"),
    RECTIFICATION_LABELS,
    {
        REPORT: _l("提交整改情况"),
        PASS_REACCEPTANCE: _l("记录复验通过"),
        FAIL_REACCEPTANCE: _l("记录复验不通过"),
    },
)

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
MIDTERM_LABELS = {
    "on_track": _l("进展正常"),
    "at_risk": _l("存在风险"),
    "off_track": _l("严重滞后"),
}
