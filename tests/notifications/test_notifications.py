import logging

import pytest

from matchmaker.extensions import db
from matchmaker.notifications import services
from matchmaker.notifications.models import Notification
from tests.factories import login, make_org, make_user


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
