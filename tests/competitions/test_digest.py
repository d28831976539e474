"""The vendor digest: new matching needs mailed once, nothing when nothing is new, the
member's frequency on 我的账户."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from matchmaker import clock
from matchmaker.competitions import digest
from matchmaker.competitions.models import DigestEntry
from matchmaker.extensions import db
from matchmaker.notifications.models import OutboxMail
from tests.factories import (
    ensure_taxonomy,
    login,
    make_need,
    make_offering,
    make_org,
    make_user,
)
from tests.search_wiring import index_now, search_index  # noqa: F401  (fixture)

MONDAY = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
VISION = "坯布疵点视觉检测：验布机加装线阵相机，自动识别坯布疵点"


@pytest.fixture
def world(app_ctx, search_index):  # noqa: F811
    templates = ensure_taxonomy()
    vendor = make_org("vendor")
    member = make_user(vendor)
    offering = make_offering(
        vendor, status="published", title="坯布疵点视觉检测系统", summary=VISION,
        templates=[templates[0]],
    )  # fmt: skip
    index_now("offering", offering)
    return templates, member


def _publish(templates, title: str, goal: str, template_index: int, at: datetime):
    clock.set(at)
    need = make_need(status="published", title=title, goal=goal, template=templates[template_index])
    index_now("need", need)
    return need


def _mails_to(user) -> list[OutboxMail]:
    return list(db.session.scalars(select(OutboxMail).where(OutboxMail.recipient == user.email)))


def test_a_matching_new_need_is_mailed_once_with_its_link(world, app):
    templates, member = world
    app.config["PUBLIC_URL"] = "https://mm.example.cn"
    match = _publish(templates, "坯布疵点检测需求", VISION, 0, MONDAY)
    other = _publish(templates, "面包销量预测", "短保面包门店销量预测与补货", 2, MONDAY)
    try:
        assert digest.run_digests(MONDAY + timedelta(days=1)) == 1
    finally:
        app.config["PUBLIC_URL"] = ""
    (mail,) = _mails_to(member)
    assert "坯布疵点检测需求" in mail.body and other.title not in mail.body
    assert f"https://mm.example.cn/needs/{match.id}" in mail.body
    assert "匹配度" in mail.subject + mail.body
    entries = db.session.scalars(
        select(DigestEntry.need_id).where(DigestEntry.user_id == member.id)
    )
    assert list(entries) == [match.id]
    # The next day: nothing new, so nothing is sent, and the need never comes twice.
    assert digest.run_digests(MONDAY + timedelta(days=2)) == 0
    member.digest_checked_at = None  # even when the check time is lost
    db.session.commit()
    assert digest.run_digests(MONDAY + timedelta(days=3)) == 0
    assert len(_mails_to(member)) == 1


def test_nothing_new_sends_nothing_but_moves_the_check_on(world):
    templates, member = world
    _publish(templates, "坯布疵点检测需求", VISION, 0, MONDAY)
    _publish(templates, "面包销量预测", "短保面包门店销量预测与补货", 2, MONDAY)
    member.digest_checked_at = MONDAY + timedelta(hours=1)  # both came before the last digest
    db.session.commit()
    now = MONDAY + timedelta(days=1)
    assert digest.run_digests(now) == 0
    assert _mails_to(member) == []
    assert member.digest_checked_at == now - digest.INDEX_GRACE


def test_weekly_waits_a_week_and_off_gets_nothing(world):
    templates, member = world
    colleague = make_user(member.organisation)
    member.digest_frequency, colleague.digest_frequency = "weekly", "off"
    member.digest_checked_at = MONDAY
    db.session.commit()
    _publish(templates, "坯布疵点检测需求", VISION, 0, MONDAY + timedelta(hours=2))
    _publish(templates, "面包销量预测", "短保面包门店销量预测与补货", 2, MONDAY)
    assert digest.run_digests(MONDAY + timedelta(days=1)) == 0  # weekly: not due yet
    assert digest.run_digests(MONDAY + timedelta(days=7)) == 1
    assert len(_mails_to(member)) == 1 and _mails_to(colleague) == []


def test_a_need_published_minutes_ago_waits_for_the_next_digest(world):
    templates, member = world
    now = MONDAY + timedelta(days=1)
    _publish(templates, "面包销量预测", "短保面包门店销量预测与补货", 2, MONDAY)
    _publish(templates, "坯布疵点检测需求", VISION, 0, now - timedelta(minutes=1))
    assert digest.run_digests(now) == 0  # perhaps not indexed yet: kept for tomorrow
    assert digest.run_digests(now + timedelta(days=1)) == 1


def test_the_member_chooses_the_frequency_on_the_account_page(app_ctx, client):
    vendor_member = make_user(make_org("vendor"))
    assert vendor_member.digest_frequency == "daily"  # on unless the member turns it off
    login(client, vendor_member.email)
    page = client.get("/account").get_data(as_text=True)
    assert "需求推荐邮件" in page
    assert re.search(r'<input checked[^>]*value="daily"', page)
    reply = client.post("/account/digest", data={"frequency": "weekly"})
    assert reply.status_code == 302
    db.session.refresh(vendor_member)
    assert vendor_member.digest_frequency == "weekly"
    bad = client.post("/account/digest", data={"frequency": "hourly"})
    assert bad.status_code == 422 and "请选择推送频率" in bad.text
    factory_member = make_user(make_org("factory"))
    client.post("/logout")
    login(client, factory_member.email)
    assert "需求推荐邮件" not in client.get("/account").get_data(as_text=True)
    assert client.post("/account/digest", data={"frequency": "off"}).status_code == 403
