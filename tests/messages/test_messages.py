"""Issue 19, item 8: messages about a need between its factory and one vendor organisation."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from matchmaker.competitions.models import AuditEntry
from matchmaker.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.files.models import Attachment
from matchmaker.messages import services
from matchmaker.messages.models import MessageReport, NeedMessage, NeedThread
from matchmaker.needs import engagement
from matchmaker.notifications.models import Notification
from tests.factories import login, logout, make_need, make_org, make_user

PDF = b"%PDF-1.4\n" + b"0" * 64


def _scene(confidentiality="summary_only"):
    factory = make_org("factory")
    owner = make_user(factory)
    need = make_need(factory, status="published", confidentiality=confidentiality)
    vendor_org = make_org("vendor")
    vendor = make_user(vendor_org)
    colleague = make_user(vendor_org)
    return {
        "need": need,
        "owner": owner,
        "vendor": vendor,
        "colleague": colleague,
        "vendor_org": vendor_org,
        "organiser": make_user(role="organiser"),
    }


def _notices(user, kind="need_message"):
    return db.session.scalars(
        select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
    ).all()


def test_no_message_before_the_vendor_accepts_the_nda_or_sends_interest(app_ctx):
    s = _scene()
    with pytest.raises(NotAllowed):
        services.send_message(s["vendor"], s["need"], s["vendor_org"].id, "您好", "t1")
    with pytest.raises(NotAllowed):
        services.send_message(s["owner"], s["need"], s["vendor_org"].id, "您好", "t2")
    assert db.session.scalar(select(NeedThread)) is None


def test_after_the_nda_both_sides_write_and_the_other_side_is_notified(app_ctx):
    s = _scene()
    engagement.accept_nda(s["vendor"], s["need"])
    message, created = services.send_message(
        s["vendor"], s["need"], s["vendor_org"].id, "想了解现场网络条件", "t1"
    )
    assert created and message.side == "vendor"
    assert len(_notices(s["owner"])) == 1 and not _notices(s["vendor"])
    assert _notices(s["owner"])[0].link == f"/needs/{s['need'].id}/messages/{s['vendor_org'].id}"
    reply, _ = services.send_message(
        s["owner"], s["need"], s["vendor_org"].id, "车间有千兆网", "t2"
    )
    assert reply.side == "factory" and reply.thread_id == message.thread_id
    # both members of the vendor organisation hear of the factory's reply
    assert len(_notices(s["vendor"])) == 1 and len(_notices(s["colleague"])) == 1
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "need_message.send")
    ).all()
    assert len(entries) == 2
    assert all("网络" not in str(e.after) for e in entries)  # the audit keeps no message text


def test_interest_also_opens_the_thread(app_ctx):
    s = _scene("public")
    engagement.send_interest(s["vendor"], s["need"], "我们做过类似项目")
    _message, created = services.send_message(
        s["owner"], s["need"], s["vendor_org"].id, "请来电", "t"
    )
    assert created


def test_a_resend_with_the_same_token_is_the_same_message(app_ctx):
    s = _scene()
    engagement.accept_nda(s["vendor"], s["need"])
    first, created = services.send_message(
        s["vendor"], s["need"], s["vendor_org"].id, "你好", "same"
    )
    again, created_again = services.send_message(
        s["vendor"], s["need"], s["vendor_org"].id, "你好", "same"
    )
    assert created and not created_again and first.id == again.id
    assert db.session.query(NeedMessage).count() == 1
    (notice,) = _notices(s["owner"])
    assert notice.repeats == 1


def test_outsiders_and_organisers_are_not_participants(app_ctx):
    s = _scene()
    engagement.accept_nda(s["vendor"], s["need"])
    other_vendor = make_user(make_org("vendor"))
    engagement.accept_nda(other_vendor, s["need"])
    for user in (s["organiser"], other_vendor, make_user(make_org("factory"))):
        with pytest.raises(NotFound):
            services.send_message(user, s["need"], s["vendor_org"].id, "插话", "x")


def test_empty_long_and_bad_files_are_refused_with_a_message(app_ctx):
    s = _scene()
    engagement.accept_nda(s["vendor"], s["need"])
    org_id = s["vendor_org"].id
    with pytest.raises(ValidationFailed) as empty:
        services.send_message(s["vendor"], s["need"], org_id, "  ", "a")
    assert "body" in empty.value.fields
    with pytest.raises(ValidationFailed):
        services.send_message(s["vendor"], s["need"], org_id, "长" * 4001, "b")
    fake = FileStorage(io.BytesIO(b"MZ not a pdf"), filename="方案.pdf")
    with pytest.raises(ValidationFailed) as bad:
        services.send_message(s["vendor"], s["need"], org_id, "见附件", "c", [fake])
    assert "内容与扩展名不符" in bad.value.fields["files"][0]
    assert db.session.query(NeedMessage).count() == 0


def test_attachments_follow_the_upload_rules_and_stay_in_the_thread(app_ctx, client):
    s = _scene()
    engagement.accept_nda(s["vendor"], s["need"])
    pdf = FileStorage(io.BytesIO(PDF), filename="方案.pdf")
    message, _ = services.send_message(s["vendor"], s["need"], s["vendor_org"].id, "", "f", [pdf])
    (item,) = db.session.scalars(select(Attachment).where(Attachment.owner_id == message.id)).all()
    url = f"/needs/messages/{message.id}/files/{item.id}"
    login(client, s["owner"].email)
    assert client.get(url).data == PDF
    logout(client)
    login(client, s["organiser"].email)
    assert client.get(url).status_code == 404


def test_no_new_message_once_the_need_is_closed(app_ctx):
    s = _scene()
    engagement.accept_nda(s["vendor"], s["need"])
    s["need"].status = "closed"
    db.session.commit()
    with pytest.raises(InvalidTransition):
        services.send_message(s["owner"], s["need"], s["vendor_org"].id, "还在吗", "z")


def test_a_participant_reports_the_other_sides_message_to_the_organisers(app_ctx):
    s = _scene()
    engagement.accept_nda(s["vendor"], s["need"])
    message, _ = services.send_message(
        s["vendor"], s["need"], s["vendor_org"].id, "加微信私下交易", "r"
    )
    with pytest.raises(NotAllowed):
        services.report_message(s["colleague"], message, "自己人")  # own side
    with pytest.raises(ValidationFailed):
        services.report_message(s["owner"], message, " ")
    with pytest.raises(NotFound):
        services.report_message(s["organiser"], message, "看看")
    report, created = services.report_message(s["owner"], message, "诱导私下交易")
    again, created_again = services.report_message(s["owner"], message, "再举报")
    assert created and not created_again and report.id == again.id
    assert len(_notices(s["organiser"], "message_reported")) == 1
    with pytest.raises(NotAllowed):
        services.handle_report(s["owner"], report, "自己处理")
    with pytest.raises(ValidationFailed):
        services.handle_report(s["organiser"], report, "")
    assert services.handle_report(s["organiser"], report, "已提醒揭榜方遵守平台规则") is True
    assert services.handle_report(s["organiser"], report, "again") is False
    assert report.status == "handled"
    assert len(_notices(s["owner"], "message_report_handled")) == 1


def _token(html: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)


def test_pages_thread_post_report_and_the_console_queue(app_ctx, client):
    s = _scene()
    need, org_id = s["need"], s["vendor_org"].id
    thread_url = f"/needs/{need.id}/messages/{org_id}"
    login(client, s["vendor"].email)
    page = client.get(thread_url)
    assert page.status_code == 200 and "签署保密承诺或提交意向响应后" in page.get_data(as_text=True)
    engagement.accept_nda(s["vendor"], need)
    assert client.get(f"/needs/{need.id}/messages").headers["Location"].endswith(thread_url)
    token = _token(client.get(thread_url).get_data(as_text=True))
    bad = client.post(thread_url, data={"body": "", "token": token})
    assert bad.status_code == 422 and "请填写消息内容或添加附件" in bad.get_data(as_text=True)
    for _n in range(2):  # a double submit
        sent = client.post(thread_url, data={"body": "可否安排现场调研？", "token": token})
        assert sent.status_code == 302
    assert db.session.query(NeedMessage).count() == 1
    logout(client)
    login(client, s["owner"].email)
    listing = client.get(f"/needs/{need.id}/messages").get_data(as_text=True)
    assert s["vendor_org"].name in listing
    html = client.get(thread_url).get_data(as_text=True)
    assert "可否安排现场调研？" in html and "举报这条消息" in html
    message = db.session.scalar(select(NeedMessage))
    reported = client.post(f"/needs/messages/{message.id}/report", data={"reason": "广告"})
    assert reported.status_code == 302
    assert db.session.query(MessageReport).count() == 1
    logout(client)
    login(client, s["organiser"].email)
    assert client.get(thread_url).status_code == 404
    assert client.get(f"/needs/{need.id}/messages").status_code == 404
    queue = client.get("/console/message-reports").get_data(as_text=True)
    assert "可否安排现场调研？" in queue and "广告" in queue
    report = db.session.scalar(select(MessageReport))
    done = client.post(f"/console/message-reports/{report.id}", data={"note": "已核实"})
    assert done.status_code == 302
    db.session.refresh(report)
    assert report.status == "handled"


def test_a_factory_cannot_open_a_thread_with_a_vendor_that_never_engaged(app_ctx, client):
    s = _scene()
    login(client, s["owner"].email)
    assert client.get(f"/needs/{s['need'].id}/messages/{s['vendor_org'].id}").status_code == 404
    other = make_user(make_org("vendor"))
    logout(client)
    login(client, other.email)
    assert client.get(f"/needs/{s['need'].id}/messages/{s['vendor_org'].id}").status_code == 404
