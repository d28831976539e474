"""Journeys through a 揭榜挂帅 round in Chromium (see conftest.py): the vendor's side (an
offering, 适合我的榜单, the NDA, an application with a consortium) and the organiser's side
(approval, a round, experts, scores, the award and the acceptance)."""

from __future__ import annotations

import re
import secrets
import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from .nav import confirm, log_out, open_console_page
from .test_journeys import log_in

pytestmark = pytest.mark.e2e

DEMO = "demo.matchmaker.local"
# A demo need published as 仅公开摘要 (summary only), addressing template T019.
SUMMARY_ONLY_NEED = "升级改造：家纺花型智能设计"


def _list_need_in_open_round(need_title: str, listing_title: str):
    """Seed: the organiser puts a published need into the demo round that accepts
    applications now, as a listing open to consortia."""

    def build(organiser):
        from sqlalchemy import select

        from matchmaker.competitions import rounds, stageflow
        from matchmaker.competitions.models import Round
        from matchmaker.demo.rounds import ACCEPTING, round_names
        from matchmaker.extensions import db
        from matchmaker.needs.models import Need

        name = round_names()[ACCEPTING]
        round_ = db.session.scalar(select(Round).where(Round.name == name))
        need = db.session.scalar(select(Need).where(Need.title == need_title))
        data = rounds.ListingData(title=listing_title, need_ids=[need.id], consortium_allowed=True)
        listing = rounds.add_listing(organiser, round_, data)
        stageflow.act(organiser, listing, "open_applications")
        return listing.id

    return build


def create_offering(vendor, title: str, template_code: str) -> None:
    vendor.get_by_role("link", name="我的方案").first.click()
    vendor.get_by_role("link", name="新建方案").click()
    vendor.fill("#title", title)
    vendor.fill("#summary", "基于生成式模型的家纺花型设计助手，设计周期缩短 40%。")
    vendor.fill("#description", "花型素材库检索、风格迁移与配色推荐，设计师在环审核。")
    template = vendor.locator("#template_ids option", has_text=template_code)
    vendor.select_option("#template_ids", value=template.get_attribute("value"))
    vendor.locator("input[name=tech_tags]").first.check()
    vendor.locator("input[name=deployment_modes]").first.check()
    vendor.fill("#kpis-0-indicator", "单款花型设计周期")
    vendor.fill("#kpis-0-before", "30")
    vendor.fill("#kpis-0-after", "15")
    vendor.fill("#kpis-0-unit", "天")
    vendor.select_option("#kpis-0-direction", "down")
    vendor.fill("#price_min", "20")
    vendor.fill("#price_max", "50")
    vendor.fill("#delivery_weeks", "12")
    vendor.get_by_role("button", name="保存").click()
    expect(vendor.locator(".flash")).to_contain_text("方案草稿已保存")


def test_vendor_offers_finds_the_listing_signs_the_nda_and_applies_with_a_consortium(
    browser_page, live_server, shot
):
    suffix = secrets.token_hex(3)
    offering_title = f"花型智能设计助手 {suffix}"
    listing_title = f"揭榜：家纺花型智能设计 {suffix}"
    listing_id = live_server.seed(_list_need_in_open_round(SUMMARY_ONLY_NEED, listing_title))

    vendor = browser_page()
    log_in(vendor, f"vendor05@{DEMO}", live_server.password)
    create_offering(vendor, offering_title, "T019")
    shot(vendor, "offering-saved")
    vendor.get_by_role("link", name="我的方案").first.click()
    row = vendor.locator("tr", has_text=offering_title)
    row.get_by_role("button", name="提交审核").click()
    expect(vendor.locator(".flash")).to_be_visible()
    shot(vendor, "offering-submitted")

    organiser = browser_page()
    log_in(organiser, live_server.organiser, live_server.password)
    organiser.goto("/console/offerings/")
    organiser.get_by_role("link", name=offering_title).click()
    shot(organiser, "offering-review")
    organiser.get_by_role("button", name="审核通过").click()
    expect(organiser.locator(".flash")).to_be_visible()
    shot(organiser, "offering-approved")

    vendor.get_by_role("link", name="适合我的榜单").click()
    need_link = vendor.locator(".match-list").get_by_role("link", name=SUMMARY_ONLY_NEED)
    reload_until_visible(vendor, need_link)  # the queue's worker indexes the approval
    shot(vendor, "matching-needs")
    need_link.click()
    nda = vendor.locator("section.nda")
    expect(nda).to_be_visible()
    expect(vendor.locator("section.need-details")).to_have_count(0)
    shot(vendor, "need-summary-only")
    nda.get_by_role("button", name="我代表本机构接受保密承诺").click()
    expect(vendor.locator("section.need-details")).to_be_visible()
    shot(vendor, "need-after-nda")

    vendor.goto(f"/rounds/listings/{listing_id}")
    expect(vendor.get_by_role("heading", name=listing_title)).to_be_visible()
    vendor.get_by_role("link", name="我要揭榜").click()
    apply_with_consortium(vendor, offering_title, member_index=6)
    shot(vendor, "application-draft")

    member = browser_page()
    log_in(member, f"vendor06@{DEMO}", live_server.password)
    member.get_by_role("link", name="我的揭榜").click()
    member.get_by_role("link", name=listing_title).click()
    shot(member, "member-invited")
    member.get_by_role("button", name="确认参与").click()
    expect(member.locator(".flash")).to_be_visible()
    shot(member, "member-confirmed")

    vendor.reload()
    vendor.get_by_role("button", name="提交揭榜申请").click()
    expect(vendor.locator(".flash")).to_contain_text("已提交")
    shot(vendor, "application-submitted")


def reload_until_visible(page, locator, seconds: float = 15) -> None:
    """Reload `page` until `locator` shows (what a user does while the worker catches up)."""
    deadline = time.monotonic() + seconds
    while not locator.is_visible() and time.monotonic() < deadline:
        page.wait_for_timeout(500)
        page.reload()
    expect(locator).to_be_visible()


def apply_with_consortium(vendor, offering_title: str | None, member_index: int | None) -> None:
    """Fill the application form: commitments at the targets, three milestones, a member."""
    from matchmaker.demo.accounts import demo_credit_code

    if offering_title is None:  # the vendor's first published offering
        offering_title = vendor.locator("#offering_id option").first.inner_text()
    vendor.select_option("#offering_id", label=offering_title)
    vendor.fill("#approach", "花型素材库 + 风格迁移模型，设计师在环审核，三个月上线。")
    vendor.fill("#team", "算法 4 人，实施 2 人。")
    vendor.fill("#price", "45")
    vendor.fill("#voucher_use", "10")
    for row in vendor.locator("input[name$='-committed']").all():
        target = row.locator("xpath=ancestor::tr/td[2]").inner_text().split()[0]
        row.fill(target)
    for i, (title, due) in enumerate((("需求调研", "2027-01-31"), ("模型上线", "2027-03-31"))):
        vendor.fill(f"#milestones-{i}-title", title)
        vendor.fill(f"#milestones-{i}-due_date", due)
        vendor.fill(f"#milestones-{i}-deliverable", f"{title}报告")
    if member_index is not None:
        vendor.fill("#member_codes", demo_credit_code("vendor", member_index))
    vendor.check("#rights_declared")
    vendor.get_by_role("button", name="保存草稿").click()
    expect(vendor.locator(".flash")).to_contain_text("揭榜申请草稿已保存")


# A demo need waiting for the organiser's review (factory11's), and its two KPIs.
SUBMITTED_NEED = "一期：线束装配双臂机器人柔性插接"
EXPERT_NAME = "王研究员"  # expert3


def _publicity_has_passed(listing_title: str):
    """Seed: the publicity days go by (the server runs on the real clock)."""

    def build(_organiser):
        from sqlalchemy import select

        from matchmaker import clock
        from matchmaker.competitions.models import Listing
        from matchmaker.extensions import db

        listing = db.session.scalar(select(Listing).where(Listing.title == listing_title))
        days = listing.publicity_ends_at - listing.publicity_starts_at
        listing.publicity_ends_at = clock.now() - timedelta(minutes=1)
        listing.publicity_starts_at = listing.publicity_ends_at - days
        db.session.commit()

    return build


def organiser_opens_a_round(organiser, round_name: str, listing_title: str, shot) -> None:
    now = datetime_local(hours=-1)
    open_console_page(organiser, "揭榜管理")
    organiser.get_by_role("link", name="新建揭榜批次").click()
    organiser.fill("#name", round_name)
    organiser.fill("#opens_at", now)
    organiser.fill("#closes_at", datetime_local(hours=24 * 14))
    organiser.fill("#publicity_days", "5")
    shot(organiser, "round-form")
    organiser.get_by_role("button", name="创建").click()
    expect(organiser.locator(".flash")).to_contain_text("批次已创建")
    organiser.get_by_role("link", name="发布榜单").click()
    organiser.fill("#title", listing_title)
    organiser.get_by_label(SUBMITTED_NEED).check()
    organiser.fill("#reward", "20")
    organiser.fill("#budget", "80")
    organiser.get_by_role("button", name="提交").click()
    expect(organiser.locator(".flash")).to_contain_text("榜单已发布")
    if not organiser.get_by_role("heading", name=listing_title).count():
        organiser.get_by_role("link", name=listing_title).click()
    organiser.get_by_role("button", name="开始揭榜").click()
    expect(organiser.locator(".flash")).to_contain_text("榜单阶段已更新")
    expect(organiser.locator("h1 .badge")).to_have_text("揭榜中")
    organiser.select_option("#expert_id", label=EXPERT_NAME)
    organiser.locator("form:has(#expert_id)").get_by_role("button", name="指派").click()
    expect(organiser.locator(".flash")).to_be_visible()
    shot(organiser, "listing-open-expert-assigned")


def clock_today() -> str:
    from matchmaker import clock

    return clock.local_now().date().isoformat()


def datetime_local(hours: int) -> str:
    from matchmaker import clock

    return (clock.local_now() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def test_organiser_runs_a_round_from_approval_to_acceptance(browser_page, live_server, shot):
    suffix = secrets.token_hex(3)
    round_name = f"E2E 揭榜批次 {suffix}"
    listing_title = f"揭榜：线束柔性插接 {suffix}"
    organiser = browser_page()
    log_in(organiser, live_server.organiser, live_server.password)
    open_console_page(organiser, "需求审核")
    card = organiser.locator("section.card", has_text=SUBMITTED_NEED)
    card.get_by_role("button", name="通过并发布").click()
    expect(organiser.locator(".flash")).to_contain_text(f"已发布需求“{SUBMITTED_NEED}”")
    shot(organiser, "need-approved")
    organiser_opens_a_round(organiser, round_name, listing_title, shot)
    console_listing = organiser.url

    vendor = browser_page()
    log_in(vendor, f"vendor07@{DEMO}", live_server.password)
    vendor.get_by_role("link", name="揭榜挂帅").first.click()
    vendor.get_by_role("link", name=round_name).click()
    vendor.get_by_role("link", name=listing_title).click()
    vendor.get_by_role("link", name="我要揭榜").click()
    apply_with_consortium(vendor, None, member_index=None)
    vendor.get_by_role("button", name="提交揭榜申请").click()
    expect(vendor.locator(".flash")).to_contain_text("已提交")
    shot(vendor, "application-submitted")

    organiser.goto(console_listing)
    organiser.get_by_role("button", name="截止揭榜").click()
    expect(organiser.locator("h1 .badge")).to_have_text("评审中")
    row = organiser.locator("tr[id^=application-]").first
    row.locator("select[name=eligible]").select_option("1")
    row.get_by_role("button", name="记录").click()
    expect(organiser.locator(".flash")).to_contain_text("资格审查结果已记录")
    shot(organiser, "eligibility")

    expert = browser_page()
    log_in(expert, f"expert3@{DEMO}", live_server.password)
    expert.get_by_role("link", name="我的评审").click()
    expert.get_by_role("link", name=listing_title).click()
    expert.get_by_role("link", name="评分").first.click()
    for i, score in enumerate(expert.locator("input[name^=score_]").all()):
        score.fill(str(8 + i % 2))
    expert.locator("textarea[name^=comment_]").first.fill("方案成熟，指标承诺可信。")
    shot(expert, "score-sheet")
    expert.get_by_role("button", name="提交（提交后不能修改）").click()
    expect(expert.locator(".flash")).to_be_visible()
    shot(expert, "scored")

    organiser.goto(console_listing)
    expect(organiser.locator("table.ranking")).to_be_visible()
    organiser.locator("input[name=winner_ids]").first.check()
    shot(organiser, "ranking")
    confirm(organiser, "开始公示（勾选拟挂帅单位，不勾选则按排名）", "确认开始公示")
    expect(organiser.locator(".flash")).to_contain_text("公示已开始")
    expect(organiser.locator("h1 .badge")).to_have_text("公示中")
    live_server.seed(_publicity_has_passed(listing_title))
    organiser.reload()
    organiser.locator("input[name^=contract_]").fill("60")
    organiser.locator("input[name^=start_]").fill(clock_today())
    confirm(organiser, "确定挂帅", "确认挂帅", shot)
    expect(organiser.locator(".flash")).to_contain_text("挂帅单位已确定")
    shot(organiser, "awarded")
    organiser.get_by_role("button", name="开始攻关").click()
    expect(organiser.locator("h1 .badge")).to_have_text("攻关中")
    organiser.locator("table").get_by_role("link", name=re.compile(".+")).last.click()
    award_page = organiser.url

    vendor.goto(award_page)
    for row in vendor.locator("[id^=milestone-]").all():
        row.locator("textarea[name=note]").fill("已按计划完成并上线。")
        row.get_by_role("button", name="提交完成情况").click()
        expect(vendor.locator(".flash")).to_contain_text("完成情况已提交")
    shot(vendor, "milestones-delivered")

    # 退回补充: the factory sends the first submission back with a reason, the vendor adds to it
    factory = browser_page()
    log_in(factory, f"factory11@{DEMO}", live_server.password)
    factory.goto(award_page)
    first = factory.locator("[id^=milestone-]").first
    first.locator("summary", has_text="退回补充").click()
    first.locator("textarea[name=reason]").fill("请补充上线后一周的检出率统计。")
    first.get_by_role("button", name="退回", exact=True).click()
    expect(factory.locator(".flash")).to_contain_text("已退回补充")
    vendor.goto(award_page)
    returned = vendor.locator("[id^=milestone-]").first
    expect(returned.locator(".alert")).to_contain_text("请补充上线后一周的检出率统计。")
    shot(vendor, "milestone-returned")
    returned.locator("textarea[name=note]").fill("已补充检出率统计（附表）。")
    returned.get_by_role("button", name="提交完成情况").click()
    expect(vendor.locator(".flash")).to_contain_text("完成情况已提交")
    log_out(vendor)

    factory.goto(award_page)
    while factory.get_by_role("button", name="确认完成").count():
        factory.get_by_role("button", name="确认完成").first.click()
        expect(factory.locator(".flash")).to_be_visible()
    shot(factory, "milestones-confirmed")

    organiser.goto(award_page)
    for row in organiser.locator("form[action$='/acceptance'] tbody tr").all():
        committed = row.locator("td").nth(1).inner_text().split()[0]
        row.locator("input[name^=measured_]").fill(committed)
        row.locator("input[name^=evidence_]").fill("第三方检测报告")
    shot(organiser, "acceptance-form")
    confirm(organiser, "记录验收结果", "确认记录验收结果")
    expect(organiser.locator(".flash")).to_contain_text("验收结果已记录")
    expect(organiser.get_by_text("验收通过", exact=True)).to_be_visible()
    shot(organiser, "accepted")
