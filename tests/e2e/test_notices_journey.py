"""通知公告 and 答疑 in Chromium (see conftest.py): the organiser publishes a notice with its
申报指南 PDF, which the public list, its page and the home page show; a vendor reads the demo
answers on the open listing and asks a question; the organiser answers it, and the vendor
reads the answer with the asker kept anonymous."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect

from .nav import log_out, open_console_page
from .test_journeys import log_in

pytestmark = pytest.mark.e2e

VENDOR = "vendor01@demo.matchmaker.local"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _demo_qa_listing(organiser) -> int:
    from sqlalchemy import select

    from matchmaker.competitions.models import ListingQuestion
    from matchmaker.extensions import db

    return db.session.scalar(select(ListingQuestion.listing_id).limit(1))


def test_organiser_publishes_a_notice_and_answers_a_vendor(browser_page, live_server, shot):
    suffix = secrets.token_hex(3)
    title = f"关于揭榜挂帅申报材料补充说明的通知{suffix}"
    organiser = browser_page()
    log_in(organiser, live_server.organiser, live_server.password)
    open_console_page(organiser, "通知公告")
    organiser.get_by_role("link", name="新建公告").click()
    organiser.fill("#title", title)
    organiser.fill("#body", "各服务商：揭榜申请须附加盖公章的承诺书扫描件。")
    organiser.get_by_label("立即发布").check()
    organiser.set_input_files(
        "#files", {"name": "补充说明.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    shot(organiser, "notice-form")
    organiser.get_by_role("button", name="保存").click()
    expect(organiser.locator(".flash")).to_contain_text("公告已保存")
    expect(organiser.locator("h1")).to_contain_text("已发布")

    visitor = browser_page()
    visitor.goto("/")
    expect(visitor.locator(".home-notices")).to_contain_text(title)
    visitor.goto("/notices/")
    visitor.get_by_role("link", name=re.compile(title)).click()
    expect(visitor.locator("h1")).to_have_text(title)
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name=re.compile("补充说明.pdf")).click()
    assert download.value.suggested_filename == "补充说明.pdf"
    shot(visitor, "notice-page")

    listing_id = live_server.seed(_demo_qa_listing)
    question = f"承诺书是否需要法定代表人签字？（{suffix}）"
    vendor = browser_page()
    log_in(vendor, VENDOR, live_server.password)
    vendor.goto(f"/rounds/listings/{listing_id}#qa")
    qa = vendor.locator("#qa")
    expect(qa).to_contain_text("验收时的漏检率按什么样本量统计？")  # a demo answer
    expect(qa).not_to_contain_text("能否提供产线 PLC")  # answered privately to another firm
    vendor.fill("#qa textarea[name=body]", question)
    vendor.get_by_role("button", name="提交问题").click()
    expect(vendor.locator(".flash")).to_contain_text("问题已提交")
    expect(vendor.locator("#qa")).to_contain_text("本单位的提问")
    shot(vendor, "question-asked")

    organiser.goto(f"/rounds/listings/{listing_id}#qa")
    item = organiser.locator(".qa-item", has_text=question)
    item.locator("textarea").fill("需要法定代表人签字并加盖公章。")
    shot(organiser, "answer-form")
    item.get_by_role("button", name="发布回答").click()
    expect(organiser.locator(".flash")).to_contain_text("回答已发布")

    vendor.reload()
    expect(vendor.locator(".qa-item", has_text=question)).to_contain_text("需要法定代表人签字")
    log_out(vendor)
    vendor.goto(f"/rounds/listings/{listing_id}")
    answered = vendor.locator(".qa-item", has_text=question)
    expect(answered).to_contain_text("需要法定代表人签字")
    expect(answered).not_to_contain_text("提问方：")
    vendor.set_viewport_size({"width": 390, "height": 844})
    shot(vendor, "answers-390")
    width = vendor.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
