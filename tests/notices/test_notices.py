"""通知公告: drafts, scheduled publication by time alone, attachments, who sees what, audit."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from matchmaker import clock
from matchmaker.competitions.models import AuditEntry
from matchmaker.errors import NotAllowed, ValidationFailed
from matchmaker.extensions import db
from matchmaker.notices import services
from matchmaker.notices.models import Notice
from tests.competitions.builders import make_round
from tests.factories import login, make_user

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="2026年申报指南.pdf", content=PDF):
    return FileStorage(io.BytesIO(content), filename=name, content_type="application/pdf")


@pytest.fixture
def organiser(app_ctx):
    clock.set(NOW)
    return make_user(role="organiser")


def data(title="关于开展2026年场景揭榜挂帅申报工作的通知", **kw):
    return services.NoticeData(title=title, body=kw.pop("body", "各有关单位：……"), **kw)


def test_a_draft_is_not_public_and_a_scheduled_notice_appears_when_its_time_comes(organiser):
    draft = services.save_notice(organiser, data("草稿公告"))
    later = services.save_notice(organiser, data("定时公告", publish_at=NOW + timedelta(hours=2)))
    assert draft.is_draft and later.is_scheduled
    assert services.latest() == [] and services.public_page(1).items == []
    clock.set(NOW + timedelta(hours=2))
    assert services.latest() == [later]
    assert later.is_public


def test_only_organisers_write(organiser):
    for role in ("factory_member", "vendor_member", "expert"):
        with pytest.raises(NotAllowed):
            services.save_notice(make_user(role=role), data())
    assert db.session.scalar(select(Notice)) is None


def test_bad_input_is_refused_by_field(organiser):
    with pytest.raises(ValidationFailed) as err:
        services.save_notice(organiser, data(" ", publish_at=NOW - timedelta(days=1), round_id=99))
    assert set(err.value.fields) == {"title", "publish_at", "round_id"}
    with pytest.raises(ValidationFailed) as err:
        services.save_notice(organiser, data(), files=[pdf("指南.exe")])
    assert "files" in err.value.fields
    with pytest.raises(ValidationFailed):
        services.save_notice(organiser, data(), files=[pdf(content=b"not a pdf")])
    assert db.session.scalar(select(Notice)) is None  # nothing half-saved


def test_attachments_round_link_audit_and_withdraw(organiser):
    round_ = make_round(organiser)
    notice = services.save_notice(
        organiser, data(round_id=round_.id, publish_at=NOW), files=[pdf()]
    )
    (item,) = services.attachments_of(notice)
    assert item.filename == "2026年申报指南.pdf" and item.content_type == "application/pdf"
    assert services.for_round(round_.id) == [notice]
    assert services.withdraw(organiser, notice) is True
    assert services.withdraw(organiser, notice) is False
    assert services.for_round(round_.id) == []
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["notice.create", "notice.withdraw"]


def test_a_double_submit_creates_one_notice(organiser):
    first = services.save_notice(organiser, data(publish_at=NOW))
    assert services.save_notice(organiser, data(publish_at=NOW)) is first
    assert db.session.query(Notice).count() == 1


def test_list_pages_and_visibility(client, organiser):
    clock.set(NOW - timedelta(hours=1))
    for i in range(services.PER_PAGE + 1):
        services.save_notice(organiser, data(f"公告{i:02d}", publish_at=NOW - timedelta(minutes=i)))
    draft = services.save_notice(organiser, data("未发布的草稿"))
    clock.set(NOW)
    first = client.get("/notices/").get_data(as_text=True)
    assert "公告00" in first and "公告16" not in first and "未发布的草稿" not in first
    assert "公告15" in client.get("/notices/?page=2").get_data(as_text=True)
    assert client.get("/notices/?page=3").status_code == 404
    assert client.get("/notices/?page=abc").status_code == 200
    assert client.get(f"/notices/{draft.id}").status_code == 404
    assert "公告00" in client.get("/").get_data(as_text=True)
    login(client, organiser.email)
    assert "预览" in client.get(f"/notices/{draft.id}").get_data(as_text=True)


def test_console_form_publishes_with_a_pdf_and_keeps_typed_input(client, organiser):
    login(client, organiser.email)
    assert client.get("/notices/console/new").status_code == 200
    bad = client.post(
        "/notices/console/new",
        data={"title": "申报通知", "body": "正文内容", "mode": "scheduled", "round_id": "0"},
    )
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "请填写定时发布时间" in text and 'value="申报通知"' in text
    response = client.post(
        "/notices/console/new",
        data={
            "title": "申报通知",
            "body": "正文内容",
            "mode": "now",
            "round_id": "0",
            "files": (io.BytesIO(PDF), "申报指南.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    notice = db.session.scalar(select(Notice))
    assert notice.is_public
    (item,) = services.attachments_of(notice)
    client.post("/logout")
    page = client.get(f"/notices/{notice.id}").get_data(as_text=True)
    assert "申报指南.pdf" in page
    download = client.get(f"/notices/{notice.id}/files/{item.id}")
    assert download.status_code == 200 and download.data == PDF
    assert client.get(f"/notices/{notice.id}/files/987654").status_code == 404


def test_edit_shows_beijing_time_and_a_scheduled_notice_stays_hidden(client, organiser):
    later = NOW + timedelta(days=1)  # 2026-03-03 10:00 in Beijing
    notice = services.save_notice(organiser, data(publish_at=later))
    login(client, organiser.email)
    page = client.get(f"/notices/console/{notice.id}/edit").get_data(as_text=True)
    assert 'value="2026-03-03 10:00:00"' in page and "定时发布" in page  # Beijing time
    client.post("/logout")
    assert client.get(f"/notices/{notice.id}").status_code == 404
    clock.set(later)
    assert client.get(f"/notices/{notice.id}").status_code == 200


def test_the_audit_log_names_the_notice(client, organiser):
    services.save_notice(organiser, data("关于揭榜材料的补充通知", publish_at=NOW))
    login(client, organiser.email)
    page = client.get("/rounds/console/audit").get_data(as_text=True)
    assert "新建通知公告" in page and "公告「关于揭榜材料的补充通知」" in page


def test_the_list_announces_upcoming_matchmaking_days(client, organiser):
    from tests.matchdays.builders import make_day

    upcoming = make_day("published", days_ahead=10, title="第二期供需对接会")
    make_day("draft", days_ahead=20, title="尚未发布的对接会")
    make_day("published", days_ahead=-30, title="已举办的对接会")
    first = client.get("/notices/").get_data(as_text=True)
    assert "第二期供需对接会" in first and f"/matchdays/{upcoming.id}" in first
    assert "尚未发布的对接会" not in first and "已举办的对接会" not in first


def test_every_page_links_the_notices_from_its_header(client):
    assert 'href="/notices/"' in client.get("/scenarios/").get_data(as_text=True)


def test_a_printed_notice_is_the_notice_alone(client, organiser):
    """Printing a notice page leaves out the way back and the organiser's 编辑 button (the site
    frame is not printed either): the printout is the notice, its date and its files."""
    notice = services.save_notice(organiser, data(publish_at=NOW - timedelta(minutes=1)))
    login(client, organiser.email)
    page = client.get(f"/notices/{notice.id}").get_data(as_text=True)
    assert '<p class="d-print-none"><a href="/notices/">' in page
    assert '<p class="mt-3 d-print-none"><a class="btn" href="/notices/console/' in page
