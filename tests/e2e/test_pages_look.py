"""Issue 16, checks: each redesigned page at 1366 and 390 px, on the journeys' server.

Every page is screenshot at both widths (test-output/e2e/<test>/NN-<page>-<width>.png), fails
when it scrolls sideways at 390 px, and is checked with axe-core (axe-playwright-python, which
carries axe.min.js; nothing is downloaded): no violation of impact "serious" or "critical".
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .test_journeys import log_in

pytestmark = pytest.mark.e2e

DEMO = "demo.matchmaker.local"
WIDTHS = ((1366, 900), (390, 844))
SERIOUS = {"serious", "critical"}
_axe = Axe()


def axe_problems(page) -> list[str]:
    """The serious and critical axe-core violations of the page, one line each."""
    results = _axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]


def check_page(page, shot, name: str, axe: bool = True) -> list[str]:
    """Screenshot the open page at both widths; return what is wrong with it."""
    problems: list[str] = []
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_load_state("load")
        shot(page, f"{name}-{width}")
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            problems.append(f"{name}: scrolls sideways at {width} px ({scroll} > {inner})")
        if axe and width == WIDTHS[0][0]:
            problems += [f"{name}: {p}" for p in axe_problems(page)]
    return problems


def test_public_pages_look_right_on_desktop_and_phone(browser_page, shot):
    page = browser_page()
    problems: list[str] = []
    page.goto("/")
    expect(page.locator("h1")).to_contain_text("场景揭榜挂帅")
    problems += check_page(page, shot, "home")
    page.goto("/needs/")
    problems += check_page(page, shot, "hall")
    page.locator("main a[href^='/needs/']").filter(has_text=re.compile(".{4,}")).first.click()
    problems += check_page(page, shot, "need")
    page.goto("/search?q=检测", timeout=60_000)  # the first search warms its index
    problems += check_page(page, shot, "search")
    assert not problems, "\n".join(problems)


def test_vendor_apply_page_looks_right(browser_page, live_server, shot):
    page = browser_page()
    log_in(page, f"vendor01@{DEMO}", live_server.password)
    page.goto("/")
    listings = page.locator("#listings-title").locator("xpath=../..").get_by_role("link")
    paths = [link.get_attribute("href") for link in listings.all()]
    for path in paths:  # the first open listing this vendor has not applied to yet
        page.goto(path.rstrip("/") + "/apply")
        if page.url.endswith("/apply"):
            break
    expect(page.locator("h1")).to_be_visible()
    assert not check_page(page, shot, "apply")


def test_console_and_expert_pages_look_right(browser_page, live_server, shot):
    organiser = browser_page()
    log_in(organiser, live_server.organiser, live_server.password)
    problems: list[str] = []
    for name, path in (
        ("console", "/console"),
        ("duplicates", "/console/duplicates"),
        ("rounds-console", "/rounds/console"),
        ("curate", "/console/taxonomy/"),
    ):
        organiser.goto(path)
        expect(organiser.locator("#console-nav")).to_be_attached()
        problems += check_page(organiser, shot, name, axe=name in ("console", "rounds-console"))
    # The confirmation before merging duplicates: a dialog that axe finds nothing serious in.
    organiser.goto("/console/duplicates")
    organiser.get_by_role("button", name="合并到所选主需求").first.click()
    dialog = organiser.locator(".modal.show")
    expect(dialog).to_contain_text("此操作完成后不能撤销")
    shot(organiser, "merge-confirmation")
    problems += [f"merge dialog: {p}" for p in axe_problems(organiser)]
    dialog.get_by_role("button", name="返回").click()
    expect(dialog).to_be_hidden()
    # On a phone the side navigation folds behind 后台菜单 and opens on a tap.
    organiser.set_viewport_size({"width": 390, "height": 844})
    organiser.goto("/console")
    expect(organiser.locator("#console-nav")).to_be_hidden()
    organiser.get_by_role("button", name="后台菜单").click()
    expect(organiser.locator("#console-nav").get_by_role("link", name="供需缺口")).to_be_visible()
    organiser.set_viewport_size({"width": 1366, "height": 900})

    expert = browser_page()
    log_in(expert, f"expert1@{DEMO}", live_server.password)
    expert.goto("/rounds/reviews")
    expect(expert.locator(".task-list")).to_be_visible()
    problems += check_page(expert, shot, "reviews")
    assert not problems, "\n".join(problems)


CUT_CELLS = (
    "Array.from(document.querySelectorAll('main td'))"
    ".filter(td => td.getBoundingClientRect().right > window.innerWidth + 1).length"
)


def test_programme_tables_fit_a_phone(browser_page, live_server, shot):
    """The voucher ledger, 我的需求, the console's notices and matchmaking days (and a day's
    registrations): at 390 px their rows stack, so no cell is cut off at the right edge (a
    table scrolling in its box hid the ledger's status and payments), and no page scrolls."""
    factory = browser_page()
    log_in(factory, f"factory01@{DEMO}", live_server.password)
    organiser = browser_page()
    log_in(organiser, live_server.organiser, live_server.password)
    organiser.goto("/matchdays/console")
    day = organiser.locator("main table a").first.get_attribute("href")
    problems: list[str] = []
    for page, name, path in (
        (factory, "vouchers", "/vouchers/"),
        (factory, "my-needs", "/needs/mine"),
        (organiser, "notices-console", "/notices/console"),
        (organiser, "matchdays-console", "/matchdays/console"),
        (organiser, "matchday-registrations", day),
    ):
        page.goto(path)
        expect(page.locator("main table").first).to_be_visible()
        problems += check_page(page, shot, name, axe=name in ("vouchers", "notices-console"))
        page.set_viewport_size({"width": 390, "height": 844})
        table = "#registrations " if name == "matchday-registrations" else ""
        cut = page.evaluate(CUT_CELLS.replace("main td", f"main {table}td"))
        if cut:
            problems.append(f"{name}: {cut} table cells reach past the right edge at 390 px")
        page.set_viewport_size({"width": 1366, "height": 900})
    assert not problems, "\n".join(problems)
