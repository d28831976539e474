"""Moving through the header as a user does: the organiser's back office sits in the 管理后台
menu and 退出 in the account menu, both dropdowns that open on a click."""

from __future__ import annotations

from playwright.sync_api import expect


def open_console_page(page, name: str) -> None:
    """Click 管理后台, then the console link called `name`."""
    page.get_by_role("button", name="管理后台").click()
    page.locator(".site-header .dropdown-menu").get_by_role("link", name=name, exact=True).click()


def log_out(page) -> None:
    page.get_by_role("button", name="我的账户").click()
    page.get_by_role("button", name="退出", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("您已退出登录")


def confirm(page, opener: str, confirm_label: str, shot=None) -> None:
    """An irreversible action: click its button, then the confirming button of the dialog
    that says what will happen (templates/_macros.html confirm_submit)."""
    page.get_by_role("button", name=opener, exact=True).click()
    dialog = page.locator(".modal.show")
    expect(dialog).to_be_visible()
    if shot:
        shot(page, f"confirm-{confirm_label}")
    dialog.get_by_role("button", name=confirm_label, exact=True).click()
