"""Account recovery in Chromium: 忘记密码 by the mailed link (read from the server's mail
outbox), the link dying after use, e-mail verification, and an organiser disabling and
re-enabling the account (issue 19, item 1)."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect

from .nav import confirm, log_out, open_console_page

pytestmark = pytest.mark.e2e

LINK = re.compile(r"(/password/reset/[\w.\-]+|/account/verify/[\w.\-]+)")


def seed_member(live_server, verified: bool = True) -> str:
    """A fresh factory member of an approved organisation (the demo accounts' passwords stay
    as the other journeys expect them); its e-mail address."""
    suffix = secrets.token_hex(3)

    def build(_organiser):
        from matchmaker import clock
        from tests.factories import make_org, make_user

        org = make_org("factory", name=f"佛山市顺德区恢复测试五金厂{suffix}")
        user = make_user(
            org,
            email=f"reset-{suffix}@factory.example.com",
            name="林经理",
            password=live_server.password,
            email_verified_at=clock.now() if verified else None,
        )
        return user.email

    return live_server.seed(build)


def last_link(live_server, email: str) -> str:
    """The link in the newest mail to `email`, read from the outbox table."""

    def read(_organiser):
        from sqlalchemy import select

        from matchmaker.extensions import db
        from matchmaker.notifications.models import OutboxMail

        query = select(OutboxMail).where(OutboxMail.recipient == email)
        mail = db.session.scalars(query.order_by(OutboxMail.id.desc())).first()
        return LINK.search(mail.body).group(1)

    return live_server.seed(read)


def log_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/account$"))


def test_member_resets_a_forgotten_password_and_an_organiser_disables_the_account(
    browser_page, live_server, shot
):
    email = seed_member(live_server)
    new_password = "harbour-violet-58"
    member = browser_page()
    member.goto("/login")
    member.get_by_role("link", name="忘记密码？").click()
    expect(member).to_have_url(re.compile(r"/password/forgot$"))
    member.fill("#email", email)
    shot(member, "forgot-form")
    member.get_by_role("button", name="发送重置链接").click()
    expect(member).to_have_url(re.compile(r"/login$"))
    expect(member.locator(".flash")).to_contain_text("如果该邮箱已注册")
    shot(member, "forgot-answer")

    link = last_link(live_server, email)
    member.goto(link)
    expect(member.get_by_role("heading", name="设置新密码")).to_be_visible()
    member.fill("#new_password", new_password)
    member.fill("#new_password2", "a-different-one-1")
    member.get_by_role("button", name="保存新密码").click()
    expect(member.locator(".invalid-feedback, .field-error, .error").first).to_contain_text(
        "两次输入的密码不一致"
    )
    member.fill("#new_password", new_password)
    member.fill("#new_password2", new_password)
    shot(member, "reset-form")
    member.get_by_role("button", name="保存新密码").click()
    expect(member).to_have_url(re.compile(r"/login$"))
    expect(member.locator(".flash")).to_contain_text("密码已重置")
    log_in(member, email, new_password)
    shot(member, "logged-in-with-new-password")

    used = browser_page()
    used.goto(link)  # single use: the link died with the old password
    expect(used).to_have_url(re.compile(r"/password/forgot$"))
    expect(used.locator(".flash")).to_contain_text("无效或已过期")

    organiser = browser_page()
    log_in(organiser, live_server.organiser, live_server.password)
    open_console_page(organiser, "账户管理")
    organiser.fill("#q", email)
    organiser.get_by_role("button", name="查找").click()
    row = organiser.locator("#users tbody tr")
    expect(row).to_have_count(1)
    confirm(organiser, "停用", "确认停用", shot)
    expect(organiser.locator(".flash")).to_contain_text("已停用")
    expect(row.locator(".badge")).to_contain_text("已停用")
    shot(organiser, "account-disabled")

    member.goto("/account")  # the member's session ended with the account
    expect(member).to_have_url(re.compile(r"/login"))
    member.fill("#email", email)
    member.fill("#password", new_password)
    member.get_by_role("button", name="登录").click()
    expect(member.get_by_text("邮箱或密码不正确，或账户已停用")).to_be_visible()

    organiser.get_by_role("button", name="重新启用").click()
    expect(organiser.locator(".flash")).to_contain_text("已重新启用")
    log_in(member, email, new_password)
    log_out(member)


def test_a_new_member_verifies_the_address_from_the_mail(browser_page, live_server, shot):
    email = seed_member(live_server, verified=False)
    member = browser_page()
    log_in(member, email, live_server.password)
    banner = member.locator("#verify-email")
    expect(banner).to_contain_text("尚未验证")
    member.get_by_role("button", name="重新发送验证邮件").click()
    expect(member.locator(".flash-success")).to_contain_text("验证邮件已发送")
    shot(member, "unverified-banner")
    member.goto(last_link(live_server, email))
    expect(member).to_have_url(re.compile(r"/account$"))
    expect(member.locator(".flash-success")).to_contain_text("已验证")
    expect(member.locator("#verify-email")).to_have_count(0)
    shot(member, "verified")
