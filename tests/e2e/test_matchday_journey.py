"""A matchmaking day (供需对接会) in Chromium: the organiser creates and publishes it, a vendor
and a factory register from the home page (the factory wishes for the vendor from the ranked
list), the organiser schedules the meetings after the deadline, the factory reads its agenda
and records 有意向 once the day has come, and the organiser sees the conversion."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from .nav import confirm, open_console_page
from .test_journeys import log_in

pytestmark = pytest.mark.e2e

DEMO = "demo.matchmaker.local"


def _seed(title: str, **changes):
    """Time passes: the deadline (and later the day itself) moves into the past."""

    def build(_organiser):
        from sqlalchemy import select

        from matchmaker import clock
        from matchmaker.extensions import db
        from matchmaker.matchdays.models import MatchDay

        day = db.session.scalar(select(MatchDay).where(MatchDay.title == title))
        if changes.get("closed"):
            day.registration_closes_at = clock.now() - timedelta(minutes=5)
        if changes.get("today"):
            day.day = clock.local_now().date()
        db.session.commit()

    return build


def _register(page, title: str, wish: bool) -> None:
    page.goto("/")
    page.get_by_role("link", name=title).first.click()
    page.get_by_role("link", name="报名参加").click()
    page.locator("input[name=items]").first.check()
    page.get_by_role("button", name="保存报名").click()
    expect(page.locator(".flash")).to_contain_text("报名已保存")
    if wish:
        page.get_by_label("希望洽谈").first.check()
        page.get_by_role("button", name="保存洽谈意愿").click()
        expect(page.locator(".flash")).to_contain_text("洽谈意愿已保存")


def test_matchday_from_creation_to_outcome(browser_page, live_server, shot):
    from matchmaker import clock

    title = f"萧山区AI供需对接会{secrets.token_hex(2)}"
    held = clock.local_now().date() + timedelta(days=30)
    organiser = browser_page()
    log_in(organiser, live_server.organiser, live_server.password)
    open_console_page(organiser, "供需对接会")
    organiser.get_by_role("link", name="新建对接会").click()
    organiser.fill("#title", title)
    organiser.fill("#venue", "萧山区科技城会展中心")
    organiser.fill("#day", held.isoformat())
    organiser.fill("#starts_at", "09:00")
    organiser.fill("#registration_closes_at", f"{(held - timedelta(days=3)).isoformat()}T17:00")
    organiser.get_by_role("button", name="创建").click()
    expect(organiser.locator(".flash")).to_contain_text("对接会已创建")
    confirm(organiser, "发布", "确认发布", shot)
    expect(organiser.locator(".flash")).to_contain_text("对接会已发布")

    vendor = browser_page()
    log_in(vendor, f"vendor01@{DEMO}", live_server.password)
    _register(vendor, title, wish=False)
    factory = browser_page()
    log_in(factory, f"factory01@{DEMO}", live_server.password)
    _register(factory, title, wish=True)
    shot(factory, "partners")

    live_server.seed(_seed(title, closed=True))
    organiser.reload()
    organiser.get_by_role("button", name="排定洽谈日程").click()
    expect(organiser.locator(".flash")).to_contain_text("洽谈日程已排定")
    expect(organiser.locator(".matchday-grid")).to_contain_text("×")
    shot(organiser, "grid")

    live_server.seed(_seed(title, today=True))
    factory.goto("/")
    factory.get_by_role("link", name="全部供需对接会").click()
    factory.get_by_role("link", name=title).click()
    factory.get_by_role("link", name="查看我的洽谈日程").click()
    expect(factory.locator("h2").first).to_contain_text("第 1 桌")
    factory.get_by_role("button", name="有意向").first.click()
    expect(factory.locator(".flash")).to_contain_text("洽谈结果已记录")
    shot(factory, "agenda")
    organiser.reload()
    expect(organiser.locator("#conversion")).to_contain_text("1 场有意向")
