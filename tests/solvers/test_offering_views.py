import io
import os
import re

import pytest

from matchmaker.extensions import db
from matchmaker.files.models import Attachment
from matchmaker.files.services import attachment_path
from matchmaker.solvers.models import Offering
from tests.factories import login, make_offering, make_org, make_user

PDF = b"%PDF-1.7\n%test\n"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def form(tax, **overrides):
    data = {
        "title": "坯布瑕疵在线检测系统",
        "summary": "120 米/分钟车速下实时识别疵点。",
        "description": "联动打标。",
        "template_ids": [str(tax.templates["T001"].id)],
        "tech_tags": ["vision"],
        "deployment_modes": ["on_prem"],
        "kpis-0-indicator": "漏检率",
        "kpis-0-before": "5",
        "kpis-0-after": "0.8",
        "kpis-0-unit": "%",
        "kpis-0-direction": "down",
        "kpis-1-indicator": "",
        "price_min": "30",
        "price_max": "80",
        "delivery_weeks": "8",
    }
    data.update(overrides)
    return data


def test_vendor_creates_an_offering_through_the_form(client, tax, vendor):
    login(client, vendor.email)
    assert "坯布疵点视觉检测" in client.get("/vendor/offerings/new").get_data(as_text=True)
    response = client.post("/vendor/offerings/new", data=form(tax))
    assert response.status_code == 302
    offering = db.session.query(Offering).one()
    assert response.headers["Location"].endswith(f"/solutions/{offering.id}")
    assert offering.kpis[0].after == 0.8
    page = client.get(f"/solutions/{offering.id}").get_data(as_text=True)
    assert "草稿" in page and "漏检率" in page
    assert "坯布瑕疵在线检测系统" in client.get("/vendor/offerings").get_data(as_text=True)


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"price_min": "90", "price_max": "80"}, "最高价不能低于最低价"),
        ({"kpis-0-after": "6"}, "方向不符"),
        ({"kpis-0-before": "abc"}, "都需要填写数字"),
        ({"title": ""}, "此项为必填项"),
        ({"deployment_modes": []}, "请至少选择一种部署方式"),
    ],
)
def test_invalid_offering_form_is_422_and_keeps_the_input(client, tax, vendor, overrides, message):
    login(client, vendor.email)
    data = form(tax, summary="保留我的输入", **overrides)
    response = client.post("/vendor/offerings/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and "保留我的输入" in html
    assert db.session.query(Offering).count() == 0


def test_xss_payload_is_rendered_inert(client, tax, vendor, organiser):
    login(client, vendor.email)
    client.post(
        "/vendor/offerings/new",
        data=form(tax, title=XSS, summary=XSS, description=XSS, **{"kpis-0-indicator": XSS}),
    )
    offering = db.session.query(Offering).one()
    offering.status = "published"
    db.session.commit()
    for url in (f"/solutions/{offering.id}", "/solutions/", "/vendor/offerings"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html


def test_upload_through_the_form_and_download(client, tax, vendor, other_vendor):
    login(client, vendor.email)
    data = form(tax, attachments=[(io.BytesIO(PDF), "检测报告.pdf")])
    response = client.post("/vendor/offerings/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    offering = db.session.query(Offering).one()
    attachment = db.session.query(Attachment).one()
    assert (attachment.owner_type, attachment.owner_id) == ("offering", offering.id)
    url = f"/solutions/{offering.id}/files/{attachment.id}"
    assert client.get(url).data == PDF
    client.post("/logout")
    assert client.get(url).status_code == 404  # a draft's files are private too
    login(client, other_vendor.email)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "超过 10 MB"),
        ("run.exe", b"MZ", "不支持的文件类型"),
        ("fake.pdf", b"<html>", "内容与扩展名不符"),
    ],
)
def test_upload_limits_through_the_form(client, tax, vendor, name, content, message):
    login(client, vendor.email)
    data = form(tax, summary="我的简介", attachments=[(io.BytesIO(content), name)])
    response = client.post("/vendor/offerings/new", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html and "我的简介" in html
    assert db.session.query(Offering).count() == 0
    assert db.session.query(Attachment).count() == 0


def test_too_many_attachments(client, tax, vendor):
    offering = make_offering(vendor.organisation)
    for i in range(10):
        db.session.add(
            Attachment(
                owner_type="offering",
                owner_id=offering.id,
                filename=f"{i}.pdf",
                content_type="application/pdf",
                size=1,
                sha256="0",
                storage_key=f"k{i}",
            )
        )
    db.session.commit()
    login(client, vendor.email)
    data = form(tax, attachments=[(io.BytesIO(PDF), "one-more.pdf")])
    response = client.post(
        f"/vendor/offerings/{offering.id}/edit", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 422 and "最多 10 个附件" in response.get_data(as_text=True)


def test_edit_form_shows_current_values_and_saves(client, tax, vendor):
    login(client, vendor.email)
    client.post("/vendor/offerings/new", data=form(tax))
    offering = db.session.query(Offering).one()
    html = client.get(f"/vendor/offerings/{offering.id}/edit").get_data(as_text=True)
    assert 'value="0.8"' in html and 'value="坯布瑕疵在线检测系统"' in html
    response = client.post(f"/vendor/offerings/{offering.id}/edit", data=form(tax, title="新名称"))
    assert response.status_code == 302 and offering.title == "新名称"


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "retired"])
def test_unpublished_offerings_are_404_for_everyone_else(client, app_ctx, vendor, status):
    offering = make_offering(vendor.organisation, status=status)
    url = f"/solutions/{offering.id}"
    assert client.get(url).status_code == 404
    for user in (make_user(make_org("vendor")), make_user(make_org("factory"))):
        login(client, user.email)
        assert client.get(url).status_code == 404
        client.post("/logout")
    login(client, vendor.email)
    assert client.get(url).status_code == 200
    client.post("/logout")
    login(client, make_user(role="organiser").email)
    assert client.get(url).status_code == 200


def test_url_guessing_another_vendors_offering_is_404(client, app_ctx, vendor, other_vendor):
    draft = make_offering(vendor.organisation)
    published = make_offering(vendor.organisation, status="published")
    login(client, other_vendor.email)
    for offering in (draft, published):
        assert client.get(f"/vendor/offerings/{offering.id}/edit").status_code == 404
        assert client.post(f"/vendor/offerings/{offering.id}/edit", data={}).status_code == 404
        assert client.post(f"/vendor/offerings/{offering.id}/submit").status_code == 404
        assert client.post(f"/vendor/offerings/{offering.id}/retire").status_code == 404
    assert client.get("/vendor/offerings/999999/edit").status_code == 404
    assert draft.status == "draft" and published.status == "published"


def test_vendor_pages_need_a_vendor_member(client, app_ctx):
    assert client.get("/vendor/offerings").status_code == 302  # to the login page
    login(client, make_user(make_org("factory")).email)
    for url in ("/vendor/offerings", "/vendor/offerings/new", "/vendor/profile"):
        assert client.get(url).status_code == 403


def test_published_offering_is_public(client, app_ctx, vendor):
    offering = make_offering(vendor.organisation, status="published", title="公开的方案")
    html = client.get(f"/solutions/{offering.id}").get_data(as_text=True)
    assert "公开的方案" in html and "审核记录" not in html


def test_submit_and_retire_buttons(client, app_ctx, vendor):
    offering = make_offering(vendor.organisation)
    login(client, vendor.email)
    html = client.get("/vendor/offerings").get_data(as_text=True)
    assert f"/vendor/offerings/{offering.id}/submit" in html
    assert client.post(f"/vendor/offerings/{offering.id}/submit").status_code == 302
    assert offering.status == "submitted"
    assert client.post(f"/vendor/offerings/{offering.id}/submit").status_code == 409
    assert client.post(f"/vendor/offerings/{offering.id}/retire").status_code == 302
    assert offering.status == "retired"


def test_pending_vendor_cannot_submit_through_the_view(client, app_ctx):
    pending = make_user(make_org("vendor", approved=False))
    offering = make_offering(pending.organisation)
    login(client, pending.email)
    html = client.get("/vendor/offerings").get_data(as_text=True)
    assert "尚未通过主办方审核" in html and f"/{offering.id}/submit" not in html
    response = client.post(f"/vendor/offerings/{offering.id}/submit")
    assert response.status_code == 403 and offering.status == "draft"


def test_returned_comment_is_shown_to_the_vendor(client, app_ctx, vendor, organiser):
    from matchmaker.solvers.lifecycle import return_offering

    offering = make_offering(vendor.organisation, status="submitted")
    return_offering(organiser, offering, "请补充现场照片")
    login(client, vendor.email)
    assert "请补充现场照片" in client.get("/vendor/offerings").get_data(as_text=True)
    edit = client.get(f"/vendor/offerings/{offering.id}/edit").get_data(as_text=True)
    assert "请补充现场照片" in edit
    assert re.search(r"审核记录", client.get(f"/solutions/{offering.id}").get_data(as_text=True))


def test_kpi_cell_too_long_is_reported_on_its_row(client, tax, vendor):
    login(client, vendor.email)
    response = client.post("/vendor/offerings/new", data=form(tax, **{"kpis-0-unit": "u" * 31}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "第 1 行：单位 不能超过 30 个字符。" in html


def test_url_guessing_attachments_of_another_vendor(client, tax, vendor, other_vendor):
    login(client, vendor.email)
    data = form(tax, attachments=[(io.BytesIO(PDF), "a.pdf")])
    client.post("/vendor/offerings/new", data=data, content_type="multipart/form-data")
    offering = db.session.query(Offering).one()
    attachment = db.session.query(Attachment).one()
    other = make_offering(other_vendor.organisation, "published")
    assert client.get(f"/solutions/{other.id}/files/{attachment.id}").status_code == 404
    other_draft = make_offering(other_vendor.organisation)
    client.post("/logout")
    login(client, other_vendor.email)
    url = f"/vendor/offerings/{offering.id}/files/{attachment.id}/delete"
    assert client.post(url).status_code == 404
    url = f"/vendor/offerings/{other_draft.id}/files/{attachment.id}/delete"
    assert client.post(url).status_code == 404
    assert db.session.query(Attachment).count() == 1


def test_vendor_deletes_an_attachment_of_a_draft(client, tax, vendor):
    login(client, vendor.email)
    data = form(tax, attachments=[(io.BytesIO(PDF), "a.pdf")])
    client.post("/vendor/offerings/new", data=data, content_type="multipart/form-data")
    offering = db.session.query(Offering).one()
    attachment = db.session.query(Attachment).one()
    path = attachment_path(attachment)
    url = f"/vendor/offerings/{offering.id}/files/{attachment.id}/delete"
    assert client.post(url).status_code == 302
    assert db.session.query(Attachment).count() == 0 and not os.path.exists(path)
