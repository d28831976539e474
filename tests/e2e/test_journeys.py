"""Journeys through the real stack in Chromium (see conftest.py)."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect

from matchmaker.accounts.credit_code import make_credit_code

from .nav import log_out, open_console_page

pytestmark = pytest.mark.e2e


def log_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/account$"))


def test_factory_registers_and_is_approved_by_the_organiser(browser_page, live_server, shot):
    suffix = secrets.token_hex(3)
    org_name = f"杭州萧山旭日五金制品有限公司{suffix}"
    email = f"manager-{suffix}@factory.example.com"
    password = "factory-pass-1"
    factory = browser_page()
    factory.goto("/register")
    shot(factory, "register-form")
    factory.check("input[name=kind][value=factory]")
    fields = {
        "#org_name": org_name,
        "#credit_code": make_credit_code(f"91440606{secrets.randbelow(10**9):09d}"),
        "#contact_name": "陈工",
        "#contact_phone": "13912345678",
        "#district": "萧山区",
        "#town": "瓜沥镇",
        "#name": "陈经理",
        "#email": email,
        "#password": password,
        "#password2": password,
    }
    for selector, value in fields.items():
        factory.fill(selector, value)
    shot(factory, "register-filled")
    factory.get_by_role("button", name="提交注册").click()
    # The same answer whatever the address: check your mail, then log in.
    expect(factory).to_have_url(re.compile(r"/login$"))
    expect(factory.locator(".flash")).to_contain_text("请查收")
    log_in(factory, email, password)
    expect(factory.locator(".badge.status-pending")).to_have_text("待审核")
    expect(factory.get_by_text("您的机构正在等待主办方审核")).to_be_visible()
    shot(factory, "pending-notice")
    log_out(factory)

    organiser = browser_page()
    log_in(organiser, live_server.organiser, live_server.password)
    open_console_page(organiser, "机构审核")
    card = organiser.locator("section.card", has_text=org_name)
    expect(card).to_be_visible()
    shot(organiser, "review-page")
    card.get_by_role("button", name="通过").click()
    expect(organiser.locator(".flash")).to_contain_text(f"已通过“{org_name}”的注册审核")
    expect(organiser.locator("section.card", has_text=org_name)).to_have_count(0)
    shot(organiser, "approved")

    log_in(factory, email, password)
    expect(factory.locator(".badge.status-approved")).to_have_text("已通过")
    expect(factory.get_by_text("您的机构正在等待主办方审核")).to_have_count(0)
    shot(factory, "profile-approved")


def test_language_switch_on_the_scenario_library(browser_page, shot):
    page = browser_page()
    page.goto("/scenarios/")
    expect(page.locator("h1")).to_have_text("场景库")
    shot(page, "library-zh")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/scenarios/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Scenario library")
    expect(page.get_by_role("link", name="Textiles and chemical fibres")).to_be_visible()
    expect(page.get_by_text("Visual defect detection for greige fabric")).to_be_visible()
    shot(page, "library-en")
    page.get_by_role("link", name="Visual defect detection for greige fabric").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    shot(page, "template-en")
    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", name="坯布疵点视觉检测")).to_be_visible()
    shot(page, "template-zh")


def test_organiser_edits_a_template_and_sees_it_in_the_audit(browser_page, live_server, shot):
    marker = f"E2E-{secrets.token_hex(3)}"
    new_title = f"坯布疵点在线视觉检测 {marker}"
    page = browser_page()
    log_in(page, live_server.organiser, live_server.password)
    open_console_page(page, "场景库管理")
    row = page.locator("tr", has=page.locator("td", has_text=re.compile(r"^T002$")))
    shot(page, "console")
    row.get_by_role("link", name="编辑").click()
    expect(page.locator("h1")).to_have_text("编辑场景 T002")
    page.fill("#title_zh", new_title)
    shot(page, "edit-form")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".flash")).to_contain_text("场景已保存")
    expect(row).to_contain_text(new_title)
    shot(page, "saved")
    page.get_by_role("link", name="变更记录").click()
    entry = page.locator(".audit-entry").first  # one card per change, newest first
    expect(entry).to_contain_text("T002")
    expect(entry).to_contain_text(marker)
    shot(page, "audit")
    page.goto("/scenarios/T002")
    expect(page.get_by_role("heading", name=new_title)).to_be_visible()
    shot(page, "public-page")


def test_gunicorn_serves_the_security_headers(browser_page, shot):
    page = browser_page()
    response = page.goto("/login")
    headers = response.headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    cookies = page.context.cookies()
    session = next(c for c in cookies if c["name"] == "session")
    assert session["httpOnly"] and session["sameSite"] == "Lax"
    shot(page, "login")


def test_factory_posts_a_need_that_the_organiser_publishes(browser_page, live_server, shot):
    title = f"坯布疵点在线检测需求 {secrets.token_hex(3)}"
    factory = browser_page()
    log_in(factory, "factory01@demo.matchmaker.local", live_server.password)
    factory.goto("/needs/new?template=T001")
    expect(factory.locator("h1")).to_have_text("发布新需求")
    factory.fill("#title", title)
    factory.fill("#goal", "在验布机上部署视觉检测，漏检率低于 2%。")
    factory.fill("#current_process", "12 名验布工三班倒。")
    factory.check("input[name=data_sources][value=camera]")
    factory.fill("#data_volume", "每天约 2TB 图像")
    factory.fill("#kpis-0-indicator", "漏检率")
    factory.fill("#kpis-0-baseline", "10")
    factory.fill("#kpis-0-target", "2")
    factory.fill("#budget_min", "30")
    factory.fill("#budget_max", "60")
    factory.fill("#delivery_months", "6")
    factory.fill("#town", "瓜沥镇")
    factory.check("input[name=confidentiality][value=public]")
    shot(factory, "need-form")
    factory.get_by_role("button", name="保存并提交审核").click()
    expect(factory.locator(".flash")).to_contain_text("需求已提交审核")
    shot(factory, "submitted")

    organiser = browser_page()
    log_in(organiser, live_server.organiser, live_server.password)
    open_console_page(organiser, "需求审核")
    card = organiser.locator("section.card", has_text=title)
    expect(card).to_be_visible()
    shot(organiser, "review-queue")
    card.get_by_role("button", name="通过并发布").click()
    expect(organiser.locator(".flash")).to_contain_text(f"已发布需求“{title}”")
    shot(organiser, "published")

    visitor = browser_page()
    visitor.goto("/needs/")
    visitor.fill("#q", title)
    visitor.keyboard.press("Enter")
    link = visitor.get_by_role("link", name=title)
    expect(link).to_be_visible()
    shot(visitor, "hall")
    link.click()
    expect(visitor.get_by_role("heading", name=title)).to_be_visible()
    shot(visitor, "need-page")


def check_dashboard_charts(page) -> None:
    """The organiser console's figures and its four ECharts charts (each container drew a
    canvas or svg), checked in both languages by the journey below."""
    figures = page.locator("table.figures tbody tr")
    expect(figures.first).to_be_visible()
    assert figures.count() >= 5
    charts = page.locator(".chart[data-chart]")
    expect(charts).to_have_count(4)
    for i in range(4):
        expect(charts.nth(i).locator("canvas, svg").first).to_be_attached()


def test_language_switch_on_the_organiser_console(browser_page, live_server, shot):
    page = browser_page()
    log_in(page, live_server.organiser, live_server.password)
    open_console_page(page, "工作台")
    expect(page.locator("h1")).to_have_text("工作台")
    check_dashboard_charts(page)
    shot(page, "console-zh")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Console")
    check_dashboard_charts(page)
    shot(page, "console-en")
    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("h2").first).to_have_text("核心指标")
    shot(page, "console-zh-again")


def test_organiser_console_charts_render(browser_page, live_server, shot):
    errors: list[str] = []
    page = browser_page()
    page.on("pageerror", lambda err: errors.append(str(err)))
    # failed resources by URL (the browser's own favicon probe aside)
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    log_in(page, live_server.organiser, live_server.password)
    open_console_page(page, "工作台")
    check_dashboard_charts(page)
    expect(page.locator("#chart-funnel table")).to_contain_text("发榜")
    shot(page, "console-charts")
    # narrowed to a phone's width, each chart follows its container (no sideways scroll)
    page.set_viewport_size({"width": 390, "height": 900})
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.chart[data-chart]'), e => "
        "[e.clientWidth, e.querySelector('canvas').clientWidth])"
        ".every(([box, canvas]) => box <= 390 && canvas <= box)"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    shot(page, "console-charts-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("link", name="供需缺口").click()
    expect(page.locator('.chart[data-chart="gaps"] canvas').first).to_be_attached()
    expect(page.locator("#gap-category-table tbody tr").first).to_be_visible()
    shot(page, "gaps")
    assert not errors, errors
