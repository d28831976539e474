"""Demo rounds (揭榜挂帅): listings in every stage, so that every page has something to show.

History is written through the real services with the clock frozen at past moments, counted
back from today (timeline.py): a round that opened ten months ago, whose listings are accepted
and in delivery (its second milestone a month overdue); a round that closed two weeks ago, with
a listing awarded last week, one in publicity with an open objection and one under review
(scored); a round accepting applications now and one announced for next month. Names carry the
year and batch of their opening date. Loading twice is a no-op (the organiser's rounds are the
marker).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

import click
from sqlalchemy import select

from .. import clock
from ..accounts import services as accounts
from ..competitions import (
    applications,
    delivery,
    ledger,
    panel,
    publicity,
    rectification,
    rounds,
    stageflow,
)
from ..competitions import stages as listing_stages
from ..competitions.applications import ApplicationData, MilestoneData
from ..competitions.models import Round
from ..competitions.vouchers import remaining_cap
from ..extensions import db
from ..solvers import states as offering_states
from ..solvers.models import Offering
from .accounts import EMAIL_DOMAIN, CreatedAccounts
from .timeline import days_ago

ONE, CENT = Decimal("1"), Decimal("0.01")

TITLE = "{year}年人工智能赋能制造业场景揭榜挂帅（第{batch}批）"
ANNOUNCED = "{year}年人工智能赋能制造业场景揭榜挂帅（第{batch}批，预告）"
BATCHES = "一二三四五六"
WINDOW = timedelta(days=30, hours=7)  # opens 10:00, closes 17:00 thirty days later
# (opens, days ago; the stages its listings reach), oldest first
PLAN = (
    (300, (listing_stages.ACCEPTED, listing_stages.IN_DELIVERY)),
    (45, (listing_stages.AWARDED, listing_stages.PUBLICITY, listing_stages.UNDER_REVIEW)),
    (5, (listing_stages.ACCEPTING,)),
    (-40, (listing_stages.PUBLISHED,)),
)
# Milestones of an application, in days after its round closes: the accepted listing's are all
# past, the one in delivery has its second one overdue, the others' lie ahead.
ACCEPTING = 2  # the index in PLAN of the round that accepts applications now
SCHEDULES = {listing_stages.ACCEPTED: (30, 90, 210), listing_stages.IN_DELIVERY: (45, 240, 330)}
SCHEDULE = (60, 120, 240)
MORE_EXPERTS = (("expert3", "王研究员"), ("expert4", "赵总工"), ("expert5", "周博士"))
SCORES = ((9, 8, 9, 7, 8), (8, 8, 8, 8, 7), (9, 9, 8, 7, 9), (7, 8, 8, 8, 6), (8, 7, 9, 8, 8))


def round_names() -> list[str]:
    """The demo rounds' names from their opening dates: numbered by batch within each year,
    the one that opens later marked 预告."""
    names, batches = [], Counter()
    for days, _targets in PLAN:
        year = days_ago(days).astimezone(clock.LOCAL_TZ).year
        batches[year] += 1
        pattern = ANNOUNCED if days < 0 else TITLE
        names.append(pattern.format(year=year, batch=BATCHES[batches[year] - 1]))
    return names


def load_rounds(organiser, password: str, created: CreatedAccounts) -> int:
    """Create the demo rounds unless the organiser has rounds already; returns the number of
    listings created."""
    mine = select(Round.id).where(Round.created_by_id == organiser.id).limit(1)
    if db.session.scalar(mine) is not None:
        return 0
    experts = _experts(password, created)
    teams = _teams()
    needs = rounds.publishable_needs()
    if len(teams) < 2 or len(needs) < 8:
        return 0
    count = 0
    for name, (days, targets) in zip(round_names(), PLAN, strict=True):
        count += _round(organiser, name, days_ago(days), targets, needs, teams, experts)
    click.echo(f"demo: created {len(PLAN)} rounds with {count} listings")
    return count


def _experts(password: str, created: CreatedAccounts) -> list:
    for local, name in MORE_EXPERTS:
        email = f"{local}@{EMAIL_DOMAIN}"
        if accounts.find_user_by_email(email) is None:
            with clock.frozen(days_ago(PLAN[0][0] + 20)):
                accounts.create_expert(email, name, password)
            created.add("expert", "—", email)
    return [accounts.find_user_by_email(f"expert{i}@{EMAIL_DOMAIN}") for i in range(1, 6)]


def _teams() -> list[tuple]:
    """(vendor member, published offering) for the first demo vendors with an offering."""
    offerings = db.session.scalars(
        select(Offering).where(Offering.status == offering_states.PUBLISHED).order_by(Offering.id)
    )
    teams: dict[int, tuple] = {}
    for offering in offerings:
        members = [u for u in offering.organisation.members if u.is_vendor_member]
        if members and offering.organisation.is_approved:
            teams.setdefault(offering.organisation_id, (members[0], offering))
    return list(teams.values())[:4]


def _round(organiser, name, opens, targets, needs, teams, experts) -> int:
    # set up five days before it opens (an announced round: three days ago, not in the future)
    prepared = min(opens - timedelta(days=5), days_ago(3))
    with clock.frozen(prepared):
        round_ = rounds.open_round(
            organiser,
            rounds.RoundData(
                name=name,
                opens_at=opens,
                closes_at=opens + WINDOW,
                rules="揭榜单位须为在本区注册或设有分支机构的独立法人；鼓励产学研联合体揭榜。",
                publicity_days=7,
                quota=1,
                voucher_share=Decimal("0.3"),
                voucher_cap=Decimal("50"),
            ),
        )
    for offset, target in enumerate(targets):
        merged = [needs.pop(0)] + ([needs.pop(0)] if target == listing_stages.ACCEPTING else [])
        with clock.frozen(prepared + timedelta(hours=1)):
            listing = rounds.add_listing(
                organiser,
                round_,
                rounds.ListingData(
                    title=listing_title(merged[0].title),
                    need_ids=[n.id for n in merged],
                    description=merged[0].goal,
                    reward=Decimal(min(50, round((merged[0].budget_max or 80) * 0.3))),
                    budget=Decimal(merged[0].budget_max or 80),
                    consortium_allowed=True,
                ),
            )
        _drive(organiser, listing, target, teams[offset % 2 :] + teams[: offset % 2], experts)
    return len(targets)


def _data(listing, base, target: str, rank: int) -> ApplicationData:
    """Team `rank`'s application: a price under the listing's budget, a voucher within the
    round's share and the firm's cap, commitments at or a little beyond the targets."""
    day = base.astimezone(clock.LOCAL_TZ).date()
    due = [day + timedelta(days=d) for d in SCHEDULES.get(target, SCHEDULE)]
    price = (Decimal(listing.budget or 80) * Decimal(("0.92", "0.85")[rank % 2])).quantize(ONE)
    voucher = min(price * listing.round.voucher_share, remaining_cap(listing))
    return ApplicationData(
        approach="基于行业大模型与边缘推理的端到端方案：数据治理、模型训练、产线部署与持续迭代。",
        team=f"项目经理 1 名，算法工程师 {4 - rank} 名，实施工程师 {3 + rank} 名。",
        price=price,
        voucher_use=voucher.quantize(CENT, rounding=ROUND_DOWN),
        rights_declared=True,
        commitments={k.id: _commitment(k, rank) for k in listing.kpis},
        milestones=[
            MilestoneData("数据采集与标注", due[0], "标注数据集与数据报告"),
            MilestoneData("模型上线试运行", due[1], "试运行报告"),
            MilestoneData("正式运行与验收准备", due[2], "运行报告"),
        ],
    )


def _commitment(kpi, rank: int) -> float:
    """The first team promises a tenth more improvement than the target asks (a rate stays
    within 100 %), the second team the target."""
    if rank or kpi.baseline is None:
        return kpi.target
    better = kpi.target + (kpi.target - kpi.baseline) * 0.1
    if kpi.unit == "%" and kpi.direction == "up":
        better = min(better, (kpi.target + 100) / 2)
    better = max(better, 0.0)
    return round(better, 1 if abs(better) < 100 else 0)


def _drive(organiser, listing, target, teams, experts) -> None:
    """Walk a listing through the real services up to `target`."""
    if target == listing_stages.PUBLISHED:
        return
    opens, closes = listing.round.opens_at, listing.round.closes_at
    with clock.frozen(opens + timedelta(hours=1)):
        stageflow.act(organiser, listing, "open_applications")
        apps = [
            applications.start_application(
                user, listing, offering, _data(listing, closes, target, rank)
            )
            for rank, (user, offering) in enumerate(teams[:2])
        ]
        for (user, _offering), app in zip(teams, apps, strict=False):
            applications.submit_application(user, app)
    if target == listing_stages.ACCEPTING:
        return
    _review(organiser, listing, apps, experts, closes)
    if target == listing_stages.UNDER_REVIEW:
        return
    starts = closes + timedelta(days=3)
    if target == listing_stages.PUBLICITY:  # still in its publicity days today
        starts = max(starts, days_ago(3, hour=15))
    with clock.frozen(starts):
        publicity.start_publicity(organiser, listing)
        objection = publicity.file_objection(
            teams[1][0], listing, "对评分结果有疑问，请公开评分细则的执行情况。"
        )
    if target == listing_stages.PUBLICITY:
        return
    _award_and_deliver(organiser, listing, target, objection)


def _review(organiser, listing, apps, experts, closes) -> None:
    with clock.frozen(closes + timedelta(hours=1)):
        for expert in experts:
            panel.assign_expert(organiser, listing, expert)
        stageflow.act(organiser, listing, "close_applications")
        for app in apps:
            applications.decide_eligibility(organiser, app, True)
    for i, expert in enumerate(experts):  # each expert scores on a day of the next two
        with clock.frozen(closes + timedelta(days=1 + i % 2, hours=i)):
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
                panel.save_sheet(expert, app, scores, comments, submit=True)


def _award_and_deliver(organiser, listing, target, objection) -> None:
    ends = listing.publicity_ends_at
    with clock.frozen(ends + timedelta(hours=1)):
        publicity.resolve_objection(
            organiser, objection, False, "经复核，评分程序合规，异议不成立。"
        )
        winner = publicity.proposed_winners(listing)[0]
        start = (ends + timedelta(days=3)).astimezone(clock.LOCAL_TZ).date()
        [award] = publicity.award(
            organiser, listing, [publicity.AwardTerms(winner.id, winner.price, start)]
        )
    if target == listing_stages.AWARDED:
        return
    owner, real_now = listing.owners[0].members[0], clock.now()

    def past(moment):
        return min(moment, real_now - timedelta(hours=1))

    milestones = winner.milestones if target == listing_stages.ACCEPTED else winner.milestones[:1]
    with clock.frozen(ends + timedelta(days=2)):
        stageflow.act(organiser, listing, "start_delivery")
    for milestone in milestones:
        with clock.frozen(past(_on(milestone.due_date))):
            delivery.deliver_milestone(
                winner.lead_users()[0], milestone, "按计划完成，交付物见附件清单。"
            )
            delivery.confirm_milestone(owner, milestone)
    with clock.frozen(past(_on(winner.milestones[0].due_date) + timedelta(days=1))):  # 中期检查
        delivery.record_midterm(
            organiser,
            award,
            40 if target == listing_stages.IN_DELIVERY else 70,
            "on_track",
            "进度符合计划。",
        )
    if target == listing_stages.ACCEPTED:
        _rectified_acceptance(organiser, award, winner, past)


def _missed(commitment) -> float:
    """A measured value 20 % short of the commitment, in the indicator's direction."""
    worse = 0.8 if commitment.kpi.direction == "up" else 1.2
    return round(commitment.committed * worse, 2) or 1.0


def _rectified_acceptance(organiser, award, winner, past) -> None:
    """验收 fails on the first indicator, 30 days of 整改, the vendor reports the fix, the 复验
    passes; then the organiser records one payment of half the voucher in the ledger."""
    first = _on(winner.milestones[-1].due_date) + timedelta(days=5)
    commitments = winner.commitments
    values = [
        delivery.MeasuredValue(
            c.listing_kpi_id, _missed(c) if i == 0 else c.committed, "第三方检测报告"
        )
        for i, c in enumerate(commitments)
    ]
    with clock.frozen(past(first)):
        delivery.record_acceptance(organiser, award, values)
    with clock.frozen(past(first + timedelta(hours=2))):
        fix = rectification.grant_rectification(
            organiser,
            award,
            30,
            f"考核指标“{commitments[0].kpi.indicator}”实测未达到承诺值：请补充夜班和换线工况的"
            "样本、重新训练模型，并提交第三方复测报告。",
        )
    with clock.frozen(past(first + timedelta(days=18))):
        rectification.report_rectification(
            winner.lead_users()[0],
            fix,
            "已补充夜班及换线工况样本 1.2 万张并重新训练模型，第三方复测报告已随附。",
        )
    with clock.frozen(past(first + timedelta(days=25))):
        values = [
            delivery.MeasuredValue(c.listing_kpi_id, c.committed, "第三方复测报告")
            for c in commitments
        ]
        delivery.record_acceptance(organiser, award, values)
    paid = past(first + timedelta(days=40))
    with clock.frozen(paid):
        half = (award.voucher_amount / 2).quantize(CENT, rounding=ROUND_DOWN)
        day = paid.astimezone(clock.LOCAL_TZ).date()
        ledger.record_payment(
            organiser, award, half, day, f"XSCJQ-{day:%Y%m%d}-001", "首期兑付（50%）"
        )


def _on(day):
    """Noon (Asia/Shanghai) of a date, as an aware datetime."""
    from datetime import datetime, time

    return datetime.combine(day, time(12), tzinfo=clock.LOCAL_TZ)


def listing_title(need_title: str) -> str:
    """A listing named as organisers name them: the need's subject without its phase prefix
    ("一期：", "试点：" …), then 揭榜项目 — not "揭榜：一期：…"."""
    subject = need_title.split("：", 1)[-1].strip()
    return f"{subject}揭榜项目"
