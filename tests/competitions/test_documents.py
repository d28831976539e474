"""Issue 19, item 4: the printable 公示 notice, 中选通知书 and 验收报告, as a page and as a PDF
whose text is real text (extracted here and checked for the names and the dates)."""

from __future__ import annotations

import io
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from pypdf import PdfReader

from matchmaker.competitions import delivery, publicity, stageflow
from matchmaker.extensions import db
from tests.factories import login, logout, make_org, make_user

from .builders import at, awarded, reviewed


def _day(moment) -> str:
    """The date as the documents print it: Beijing time, 2025年3月11日."""
    local = moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(ZoneInfo("Asia/Shanghai"))
    return f"{local.year}年{local.month}月{local.day}日"


def _pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.data))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


def _accepted():
    scene = awarded()
    listing, award = scene["listing"], scene["award"]
    stageflow.act(scene["organiser"], listing, "start_delivery")
    for milestone in award.application.milestones:
        delivery.deliver_milestone(scene["leads"][0], milestone, "完成")
        delivery.confirm_milestone(scene["owner"], milestone)
    values = [delivery.MeasuredValue(k.id, 1.4, "试运行报告") for k in listing.kpis]
    delivery.record_acceptance(scene["organiser"], award, values)
    return scene


def test_the_publicity_notice_is_public_during_the_period_and_its_pdf_is_text(app_ctx, client):
    scene = reviewed()
    listing = scene["listing"]
    publicity.start_publicity(scene["organiser"], listing)
    winner = scene["apps"][0].organisation.name
    page = client.get(f"/rounds/listings/{listing.id}/publicity/notice")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert winner in html and "异议" in html and "下载 PDF" in html
    text = _pdf_text(client.get(f"/rounds/listings/{listing.id}/publicity/notice.pdf"))
    start, end = listing.publicity_starts_at, listing.publicity_ends_at
    assert winner in text and listing.title in text
    assert _day(start) in text and _day(end) in text
    assert "异议" in text and f"/rounds/listings/{listing.id}/publicity" in text
    loser = scene["apps"][1].organisation.name
    assert loser not in text


def test_after_the_period_only_the_people_concerned_read_the_notice(app_ctx, client):
    scene = reviewed()
    listing = scene["listing"]
    publicity.start_publicity(scene["organiser"], listing)
    at(listing.publicity_ends_at + timedelta(minutes=1))
    url = f"/rounds/listings/{listing.id}/publicity/notice.pdf"
    assert client.get(url).status_code == 404
    stranger = make_user(make_org("vendor"))
    login(client, stranger.email)
    assert client.get(url).status_code == 404
    for user in (scene["owner"], scene["leads"][0], scene["organiser"]):
        logout(client)
        login(client, user.email)
        assert client.get(url).status_code == 200, user.email
    logout(client)
    login(client, scene["leads"][1].email)  # ranked, not proposed
    assert client.get(url).status_code == 404


def test_no_notice_before_publicity(app_ctx, client):
    scene = reviewed()
    login(client, scene["organiser"].email)
    assert client.get(f"/rounds/listings/{scene['listing'].id}/publicity/notice").status_code == 404


def test_the_award_notice_names_the_winner_the_value_and_the_dates(app_ctx, client):
    scene = awarded()
    award = scene["award"]
    login(client, scene["leads"][0].email)
    page = client.get(f"/rounds/awards/{award.id}/notice")
    assert page.status_code == 200 and "中选通知书" in page.get_data(as_text=True)
    text = _pdf_text(client.get(f"/rounds/awards/{award.id}/notice.pdf"))
    assert "中选通知书" in text
    assert award.application.organisation.name in text
    assert scene["listing"].owners[0].name in text
    assert "2025年4月1日" in text  # the start date of the award
    assert "数据采集与标注" in text and "2025年5月1日" in text
    assert f"{award.contract_value} 万元" in text


def test_award_documents_refuse_everyone_else(app_ctx, client):
    scene = awarded()
    award = scene["award"]
    urls = [f"/rounds/awards/{award.id}/notice", f"/rounds/awards/{award.id}/notice.pdf"]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    for user in (scene["leads"][1], make_user(make_org("factory")), scene["experts"][0]):
        login(client, user.email)
        for url in urls:
            assert client.get(url).status_code == 404, (user.email, url)
        logout(client)
    for user in (scene["owner"], scene["organiser"]):
        login(client, user.email)
        assert client.get(urls[1]).status_code == 200
        logout(client)
    login(client, scene["owner"].email)
    assert client.get(f"/rounds/awards/{award.id}/acceptance-report").status_code == 404
    assert client.get("/rounds/awards/999999/notice.pdf").status_code == 404


def test_the_acceptance_report_shows_measured_values_and_the_result(app_ctx, client):
    scene = _accepted()
    award = scene["award"]
    db.session.refresh(award)
    login(client, scene["owner"].email)
    assert client.get(f"/rounds/awards/{award.id}/acceptance-report").status_code == 200
    text = _pdf_text(client.get(f"/rounds/awards/{award.id}/acceptance-report.pdf"))
    decided = award.acceptance.decided_at
    assert "验收报告" in text and "验收通过" in text
    assert award.application.organisation.name in text and scene["listing"].title in text
    assert _day(decided) in text
    assert scene["listing"].kpis[0].indicator in text and "试运行报告" in text
    logout(client)
    login(client, make_user(make_org("vendor")).email)
    assert client.get(f"/rounds/awards/{award.id}/acceptance-report.pdf").status_code == 404


def test_each_document_page_links_back_to_the_page_it_belongs_to(app_ctx, client):
    """A document page has a way on: the publicity notice back to the publicity page, the
    中选通知书 and the 验收报告 back to the award (the PDF link alone would be a dead end)."""
    scene = reviewed()
    listing = scene["listing"]
    publicity.start_publicity(scene["organiser"], listing)
    html = client.get(f"/rounds/listings/{listing.id}/publicity/notice").get_data(as_text=True)
    assert f'href="/rounds/listings/{listing.id}/publicity"' in html and "返回公示页面" in html
    scene = _accepted()
    award = scene["award"]
    login(client, scene["owner"].email)
    for path in ("notice", "acceptance-report"):
        html = client.get(f"/rounds/awards/{award.id}/{path}").get_data(as_text=True)
        assert f'href="/rounds/awards/{award.id}"' in html and "返回挂帅详情" in html, path
