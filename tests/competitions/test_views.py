"""The pages: forms through HTTP, what each role sees, and 404 for everyone else."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import refresh

from matchmaker.competitions import panel, publicity, stageflow
from matchmaker.competitions.models import Application, Round
from matchmaker.extensions import db
from tests.factories import login, logout, make_need, make_org, make_user

from .builders import OPENS, SHEET, at, awarded, make_listing, make_round, make_vendor, reviewed

RUBRIC_FORM = {
    f"rubric-{i}-{key}": value
    for i, (label, weight) in enumerate(
        [
            ("技术方案", "40"),
            ("团队实力", "20"),
            ("指标承诺", "20"),
            ("报价合理性", "10"),
            ("落地案例", "10"),
        ]
    )
    for key, value in (("title", label), ("weight", weight))
}


def test_organiser_opens_a_round_in_shanghai_time_and_adds_a_listing(client, app_ctx):
    organiser = make_user(role="organiser")
    need = make_need(status="published")
    login(client, organiser.email)
    form = {
        "name": "2025年人工智能赋能制造业十大场景揭榜挂帅",
        "opens_at": "2025-03-02T09:00",
        "closes_at": "2025-03-20T17:00",
        "publicity_days": "7",
        "quota": "1",
        "voucher_share": "0.3",
        "voucher_cap": "50",
        "max_leads": "3",
        "scale_max": "10",
        "tie_break": "指标承诺",
        **RUBRIC_FORM,
    }
    assert "团队实力" in client.get("/rounds/console/new").get_data(as_text=True)
    assert client.post("/rounds/console/new", data=form).status_code == 302
    round_ = db.session.query(Round).one()
    assert round_.opens_at == datetime(2025, 3, 2, 1, 0, tzinfo=UTC)
    assert [c["weight"] for c in round_.rubric] == [40, 20, 20, 10, 10]
    listing_form = {"title": "疵点检测榜单", "need_ids": [str(need.id)], "consortium_allowed": "y"}
    response = client.post(f"/rounds/console/{round_.id}/listings/new", data=listing_form)
    assert response.status_code == 302
    assert round_.listings[0].kpis[0].indicator == "漏检率"
    bad = client.post("/rounds/console/new", data={**form, "quota": "4"})
    assert bad.status_code == 422
    lopsided = client.post("/rounds/console/new", data={**form, "rubric-0-weight": "50"})
    assert lopsided.status_code == 422 and "合计必须为 100" in lopsided.get_data(as_text=True)


def test_a_custom_rubric_and_tie_break(client, app_ctx):
    organiser = make_user(role="organiser")
    login(client, organiser.email)
    form = {
        "name": "专项批次",
        "opens_at": "2025-03-02T09:00",
        "closes_at": "2025-03-20T17:00",
        "publicity_days": "5",
        "quota": "2",
        "voucher_share": "0.2",
        "voucher_cap": "30",
        "max_leads": "2",
        "scale_max": "100",
        "rubric-0-title": "技术方案",
        "rubric-0-weight": "60",
        "rubric-1-title": "数据安全",
        "rubric-1-weight": "40",
        "tie_break": "数据安全",
    }
    assert client.post("/rounds/console/new", data=form).status_code == 302
    round_ = db.session.query(Round).one()
    assert [c["code"] for c in round_.rubric] == ["technical", "c2"] and round_.tie_break == "c2"
    unknown = client.post("/rounds/console/new", data={**form, "tie_break": "价格"})
    assert unknown.status_code == 422


def test_vendor_applies_through_the_form_and_a_lowered_kpi_is_refused(client, app_ctx):
    organiser = make_user(role="organiser")
    at(OPENS - timedelta(days=1))
    listing = make_listing(organiser, make_round(organiser))
    at(OPENS + timedelta(hours=1))
    stageflow.tick()
    _org, lead, offering = make_vendor()
    login(client, lead.email)
    kpi = listing.kpis[0]
    blank = client.get(f"/rounds/listings/{listing.id}/apply").get_data(as_text=True)
    assert f'name="commitments-0-kpi_id" type="hidden" value="{kpi.id}"' in blank
    data = {
        "offering_id": str(offering.id),
        "approach": "边缘部署视觉检测",
        "commitments-0-kpi_id": str(kpi.id),
        "commitments-0-committed": "5",
        "milestones-0-title": "试运行",
        "milestones-0-due_date": "2025-06-01",
        "rights_declared": "y",
    }
    response = client.post(f"/rounds/listings/{listing.id}/apply", data=data)
    assert response.status_code == 422
    assert "漏检率" in response.get_data(as_text=True)
    data["commitments-0-committed"] = "1.5"
    response = client.post(f"/rounds/listings/{listing.id}/apply", data=data)
    assert response.status_code == 302
    application = db.session.query(Application).one()
    edit = client.get(f"/rounds/applications/{application.id}/edit").get_data(as_text=True)
    assert 'value="试运行"' in edit and 'value="1.5"' in edit
    assert client.post(f"/rounds/applications/{application.id}/submit").status_code == 302
    db.session.refresh(application)
    assert application.status == "submitted" and application.milestones[0].title == "试运行"


def test_vendors_cannot_see_each_others_applications(client, app_ctx):
    scene = reviewed()
    mine, theirs = scene["apps"]
    login(client, scene["leads"][0].email)
    assert client.get(f"/rounds/applications/{mine.id}").status_code == 200
    assert client.get(f"/rounds/applications/{theirs.id}").status_code == 404
    assert client.get(f"/rounds/applications/{theirs.id}/edit").status_code == 404
    assert client.get("/rounds/applications/99999").status_code == 404
    assert client.get("/rounds/console").status_code == 403
    assert client.get(f"/rounds/reviews/listings/{scene['listing'].id}").status_code == 403


def test_experts_see_only_their_listings_and_scores_after_the_panel(client, app_ctx):
    scene = reviewed(n_experts=0)
    listing, apps = scene["listing"], scene["apps"]
    first, second, stranger = (make_user(role="expert") for _ in range(3))
    for expert in (first, second):
        panel.assign_expert(scene["organiser"], listing, expert)
    panel.save_sheet(first, apps[0], SHEET, {}, submit=True)
    panel.save_sheet(first, apps[1], SHEET, {}, submit=True)
    login(client, stranger.email)
    assert client.get(f"/rounds/reviews/listings/{listing.id}").status_code == 404
    assert client.get(f"/rounds/applications/{apps[0].id}").status_code == 404
    assert client.get(f"/rounds/reviews/applications/{apps[0].id}").status_code == 404
    logout(client)
    login(client, first.email)
    page = client.get(f"/rounds/reviews/listings/{listing.id}").get_data(as_text=True)
    assert "rank-" not in page
    assert client.get(f"/rounds/applications/{apps[0].id}").status_code == 200
    logout(client)
    login(client, second.email)
    form = {f"score_{code}": "6" for code in SHEET}
    for app in apps:
        response = client.post(
            f"/rounds/reviews/applications/{app.id}", data={**form, "submit": "1"}
        )
        assert response.status_code == 302
    page = client.get(f"/rounds/reviews/listings/{listing.id}").get_data(as_text=True)
    assert f"rank-{apps[0].id}" in page
    # an expert reads the ranking; only an organiser's copy has the winner checkboxes
    assert 'name="winner_ids"' not in page and "返回我的评审" in page
    bad = client.post(
        f"/rounds/reviews/applications/{apps[0].id}", data={"score_technical": "12", "submit": "1"}
    )
    assert bad.status_code in (200, 422)


def test_sheet_out_of_range_answers_422(client, app_ctx):
    scene = reviewed(n_apps=1, n_experts=0)
    expert = make_user(role="expert")
    panel.assign_expert(scene["organiser"], scene["listing"], expert)
    login(client, expert.email)
    url = f"/rounds/reviews/applications/{scene['apps'][0].id}"
    response = client.post(url, data={"score_technical": "12", "submit": "1"})
    assert response.status_code == 422 and "技术方案" in response.get_data(as_text=True)


def test_feedback_has_scores_and_comments_without_expert_names(client, app_ctx):
    scene = reviewed()
    publicity.start_publicity(scene["organiser"], scene["listing"])
    login(client, scene["leads"][1].email)
    page = client.get(f"/rounds/applications/{scene['apps'][1].id}").get_data(as_text=True)
    assert "评审反馈" in page and "方案可行" in page
    assert scene["experts"][0].name not in page


def test_publicity_page_and_objection_form(client, app_ctx):
    scene = reviewed()
    listing = scene["listing"]
    publicity.start_publicity(scene["organiser"], listing)
    page = client.get(f"/rounds/listings/{listing.id}/publicity").get_data(as_text=True)
    assert scene["apps"][0].organisation.name in page and "登录后" in page
    bystander = make_user(make_org("factory"))
    login(client, bystander.email)
    response = client.post(f"/rounds/listings/{listing.id}/objections", data={"reason": "得分存疑"})
    assert response.status_code == 302
    assert [o.reason for o in publicity.open_objections(listing)] == ["得分存疑"]


def test_award_page_for_the_parties_only(client, app_ctx):
    scene = awarded()
    url = f"/rounds/awards/{scene['award'].id}"
    for user in (scene["owner"], scene["leads"][0], scene["organiser"]):
        login(client, user.email)
        page = client.get(url).get_data(as_text=True)
        assert "30.00" in page
        logout(client)
    for user in (scene["leads"][1], make_user(make_org("factory")), scene["experts"][0]):
        login(client, user.email)
        assert client.get(url).status_code == 404
        logout(client)


@pytest.mark.parametrize(
    "path",
    [
        "/rounds/",
        "/rounds/console",
        "/rounds/console/audit",
        "/rounds/mine",
        "/rounds/reviews",
    ],
)
def test_pages_answer_by_role(client, app_ctx, path):
    scene = awarded()
    listing = scene["listing"]
    login(client, scene["organiser"].email)
    for url in (
        path,
        f"/rounds/{listing.round_id}",
        f"/rounds/listings/{listing.id}",
        f"/rounds/console/listings/{listing.id}",
        f"/rounds/console/{listing.round_id}",
    ):
        expected = 403 if url in ("/rounds/mine", "/rounds/reviews") else 200
        assert client.get(url).status_code == expected, url


def test_delivery_through_the_pages(client, app_ctx):
    scene = awarded()
    listing, award = scene["listing"], scene["award"]
    login(client, scene["organiser"].email)
    assert (
        client.post(f"/rounds/console/listings/{listing.id}/act/start_delivery").status_code == 302
    )
    logout(client)
    milestone = award.application.milestones[0]
    login(client, scene["leads"][0].email)
    client.post(f"/rounds/milestones/{milestone.id}/evidence", data={"note": "数据集已交付"})
    logout(client)
    login(client, scene["owner"].email)
    client.post(f"/rounds/milestones/{milestone.id}/confirm")
    db.session.refresh(milestone)
    assert milestone.confirmed_at is not None
    at(datetime(2025, 7, 2, tzinfo=UTC))
    page = client.get(f"/rounds/awards/{award.id}").get_data(as_text=True)
    overdue = award.application.milestones[1].id
    assert f'class="list-group-item overdue" id="milestone-{overdue}"' in page


def test_audit_csv_has_a_bom(client, app_ctx):
    scene = awarded()
    login(client, scene["organiser"].email)
    response = client.get("/rounds/console/audit.csv")
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    assert "确定挂帅" in text and "award" not in text  # the action in words, not its code


def test_organiser_edits_the_indicators_before_applications_open(client, app_ctx):
    organiser = make_user(role="organiser")
    at(OPENS - timedelta(days=1))
    listing = make_listing(organiser, make_round(organiser))
    login(client, organiser.email)
    url = f"/rounds/console/listings/{listing.id}/kpis"
    assert "漏检率" in client.get(url).get_data(as_text=True)
    rows = {
        "kpis-0-indicator": "漏检率",
        "kpis-0-target": "1.8",
        "kpis-0-direction": "down",
        "kpis-1-indicator": "检测速度",
        "kpis-1-target": "60",
        "kpis-1-unit": "米/分钟",
        "kpis-1-direction": "up",
    }
    assert client.post(url, data=rows).status_code == 302
    db.session.refresh(listing)
    assert [(k.indicator, k.target) for k in listing.kpis] == [("漏检率", 1.8), ("检测速度", 60.0)]
    at(OPENS + timedelta(hours=1))
    stageflow.tick()
    assert client.post(url, data=rows).status_code == 422


def test_attachments_download_only_for_those_who_see_the_application(client, app_ctx):
    organiser = make_user(role="organiser")
    at(OPENS - timedelta(days=1))
    listing = make_listing(organiser, make_round(organiser))
    _org, lead, offering = make_vendor()
    login(client, lead.email)
    data = {
        "offering_id": str(offering.id),
        "approach": "方案",
        "attachments": (io.BytesIO(b"%PDF-1.4 test"), "技术方案.pdf"),
    }
    response = client.post(
        f"/rounds/listings/{listing.id}/apply", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    application = db.session.query(Application).one()
    page = client.get(f"/rounds/applications/{application.id}").get_data(as_text=True)
    [link] = re.findall(r'href="(/rounds/applications/\d+/files/\d+)"', page)
    assert client.get(link).data.startswith(b"%PDF")
    logout(client)
    _other_org, other, _offering = make_vendor()
    login(client, other.email)
    assert client.get(link).status_code == 404


def test_a_confidential_need_keeps_its_owner_anonymous_on_the_listing(client, app_ctx):
    organiser = make_user(role="organiser")
    factory = make_org("factory", name="保密纺织有限公司")
    need = make_need(factory, status="published", confidentiality="summary_only")
    listing = make_listing(organiser, make_round(organiser), [need])
    page = client.get(f"/rounds/listings/{listing.id}").get_data(as_text=True)
    assert "保密纺织有限公司" not in page and need.anonymous_owner_name in page


def test_my_applications_link_the_award(client, app_ctx):
    scene = awarded()
    login(client, scene["leads"][0].email)
    page = client.get("/rounds/mine").get_data(as_text=True)
    assert f"/rounds/awards/{scene['award'].id}" in page


def test_pages_in_english(client, app_ctx):
    scene = awarded()
    login(client, scene["organiser"].email)
    client.get("/lang/en")
    refresh()  # the test's app context shares `g`, where Flask-Babel caches the locale
    listing = scene["listing"]
    page = client.get(f"/rounds/console/listings/{listing.id}").get_data(as_text=True)
    assert "Winners and vouchers" in page and "Awarded" in page
    assert "Results publicity" in client.get(f"/rounds/listings/{listing.id}").get_data(
        as_text=True
    )
