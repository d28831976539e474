"""The demo district's 通知公告 and 答疑: a published call for applications with its 申报指南 PDF
on the home page and its round's page, answered questions on an open listing; loaded once."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.competitions.models import ListingQuestion
from matchmaker.extensions import db
from matchmaker.notices import services
from matchmaker.notices.models import Notice


def test_demo_notices_and_questions(runner, client, app_ctx):
    runner.invoke(args=["taxonomy", "load"])
    result = runner.invoke(args=["demo", "load", "--password", "demo-secret-1"])
    assert result.exit_code == 0, result.output
    public = services.latest()
    assert len(public) == 2 and db.session.query(Notice).count() == 3  # and one draft
    call = next(n for n in public if services.attachments_of(n))
    (guide,) = services.attachments_of(call)
    download = client.get(f"/notices/{call.id}/files/{guide.id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-1.4")
    assert download.data.rstrip().endswith(b"%%EOF")
    assert "申报指南".encode("utf-16-be").hex().upper().encode() in download.data  # real text
    assert call.title in client.get("/").get_data(as_text=True)
    assert call.title in client.get(f"/rounds/{call.round_id}").get_data(as_text=True)
    asked = db.session.scalars(select(ListingQuestion)).all()
    assert len(asked) == 4 and sum(q.is_public for q in asked) == 2
    listing = asked[0].listing
    page = client.get(f"/rounds/listings/{listing.id}").get_data(as_text=True)
    public_q = [q for q in asked if q.is_public]
    assert all(q.answer in page for q in public_q)
    assert all(q.organisation.name not in page for q in asked)
    again = runner.invoke(args=["demo", "load", "--password", "demo-secret-1"])
    assert again.exit_code == 0 and db.session.query(Notice).count() == 3
