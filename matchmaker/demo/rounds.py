"""Demo rounds (揭榜挂帅): listings in every stage, so that every page has something to show.

History is written through the real services with the clock frozen at past moments:
a first round whose listings are accepted, in delivery (one milestone overdue) and awarded;
a second round with a listing under review (scored) and one in publicity with an open
objection; a third round accepting applications now and a fourth announced for later.
Loading twice is a no-op (the first round's name is the marker).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import click
from sqlalchemy import select

from .. import clock
from ..accounts import services as accounts
from ..competitions import applications, delivery, publicity, review, rounds, stageflow
from ..competitions.applications import ApplicationData, MilestoneData
from ..competitions.models import Round
from ..competitions.vouchers import remaining_cap
from ..extensions import db
from ..solvers.models import Offering
from .accounts import EMAIL_DOMAIN, CreatedAccounts

NAMES = (
    "2025年人工智能赋能制造业十大场景揭榜挂帅（第一批）",
    "2025年人工智能赋能制造业十大场景揭榜挂帅（第二批）",
    "2026年人工智能赋能制造业场景揭榜挂帅（第一批）",
    "2026年人工智能赋能制造业场景揭榜挂帅（第二批，预告）",
)
MORE_EXPERTS = (("expert3", "王研究员"), ("expert4", "赵总工"), ("expert5", "周博士"))
SCORES = ((9, 8, 9, 7, 8), (8, 8, 8, 8, 7), (9, 9, 8, 7, 9), (7, 8, 8, 8, 6), (8, 7, 9, 8, 8))


def load_rounds(organiser, password: str, created: CreatedAccounts) -> int:
    """Create the demo rounds unless they exist; returns the number of listings created."""
    if db.session.scalar(select(Round.id).where(Round.name == NAMES[0])) is not None:
        return 0
    experts = _experts(password, created)
    teams = _teams()
    needs = rounds.publishable_needs()
    if len(teams) < 2 or len(needs) < 8:
        return 0
    now = clock.now()
    plan = (
        (NAMES[0], now - timedelta(days=200), ("accepted", "in_delivery", "awarded")),
        (NAMES[1], now - timedelta(days=20), ("under_review", "publicity")),
        (NAMES[2], now - timedelta(days=3), ("accepting",)),
        (NAMES[3], now + timedelta(days=30), ("published",)),
    )
    count = 0
    for name, opens, targets in plan:
        count += _round(organiser, name, opens, targets, needs, teams, experts)
    click.echo(f"demo: created {len(plan)} rounds with {count} listings")
    return count


def _experts(password: str, created: CreatedAccounts) -> list:
    for local, name in MORE_EXPERTS:
        email = f"{local}@{EMAIL_DOMAIN}"
        if accounts.find_user_by_email(email) is None:
            accounts.create_expert(email, name, password)
            created.add("expert", "—", email)
    return [accounts.find_user_by_email(f"expert{i}@{EMAIL_DOMAIN}") for i in range(1, 6)]


def _teams() -> list[tuple]:
    """(vendor member, published offering) for the first demo vendors with an offering."""
    offerings = db.session.scalars(
        select(Offering).where(Offering.status == "published").order_by(Offering.id)
    )
    teams: dict[int, tuple] = {}
    for offering in offerings:
        members = [u for u in offering.organisation.members if u.is_vendor_member]
        if members and offering.organisation.is_approved:
            teams.setdefault(offering.organisation_id, (members[0], offering))
    return list(teams.values())[:4]


def _round(organiser, name, opens, targets, needs, teams, experts) -> int:
    with clock.frozen(opens - timedelta(days=5)):
        round_ = rounds.open_round(
            organiser,
            rounds.RoundData(
                name=name,
                opens_at=opens,
                closes_at=opens + timedelta(days=14),
                rules="揭榜单位须为在本区注册或设有分支机构的独立法人；鼓励产学研联合体揭榜。",
                publicity_days=7,
                quota=1,
                voucher_share=Decimal("0.3"),
                voucher_cap=Decimal("50"),
            ),
        )
    for offset, target in enumerate(targets):
        merged = [needs.pop(0)] + ([needs.pop(0)] if target == "accepting" else [])
        with clock.frozen(opens - timedelta(days=4)):
            listing = rounds.add_listing(
                organiser,
                round_,
                rounds.ListingData(
                    title=f"揭榜：{merged[0].title}",
                    need_ids=[n.id for n in merged],
                    description=merged[0].goal,
                    reward=Decimal(50 + 10 * offset),
                    budget=Decimal(merged[0].budget_max or 80),
                    consortium_allowed=True,
                ),
            )
        _drive(organiser, listing, target, teams[offset % 2 :] + teams[: offset % 2], experts)
    return len(targets)


def _data(listing, base) -> ApplicationData:
    today = base.astimezone(clock.LOCAL_TZ).date()
    better = {"up": 1.05, "down": 0.95}
    return ApplicationData(
        approach="基于行业大模型与边缘推理的端到端方案：数据治理、模型训练、产线部署与持续迭代。",
        team="项目经理 1 名，算法工程师 4 名，实施工程师 3 名。",
        price=Decimal("75"),
        voucher_use=min(Decimal("20"), remaining_cap(listing)),  # within the firm's yearly cap
        rights_declared=True,
        commitments={k.id: round(k.target * better[k.direction], 2) for k in listing.kpis},
        milestones=[
            MilestoneData("数据采集与标注", today + timedelta(days=30), "标注数据集与数据报告"),
            MilestoneData("模型上线试运行", today + timedelta(days=60), "试运行报告"),
            MilestoneData("正式运行与验收准备", today + timedelta(days=240), "运行报告"),
        ],
    )


def _drive(organiser, listing, target, teams, experts) -> None:
    """Walk a listing through the real services up to `target`."""
    if target == "published":
        return
    opens, closes = listing.round.opens_at, listing.round.closes_at
    with clock.frozen(opens + timedelta(hours=1)):
        stageflow.act(organiser, listing, "open_applications")
        apps = [
            applications.start_application(user, listing, offering, _data(listing, closes))
            for user, offering in teams[:2]
        ]
        for (user, _offering), app in zip(teams, apps, strict=False):
            applications.submit_application(user, app)
    if target == "accepting":
        return
    _review(organiser, listing, apps, experts, closes)
    if target == "under_review":
        return
    with clock.frozen(closes + timedelta(days=3)):
        publicity.start_publicity(organiser, listing)
        objection = publicity.file_objection(
            teams[1][0], listing, "对评分结果有疑问，请公开评分细则的执行情况。"
        )
    if target == "publicity":
        return
    _award_and_deliver(organiser, listing, target, objection)


def _review(organiser, listing, apps, experts, closes) -> None:
    with clock.frozen(closes + timedelta(hours=1)):
        for expert in experts:
            review.assign_expert(organiser, listing, expert)
        stageflow.act(organiser, listing, "close_applications")
        for app in apps:
            applications.decide_eligibility(organiser, app, True)
        for i, expert in enumerate(experts):
            for j, app in enumerate(apps):
                scores = {
                    c["code"]: max(0, s - j)
                    for c, s in zip(listing.round.rubric, SCORES[i], strict=True)
                }
                comments = {
                    "technical": "技术路线清晰，数据准备充分。"
                    if j == 0
                    else "方案可行，落地案例偏少。"
                }
                review.save_sheet(expert, app, scores, comments, submit=True)


def _award_and_deliver(organiser, listing, target, objection) -> None:
    ends = listing.publicity_ends_at
    with clock.frozen(ends + timedelta(hours=1)):
        publicity.resolve_objection(
            organiser, objection, False, "经复核，评分程序合规，异议不成立。"
        )
        winner = publicity.proposed_winners(listing)[0]
        start = (ends + timedelta(days=3)).astimezone(clock.LOCAL_TZ).date()
        [award] = publicity.award(
            organiser, listing, [publicity.AwardTerms(winner.id, Decimal("120"), start)]
        )
    if target == "awarded":
        return
    owner, real_now = listing.owners[0].members[0], clock.now()

    def past(moment):
        return min(moment, real_now - timedelta(hours=1))

    milestones = winner.milestones if target == "accepted" else winner.milestones[:1]
    with clock.frozen(ends + timedelta(days=2)):
        stageflow.act(organiser, listing, "start_delivery")
    for milestone in milestones:
        with clock.frozen(past(_on(milestone.due_date))):
            delivery.deliver_milestone(
                winner.lead_users()[0], milestone, "按计划完成，交付物见附件清单。"
            )
            delivery.confirm_milestone(owner, milestone)
    with clock.frozen(past(_on(winner.milestones[0].due_date) + timedelta(days=1))):
        delivery.record_midterm(
            organiser, award, 40 if target == "in_delivery" else 70, "on_track", "进度符合计划。"
        )
    if target == "accepted":
        with clock.frozen(past(_on(winner.milestones[-1].due_date))):
            values = [
                delivery.MeasuredValue(c.listing_kpi_id, c.committed, "第三方检测报告")
                for c in winner.commitments
            ]
            delivery.record_acceptance(organiser, award, values)


def _on(day):
    """Noon (Asia/Shanghai) of a date, as an aware datetime."""
    from datetime import datetime, time

    return datetime.combine(day, time(12), tzinfo=clock.LOCAL_TZ)
