import io

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.files.models import Attachment
from matchmaker.needs.models import Need
from tests.factories import ensure_taxonomy, login, make_need, make_org, make_user

PDF = b"%PDF-1.7\n%test\n"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def owner(app_ctx):
    return make_user(make_org("factory", name="越新纺织化纤有限公司"))


@pytest.fixture
def templates(app_ctx):
    return ensure_taxonomy()


def form_data(template, **overrides):
    data = {
        "title": "坯布疵点检测",
        "industry_id": str(template.industry_id),
        "category_id": str(template.category_id),
        "template_id": str(template.id),
        "goal": "漏检率降到 2% 以下",
        "pain_point": "人工验布漏检多",
        "current_process": "人工三班倒",
        "data_sources": ["camera", "mes"],
        "data_volume": "每天 2TB",
        "data_labelled": "partly",
        "kpis-0-indicator": "漏检率",
        "kpis-0-baseline": "10",
        "kpis-0-target": "2",
        "kpis-0-unit": "%",
        "kpis-0-direction": "down",
        "budget_min": "30",
        "budget_max": "50",
        "vouchers": ["scenario", "compute"],
        "delivery_months": "6",
        "town": "衙前镇",
        "constraints": ["on_premise"],
        "confidentiality": "public",
        "save": "保存草稿",
    }
    data.update(overrides)
    return data


def test_picker_lists_templates_and_filters(client, owner, templates):
    login(client, owner.email)
    page = client.get("/needs/new").get_data(as_text=True)
    assert "坯布疵点视觉检测" in page and "注塑件外观缺陷检测" in page
    textile = templates[0].industry_id
    page = client.get(f"/needs/new?industry={textile}").get_data(as_text=True)
    assert "坯布疵点视觉检测" in page and "注塑件外观缺陷检测" not in page
    assert client.get("/needs/new?industry=abc").status_code == 200


def test_picker_finds_templates_by_keyword(client, owner, templates):
    login(client, owner.email)
    page = client.get("/needs/new?q=疵点").get_data(as_text=True)
    assert "坯布疵点视觉检测" in page and "注塑件外观缺陷检测" not in page
    assert 'value="疵点"' in page  # the keyword stays in its box
    page = client.get("/needs/new?q=no-such-words").get_data(as_text=True)
    assert "没有找到与“no-such-words”相符的场景模板" in page and "不使用模板，自行描述" in page


def test_template_prefills_the_form(client, owner, templates):
    login(client, owner.email)
    page = client.get("/needs/new?template=T001").get_data(as_text=True)
    assert "人工验布漏检多" in page  # pain point
    assert 'value="漏检率"' in page  # KPI row from the template
    assert 'placeholder="希望漏检率降到2%"' in page  # the example as placeholder
    assert "验布机图像" in page  # data prompt
    assert client.get("/needs/new?template=T999").status_code == 200  # back to the picker


def test_create_draft_and_submit_through_the_form(client, owner, templates):
    login(client, owner.email)
    response = client.post("/needs/new?template=T001", data=form_data(templates[0]))
    assert response.status_code == 302
    need = db.session.scalars(select(Need)).one()
    assert need.status == "draft" and need.vouchers == ["scenario", "compute"]
    assert need.kpis[0].baseline == 10 and need.kpis[0].target == 2
    response = client.post(f"/needs/{need.id}/submit")
    assert response.status_code == 302
    db.session.refresh(need)
    assert need.status == "submitted"


def test_invalid_form_keeps_input_with_422(client, owner, templates):
    login(client, owner.email)
    data = form_data(
        templates[0],
        title="我的需求标题",
        budget_min="90",
        budget_max="10",
        **{"kpis-0-baseline": "6", "kpis-0-target": "7"},
    )
    response = client.post("/needs/new?template=T001", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "预算上限不能低于下限" in page and "目标值应低于现状值" in page
    assert 'value="我的需求标题"' in page
    assert db.session.query(Need).count() == 0


def test_missing_fields_are_reported(client, owner, templates):
    login(client, owner.email)
    response = client.post(
        "/needs/new?template=other",
        data=form_data(templates[0], template_id="0", title="", **{"kpis-0-target": ""}),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请填写需求名称" in page and "请描述场景" in page


def test_xss_renders_inert(client, owner, templates):
    need = make_need(owner.organisation, status="published", title=XSS, pain_point=XSS + "\n第二行")
    vendor = make_user(make_org("vendor"))
    login(client, vendor.email)
    for url in (f"/needs/{need.id}", "/needs/"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert" in page
    assert "第二行" in client.get(f"/needs/{need.id}").get_data(as_text=True)


def upload_data(template, files):
    return form_data(template, attachments=files)


def test_upload_limits_through_the_form(client, owner, templates):
    login(client, owner.email)
    big = (io.BytesIO(PDF + b"0" * (10 * 1024 * 1024)), "大文件.pdf")
    response = client.post(
        "/needs/new?template=T001",
        data=upload_data(templates[0], [big]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "10 MB" in response.get_data(as_text=True)
    exe = (io.BytesIO(b"MZ\x90\x00"), "tool.exe")
    response = client.post(
        "/needs/new?template=T001",
        data=upload_data(templates[0], [exe]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "不支持的文件类型" in response.get_data(as_text=True)
    six = [(io.BytesIO(PDF), f"f{i}.pdf") for i in range(6)]
    response = client.post(
        "/needs/new?template=T001",
        data=upload_data(templates[0], six),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "附件最多 5 个" in response.get_data(as_text=True)
    assert db.session.query(Need).count() == 0 and db.session.query(Attachment).count() == 0


def test_upload_and_download(client, owner, templates):
    login(client, owner.email)
    response = client.post(
        "/needs/new?template=T001",
        data=upload_data(templates[0], [(io.BytesIO(PDF), "工艺说明.pdf")]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    attachment = db.session.scalars(select(Attachment)).one()
    assert attachment.owner_type == "need"
    url = f"/needs/{attachment.owner_id}/files/{attachment.id}"
    assert client.get(url).data == PDF
    client.post("/logout")
    other = make_user(make_org("factory"))
    login(client, other.email)
    assert client.get(url).status_code == 404  # another factory's draft


def test_url_guessing_other_factories_drafts(client, owner, templates):
    draft = make_need(owner.organisation)
    other = make_user(make_org("factory"))
    login(client, other.email)
    for url in (f"/needs/{draft.id}", f"/needs/{draft.id}/edit", "/needs/999999"):
        assert client.get(url).status_code == 404, url
    for action in ("submit", "withdraw", "follow", "nda"):
        assert client.post(f"/needs/{draft.id}/{action}").status_code == 404, action
    published = make_need(owner.organisation, status="published", title="已发布")
    assert client.get(f"/needs/{published.id}").status_code == 200
    assert client.get(f"/needs/{published.id}/edit").status_code == 403
    assert client.post(f"/needs/{published.id}/withdraw").status_code == 403
    assert client.post(f"/needs/{published.id}/close").status_code == 403
    db.session.refresh(published)
    assert published.status == "published"


def test_vendor_cannot_see_invited_only_or_summary_owner(client, owner, templates):
    secret = make_need(owner.organisation, status="published", confidentiality="summary_only")
    invited = make_need(
        owner.organisation, status="published", confidentiality="invited_only", title="邀请制需求"
    )
    vendor = make_user(make_org("vendor"))
    login(client, vendor.email)
    page = client.get(f"/needs/{secret.id}").get_data(as_text=True)
    assert "越新纺织化纤有限公司" not in page and "某纺织化纤企业" in page
    assert "人工验布漏检多" not in page
    hall = client.get("/needs/").get_data(as_text=True)
    assert "越新纺织化纤有限公司" not in hall and "邀请制需求" not in hall
    assert client.get(f"/needs/{invited.id}").status_code == 404

    assert client.post(f"/needs/{secret.id}/nda").status_code == 302
    page = client.get(f"/needs/{secret.id}").get_data(as_text=True)
    assert "越新纺织化纤有限公司" in page and "人工验布漏检多" in page


def test_anonymous_sees_summaries_only(client, owner, templates):
    need = make_need(owner.organisation, status="published")
    make_need(owner.organisation, status="published", confidentiality="invited_only", title="邀请")
    hall = client.get("/needs/").get_data(as_text=True)
    assert need.title in hall and "邀请" not in hall.split("共")[1]
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "登录后可查看需求详情" in page and "人工验布漏检多" not in page
    assert client.post(f"/needs/{need.id}/follow").status_code == 302  # to the login page


def test_owner_sees_engagement(client, owner, templates):
    need = make_need(owner.organisation, status="published")
    vendor = make_user(make_org("vendor", name="深鉴工业智能有限公司"))
    login(client, vendor.email)
    client.get(f"/needs/{need.id}")
    client.post(f"/needs/{need.id}/follow")
    response = client.post(f"/needs/{need.id}/interest", data={"message": "我们做过类似项目"})
    assert response.status_code == 302
    assert client.post(f"/needs/{need.id}/interest", data={"message": "再次"}).status_code == 422
    assert client.post(f"/needs/{need.id}/interest", data={"message": ""}).status_code == 422
    client.post("/logout")
    login(client, owner.email)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert page.count("深鉴工业智能有限公司") >= 3 and "我们做过类似项目" in page
    mine = client.get("/needs/mine").get_data(as_text=True)
    assert need.title in mine


def test_review_queue_actions(client, owner, templates):
    need = make_need(owner.organisation, status="submitted", title="待审需求")
    organiser = make_user(role="organiser")
    login(client, organiser.email)
    assert "待审需求" in client.get("/needs/review").get_data(as_text=True)
    response = client.post(f"/needs/{need.id}/review/return", data={"comment": ""})
    assert response.status_code == 422 and "请填写退回修改的意见" in response.get_data(as_text=True)
    response = client.post(f"/needs/{need.id}/review/return", data={"comment": "补充数据"})
    assert response.status_code == 302
    db.session.refresh(need)
    assert need.status == "returned" and need.reviews[0].comment == "补充数据"
    assert client.post(f"/needs/{need.id}/review/approve").status_code == 409
    assert client.post(f"/needs/{need.id}/review/publish").status_code == 404


def test_review_queue_is_for_organisers(client, owner, templates):
    login(client, owner.email)
    assert client.get("/needs/review").status_code == 403
    need = make_need(owner.organisation, status="submitted")
    assert client.post(f"/needs/{need.id}/review/approve").status_code == 403


def test_bad_numbers_and_dates_get_chinese_messages(client, owner, templates):
    login(client, owner.email)
    data = form_data(templates[0], delivery_months="abc", delivery_date="2025-13-45")
    data["kpis-0-target"] = "很多"
    response = client.post("/needs/new?template=T001", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "不是有效的浮点数" in page and "不是有效的整数" in page and "不是有效的日期值" in page
    assert "Not a valid" not in page


def test_organiser_does_not_see_drafts_but_sees_submitted(client, owner, templates):
    draft = make_need(owner.organisation)
    submitted = make_need(owner.organisation, status="submitted", title="待审")
    organiser = make_user(role="organiser")
    login(client, organiser.email)
    assert client.get(f"/needs/{draft.id}").status_code == 404
    page = client.get(f"/needs/{submitted.id}").get_data(as_text=True)
    assert "人工验布漏检多" in page and "去审核" in page


def test_scenario_pages_count_open_needs(client, owner, templates):
    make_need(owner.organisation, status="published")
    make_need(owner.organisation, status="published", title="第二个")
    make_need(owner.organisation, status="draft", title="草稿")
    page = client.get("/scenarios/T001").get_data(as_text=True)
    assert "<dt>开放需求</dt><dd>2</dd>" in page


def test_owner_edits_published_need_through_the_form(client, owner, templates):
    need = make_need(owner.organisation, status="published")
    follower = make_user(make_org("vendor"))
    login(client, follower.email)
    client.post(f"/needs/{need.id}/follow")
    client.post("/logout")
    login(client, owner.email)
    page = client.get(f"/needs/{need.id}/edit").get_data(as_text=True)
    assert 'value="坯布疵点视觉检测需求"' in page and "保存并发布新版本" in page
    data = form_data(templates[0], title="坯布疵点视觉检测需求", budget_max="90")
    assert client.post(f"/needs/{need.id}/edit", data=data).status_code == 302
    db.session.refresh(need)
    assert need.status == "published" and need.version == 2 and need.budget_max == 90
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "第 2 版" in page
    client.post("/logout")
    login(client, follower.email)
    assert "已更新" in client.get("/inbox/").get_data(as_text=True)


def test_pages_render_in_english(client, owner, templates):
    need = make_need(owner.organisation, status="published")
    login(client, owner.email)
    client.get("/lang/en")
    assert "Listing hall" in client.get("/needs/").get_data(as_text=True)
    assert "Target indicators" in client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "Save draft" in client.get("/needs/new?template=T001").get_data(as_text=True)
    assert "My needs" in client.get("/needs/mine").get_data(as_text=True)


def test_five_large_files_fit_in_one_request(client, owner, templates, app):
    assert app.config["MAX_CONTENT_LENGTH"] < 25 * 1024 * 1024
    login(client, owner.email)
    files = [(io.BytesIO(PDF + b"0" * (9 * 1024 * 1024)), f"图纸{i}.pdf") for i in range(3)]
    response = client.post(
        "/needs/new?template=T001",
        data=upload_data(templates[0], files),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert db.session.query(Attachment).count() == 3


def test_pending_factory_cannot_submit_through_the_page(client, templates, app_ctx):
    user = make_user(make_org("factory", approved=False))
    need = make_need(user.organisation)
    login(client, user.email)
    page = client.get("/needs/new?template=T001").get_data(as_text=True)
    assert "保存并提交审核" not in page and "可以先保存草稿" in page
    assert client.post(f"/needs/{need.id}/submit").status_code == 403
    data = form_data(templates[0], save="", submit="保存并提交审核")
    assert client.post("/needs/new?template=T001", data=data).status_code == 403
    db.session.refresh(need)
    assert need.status == "draft" and db.session.query(Need).count() == 1


def test_interest_message_xss_is_inert_for_the_owner(client, owner, templates):
    from matchmaker.templating import nl2br

    assert str(nl2br("<b>a</b>\nb")) == "&lt;b&gt;a&lt;/b&gt;<br>\nb"
    need = make_need(owner.organisation, status="published")
    vendor = make_user(make_org("vendor", name="<i>恶意</i>公司"))
    login(client, vendor.email)
    client.post(f"/needs/{need.id}/interest", data={"message": XSS, "contact": XSS})
    client.post("/logout")
    login(client, owner.email)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "<script>alert" not in page and "<i>恶意</i>" not in page
    assert "&lt;script&gt;alert" in page and "&lt;i&gt;恶意&lt;/i&gt;公司" in page
