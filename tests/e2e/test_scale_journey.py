"""The console's stored gap figures and paged duplicates, as an organiser sees them, at 1366 and
390 px (no sideways scroll)."""

from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD
from .test_journeys import log_in


def test_gaps_show_their_age_and_duplicates_are_paged(browser_page, shot):
    page = browser_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "organiser@demo.matchmaker.local", DEMO_PASSWORD)
    page.goto("/console/gaps")
    expect(page.locator("#gap-age")).to_contain_text("统计时间")
    expect(page.locator("#gap-age")).to_contain_text("前")
    expect(page.locator("#gap-category-table tbody tr").first).to_be_visible()
    shot(page, "gaps-1366")
    page.set_viewport_size({"width": 390, "height": 900})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    shot(page, "gaps-390")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/console/duplicates")
    expect(page.locator("#cluster-count")).to_contain_text("每页 20 组")
    expect(page.locator(".duplicate-cluster").first).to_be_visible()
    shot(page, "duplicates-1366")
    page.set_viewport_size({"width": 390, "height": 900})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    shot(page, "duplicates-390")
