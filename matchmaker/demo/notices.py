"""Demo 通知公告 and 答疑: the call for applications of the round accepting now (published before
it opened, with its 申报指南 as a PDF), the preview of next month's round, a draft; on the open
listings, vendors' questions answered by the organiser (one privately) and one still waiting.
Written through the real services with the clock frozen at past moments; loading twice is a
no-op (the organiser's notices are the marker)."""

from __future__ import annotations

import io
from datetime import timedelta

import click
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from .. import clock
from ..accounts.models import Organisation, User
from ..competitions import questions, stages
from ..competitions.models import Listing, Round
from ..extensions import db
from ..notices import services as notices
from ..notices.models import Notice
from .guide_pdf import guide_pdf
from .timeline import days_ago

GUIDE_LINES = [
    "一、申报对象：在本区注册或设有分支机构、具有独立法人资格的人工智能服务商。",
    "二、申报方式：登录揭榜挂帅平台，在揭榜大厅选择榜单，提交揭榜申请。",
    "三、申报材料：技术方案、团队情况、考核指标承诺、里程碑计划、报价。",
    "四、评审方式：资格审查后由评审专家按评分细则打分，结果公示七天。",
    "五、支持政策：挂帅项目按合同金额的 30% 发放场景券，每家单位每年不超过 50 万元。",
    "六、咨询方式：在榜单页面“答疑”栏目提问，或致电区经信局 0571-8286XXXX。",
]
QUESTIONS = (
    (
        "现场产线是否提供历史缺陷图像？大约有多少张？",
        "提供近一年的缺陷图像约 1.2 万张，其中已标注约 3000 张。",
        False,
    ),
    (
        "验收时的漏检率按什么样本量统计？",
        "按验收期内连续 20 个工作日的全部在线检测样本统计。",
        False,
    ),
    (
        "能否提供产线 PLC 的型号和通信协议？",
        "涉及企业设备信息，已通过站内通知单独答复贵单位。",
        True,
    ),
)
WAITING = "是否接受以联合体形式揭榜，牵头单位有何要求？"


def load_notices(organiser) -> int:
    """Create the demo notices and questions unless the organiser has notices already."""
    mine = select(Notice.id).where(Notice.created_by_id == organiser.id).limit(1)
    if db.session.scalar(mine) is not None:
        return 0
    now = clock.now()
    rounds = db.session.scalars(select(Round).order_by(Round.opens_at)).all()
    current = next((r for r in rounds if r.opens_at <= now < r.closes_at), None)
    coming = next((r for r in rounds if r.opens_at > now), None)
    count = 0
    if current is not None:
        _call_for_applications(organiser, current)
        count += 1 + _questions(organiser, current)
    if coming is not None:
        with clock.frozen(days_ago(3, hour=9)):
            notices.save_notice(
                organiser,
                notices.NoticeData(
                    title=f"关于{coming.name}的预告",
                    body="下一批揭榜挂帅将于下月开放揭榜，榜单正在征集和审核中，请各服务商提前准备。",
                    round_id=coming.id,
                    publish_at=clock.now(),
                ),
            )
        count += 1
    with clock.frozen(days_ago(1, hour=16)):
        notices.save_notice(
            organiser,
            notices.NoticeData(
                title="关于第二批揭榜挂帅项目中期评估安排的通知（草稿）",
                body="各挂帅单位：中期评估拟于下月中旬开展，具体安排另行通知。",
            ),
        )
    click.echo(f"demo: created notices and questions ({count})")
    return count


def _call_for_applications(organiser, round_: Round) -> None:
    title = f"关于组织申报{round_.name}的通知"
    content = guide_pdf(f"{round_.name}申报指南", GUIDE_LINES)
    guide = FileStorage(
        io.BytesIO(content), filename="申报指南.pdf", content_type="application/pdf"
    )
    body = (
        "各有关单位：\n"
        f"为推动人工智能赋能制造业，现组织申报{round_.name}。本批次榜单已在平台发布，"
        "请符合条件的服务商在揭榜截止前登录平台提交揭榜申请。\n"
        "申报要求、评审方式和支持政策详见附件《申报指南》。\n"
        "萧山区经济和信息化局"
    )
    with clock.frozen(round_.opens_at - timedelta(days=2)):
        notices.save_notice(
            organiser,
            notices.NoticeData(title=title, body=body, round_id=round_.id, publish_at=clock.now()),
            files=[guide],
        )


def _askers(limit: int) -> list[User]:
    query = (
        select(User)
        .join(Organisation, User.organisation_id == Organisation.id)
        .where(User.role == "vendor_member", Organisation.status == "approved", User.active)
        .order_by(Organisation.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _questions(organiser, round_: Round) -> int:
    open_stages = (stages.PUBLISHED, stages.ACCEPTING)
    listings = [item for item in round_.listings if item.stage in open_stages]
    askers = _askers(len(QUESTIONS) + 1)
    if not listings or len(askers) <= len(QUESTIONS):
        return 0
    listing: Listing = listings[0]
    for k, (question, reply, private) in enumerate(QUESTIONS):
        with clock.frozen(round_.opens_at + timedelta(days=1, hours=k)):
            asked = questions.ask(askers[k], listing, question)
        with clock.frozen(round_.opens_at + timedelta(days=2, hours=k)):
            questions.answer(organiser, asked, reply, private=private)
    with clock.frozen(min(clock.now() - timedelta(hours=2), round_.opens_at + timedelta(days=3))):
        questions.ask(askers[len(QUESTIONS)], listing, WAITING)
    return len(QUESTIONS) + 1
