import logging
from datetime import UTC, datetime, timedelta

import pytest

from matchmaker import clock
from matchmaker.extensions import db
from matchmaker.notifications import services
from matchmaker.notifications.models import Notification
from tests.factories import login, make_org, make_user

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def people(app_ctx):
    org = make_org("factory")
    return make_user(org, email="a@example.com"), make_user(org, email="b@example.com")


def test_notify_writes_inbox_and_mails_after_commit(people, caplog):
    alice, bob = people
    caplog.set_level(logging.INFO, logger="matchmaker.mail")
    services.notify([alice, bob, alice], "need_approved", "需求已通过审核", "正文", "/needs/1")
    assert "a@example.com" not in caplog.text  # nothing is sent before the commit
    db.session.commit()
    assert caplog.text.count("subject=需求已通过审核") == 2
    assert services.unread_count(alice.id) == 1


def test_rollback_drops_queued_mail_and_rows(people, caplog):
    alice, _ = people
    caplog.set_level(logging.INFO, logger="matchmaker.mail")
    services.notify([alice], "x", "不会发送")
    db.session.rollback()
    db.session.commit()
    assert "不会发送" not in caplog.text
    assert db.session.query(Notification).count() == 0


def test_inactive_users_are_skipped(people):
    alice, bob = people
    bob.active = False
    services.notify([alice, bob], "x", "标题")
    db.session.commit()
    assert services.unread_count(bob.id) == 0


def test_inbox_page_and_mark_read_only_own(client, people):
    alice, bob = people
    services.notify([alice], "x", "给爱丽丝")
    services.notify([bob], "x", "给鲍勃")
    db.session.commit()
    bobs = db.session.query(Notification).filter_by(user_id=bob.id).one()
    login(client, "a@example.com")
    html = client.get("/inbox/").get_data(as_text=True)
    assert "给爱丽丝" in html and "给鲍勃" not in html
    client.post(f"/inbox/{bobs.id}/read")
    assert services.unread_count(bob.id) == 1
    client.post("/inbox/read")
    assert services.unread_count(alice.id) == 0


def test_inbox_needs_login(client, app):
    response = client.get("/inbox/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def _rows(user) -> list[Notification]:
    return db.session.query(Notification).filter_by(user_id=user.id).all()


def test_repeats_about_the_same_object_collapse_into_one_entry_and_one_mail(people, caplog):
    """Regression (issue 15, item 15): each resend added a row and an e-mail (1,763 in one run)."""
    alice, _ = people
    caplog.set_level(logging.INFO, logger="matchmaker.mail")
    for n in range(5):
        with clock.frozen(START + timedelta(minutes=2 * n)):
            services.notify([alice], "milestone_delivered", "里程碑待确认", f"第{n}次", "/a/1")
            db.session.commit()
    (entry,) = _rows(alice)
    assert entry.repeats == 5 and entry.body == "第4次"
    assert entry.created_at == START + timedelta(minutes=8)
    assert caplog.text.count("subject=里程碑待确认") == 1
    assert services.unread_count(alice.id) == 1


def test_collapse_keys_on_kind_object_user_window_and_unread(people):
    alice, bob = people
    with clock.frozen(START):
        services.notify([alice, bob], "k", "标题", link="/x/1")
        services.notify([alice], "other_kind", "标题", link="/x/1")
        services.notify([alice], "k", "标题", link="/x/2")
        services.notify([alice], "k", "无对象")  # no object: never collapses
        services.notify([alice], "k", "无对象")
        db.session.commit()
    assert len(_rows(alice)) == 5 and len(_rows(bob)) == 1
    with clock.frozen(START + services.COLLAPSE_WINDOW + timedelta(seconds=1)):
        services.notify([alice], "k", "标题", link="/x/1")  # window passed: a new entry
        db.session.commit()
    assert len(_rows(alice)) == 6
    with clock.frozen(START + services.COLLAPSE_WINDOW + timedelta(minutes=1)):
        services.mark_read(alice.id)
        services.notify([alice], "k", "标题", link="/x/1")  # the earlier one was read: new
        db.session.commit()
    assert len(_rows(alice)) == 7 and services.unread_count(alice.id) == 1


def test_about_an_object_collapses_regardless_of_link(people):
    alice, _ = people
    with clock.frozen(START):
        services.notify([alice], "k", "标题", about="milestones:1")
        services.notify([alice], "k", "标题", link="/awards/3", about="milestones:1")
        services.notify([alice], "k", "标题", about="milestones:2")
        db.session.commit()
    assert sorted(n.repeats for n in _rows(alice)) == [1, 2]


def test_inbox_shows_the_count_of_a_collapsed_entry(client, people):
    alice, _ = people
    for _n in range(3):
        services.notify([alice], "k", "重复的消息", link="/x/1")
    db.session.commit()
    login(client, "a@example.com")
    html = client.get("/inbox/").get_data(as_text=True)
    assert html.count("重复的消息") == 1 and "共 3 次" in html


# --- each recipient reads the notice in their own language -------------------------------


def test_each_recipient_gets_the_notice_and_mail_in_their_language(people, caplog):
    from flask_babel import lazy_gettext as _l

    from matchmaker.competitions.statuses import STAGE_LABELS

    alice, bob = people
    bob.locale = "en"
    caplog.set_level(logging.INFO, logger="matchmaker.mail")
    title = _l("榜单进入“%(stage)s”阶段", stage=STAGE_LABELS["accepting"])
    services.notify([alice, bob], "listing_open", title, _l("揭榜申请已提交"), "/rounds/1")
    db.session.commit()
    assert _rows(alice)[0].title == "榜单进入“揭榜中”阶段"
    assert _rows(bob)[0].title == "The listing is now “Accepting applications”"
    assert _rows(bob)[0].body == "Application submitted"
    assert "subject=The listing is now" in caplog.text and "subject=榜单进入" in caplog.text


def test_switching_language_is_kept_on_the_account(client, people):
    alice, _bob = people
    login(client, alice.email)
    client.get("/lang/en")
    db.session.refresh(alice)
    assert alice.locale == "en"
    client.get("/lang/zh_Hans_CN")
    db.session.refresh(alice)
    assert alice.locale == "zh_Hans_CN"
