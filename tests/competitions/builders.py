"""Builders for the rounds' tests: a round with a window around a frozen clock, listings, teams."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from matchmaker import clock
from matchmaker.competitions import applications, rounds
from matchmaker.competitions.applications import ApplicationData, MilestoneData
from tests.factories import make_need, make_offering, make_org, make_user

START = datetime(2025, 3, 1, 0, 0, tzinfo=UTC)
OPENS = START + timedelta(days=1)
CLOSES = START + timedelta(days=10)


def make_round(organiser, **overrides):
    values = {
        "name": "2025年人工智能赋能制造业十大场景揭榜挂帅",
        "opens_at": OPENS,
        "closes_at": CLOSES,
        "publicity_days": 7,
        "quota": 1,
        "voucher_share": Decimal("0.3"),
        "voucher_cap": Decimal("50"),
    }
    values.update(overrides)
    return rounds.open_round(organiser, rounds.RoundData(**values))


def make_listing(organiser, round_, needs=None, **overrides):
    needs = needs or [make_need(status="published")]
    values = {
        "title": "坯布疵点视觉检测榜单",
        "need_ids": [n.id for n in needs],
        "reward": Decimal("80"),
    }
    values.update(overrides)
    return rounds.add_listing(organiser, round_, rounds.ListingData(**values))


def make_vendor():
    """An approved vendor organisation, a member, and its published offering."""
    org = make_org("vendor")
    user = make_user(org)
    return org, user, make_offering(org, status="published")


def application_data(listing, committed=1.5, codes=(), **overrides) -> ApplicationData:
    values = {
        "approach": "基于深度学习的疵点检测，边缘部署。",
        "team": "算法 5 人，实施 3 人",
        "price": Decimal("60"),
        "voucher_use": Decimal("18"),
        "rights_declared": True,
        "commitments": {kpi.id: committed for kpi in listing.kpis},
        "milestones": [
            MilestoneData("数据采集与标注", date(2025, 5, 1), "标注数据集"),
            MilestoneData("模型上线试运行", date(2025, 7, 1), "试运行报告"),
        ],
        "member_codes": list(codes),
    }
    values.update(overrides)
    return ApplicationData(**values)


def apply(user, offering, listing, committed=1.5, codes=(), submit=True):
    """Start, fill and (by default) submit an application; consortium members confirm first."""
    application = applications.start_application(user, listing, offering)
    applications.save_application(user, application, application_data(listing, committed, codes))
    for member in application.members:
        applications.respond_membership(member.organisation.members[0], application, True)
    if submit:
        applications.submit_application(user, application)
    return application


def at(moment):
    clock.set(moment)
    return moment


SHEET = {"technical": 8, "team": 7, "kpi": 9, "price": 6, "cases": 5}


def reviewed(n_apps: int = 2, n_experts: int = 1, **round_overrides):
    """A listing under review: `n_apps` eligible applications scored by `n_experts` experts.

    Returns a dict: organiser, owner (factory member), listing, apps, leads, experts.
    """
    from matchmaker.competitions import panel, stageflow

    organiser = make_user(role="organiser")
    factory = make_org("factory")
    owner = make_user(factory)
    at(OPENS - timedelta(days=1))
    round_ = make_round(organiser, **round_overrides)
    listing = make_listing(organiser, round_, [make_need(factory, status="published")])
    at(OPENS + timedelta(hours=1))
    stageflow.tick()
    leads, apps = [], []
    for i in range(n_apps):
        _org, lead, offering = make_vendor()
        apps.append(apply(lead, offering, listing, committed=1.5 - i / 10))
        leads.append(lead)
    experts = [make_user(role="expert") for _ in range(n_experts)]
    for expert in experts:
        panel.assign_expert(organiser, listing, expert)
    at(CLOSES + timedelta(minutes=1))
    stageflow.tick()
    for app in apps:
        applications.decide_eligibility(organiser, app, True)
    for expert in experts:
        for i, app in enumerate(apps):
            sheet = {code: max(0, value - i) for code, value in SHEET.items()}
            panel.save_sheet(expert, app, sheet, {"technical": "方案可行"}, submit=True)
    return {
        "organiser": organiser,
        "owner": owner,
        "listing": listing,
        "apps": apps,
        "leads": leads,
        "experts": experts,
    }


def awarded(contract=Decimal("100"), start=date(2025, 4, 1), **round_overrides):
    """A listing whose first application won: publicity over, award recorded."""
    from matchmaker.competitions import publicity

    scene = reviewed(**round_overrides)
    listing = scene["listing"]
    publicity.start_publicity(scene["organiser"], listing)
    at(listing.publicity_ends_at + timedelta(minutes=1))
    terms = [publicity.AwardTerms(scene["apps"][0].id, contract, start)]
    scene["award"] = publicity.award(scene["organiser"], listing, terms)[0]
    return scene
