"""Issue 15, item 16: 我的评审 showed 评审中 for every assignment; it now shows the listing's
stage and where the expert's own score sheets stand."""

from __future__ import annotations

import re

from matchmaker.competitions import panel, publicity
from matchmaker.extensions import db
from tests.factories import login, make_user

from .builders import SHEET, reviewed


def _row(page: str, title: str) -> str:
    rows = re.findall(r'<li class="list-group-item task .*?</li>', page, flags=re.S)
    return next(r for r in rows if title in r)


def _page(client, expert) -> str:
    login(client, expert.email)
    response = client.get("/rounds/reviews")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_my_reviews_shows_pending_then_submitted_sheets(client, app_ctx):
    scene = reviewed(n_experts=0)
    listing, apps = scene["listing"], scene["apps"]
    expert = make_user(role="expert")
    panel.assign_expert(scene["organiser"], listing, expert)
    panel.save_sheet(expert, apps[0], SHEET, {}, submit=True)
    panel.save_sheet(expert, apps[1], SHEET, {}, submit=False)  # a draft is not submitted
    row = _row(_page(client, expert), listing.title)
    assert "评审中" in row and "评分表待提交（已提交 1/2）" in row
    panel.save_sheet(expert, apps[1], SHEET, {}, submit=True)
    row = _row(client.get("/rounds/reviews").get_data(as_text=True), listing.title)
    assert "评分表已提交（2/2）" in row


def test_my_reviews_follows_the_listing_past_review(client, app_ctx):
    scene = reviewed()
    listing, expert = scene["listing"], scene["experts"][0]
    publicity.start_publicity(scene["organiser"], listing)
    db.session.commit()
    row = _row(_page(client, expert), listing.title)
    assert "公示中" in row and "评审中" not in row and "评分表已提交（2/2）" in row


def test_a_recused_expert_sees_recusal(client, app_ctx):
    scene = reviewed(n_experts=0)
    expert = make_user(role="expert")
    assignment = panel.assign_expert(scene["organiser"], scene["listing"], expert)
    panel.declare_conflict(expert, assignment, "曾任该单位顾问")
    row = _row(_page(client, expert), scene["listing"].title)
    assert "已回避" in row
