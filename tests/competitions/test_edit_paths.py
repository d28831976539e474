"""Every form of the rounds walked through its edit path, as a browser would: open the edit
page, send back exactly what it shows (then a change), and the save must succeed. A form
that cannot succeed must say why on the page (no 422 without a message)."""

from __future__ import annotations

from datetime import timedelta

from matchmaker.competitions import applications, panel
from matchmaker.extensions import db
from tests.competitions.builders import (
    OPENS,
    SHEET,
    application_data,
    at,
    make_listing,
    make_round,
    make_vendor,
    reviewed,
)
from tests.competitions.formwalk import form_with
from tests.competitions.test_races import open_round
from tests.factories import login, make_offering, make_user


def _draft(listing):
    org, lead, offering = make_vendor()
    draft = applications.start_application(lead, listing, offering, application_data(listing))
    return org, lead, offering, draft


def test_application_edit_page_saves_what_it_shows(client, app_ctx):
    _round, (listing,) = open_round(1)
    _org, lead, offering, draft = _draft(listing)
    login(client, lead.email)
    url = f"/rounds/applications/{draft.id}/edit"
    form = form_with(client.get(url).get_data(as_text=True), "approach")
    assert form.data()["offering_id"] == str(offering.id)
    unchanged = client.post(url, data=form.data())
    assert unchanged.status_code == 302, unchanged.get_data(as_text=True)
    changed = client.post(url, data=form.data(approach="改进后的技术方案", price="70"))
    assert changed.status_code == 302, changed.get_data(as_text=True)
    db.session.refresh(draft)
    assert draft.approach == "改进后的技术方案" and str(draft.price) == "70.00"
    assert [m.title for m in draft.milestones] == ["数据采集与标注", "模型上线试运行"]
    assert {c.listing_kpi_id for c in draft.commitments} == {k.id for k in listing.kpis}


def test_application_edit_can_move_the_draft_to_another_offering(client, app_ctx):
    _round, (listing,) = open_round(1)
    org, lead, _offering, draft = _draft(listing)
    other = make_offering(org, status="published", title="另一套方案")
    login(client, lead.email)
    url = f"/rounds/applications/{draft.id}/edit"
    form = form_with(client.get(url).get_data(as_text=True), "approach")
    assert client.post(url, data=form.data(offering_id=str(other.id))).status_code == 302
    db.session.refresh(draft)
    assert draft.offering_id == other.id


def test_errors_of_rows_and_of_the_whole_form_are_on_the_page(client, app_ctx):
    _round, (listing,) = open_round(1)
    _org, lead, _offering, draft = _draft(listing)
    login(client, lead.email)
    url = f"/rounds/applications/{draft.id}/edit"
    form = form_with(client.get(url).get_data(as_text=True), "approach")
    response = client.post(url, data=form.data(**{"milestones-1-due_date": "2025-02-30"}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "第 2 行「完成日期」" in page
    assert 'value="2025-02-30"' in page  # what was typed stays


def test_apply_page_saves_what_it_shows_once_filled(client, app_ctx):
    _round, (listing,) = open_round(1)
    _org, lead, offering = make_vendor()
    login(client, lead.email)
    url = f"/rounds/listings/{listing.id}/apply"
    form = form_with(client.get(url).get_data(as_text=True), "approach")
    kpi = listing.kpis[0]
    data = form.data(
        approach="边缘部署视觉检测",
        **{"commitments-0-committed": f"{kpi.target:g}"},
    )
    response = client.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    edit = client.get(response.headers["Location"].replace("/applications/", "/applications/"))
    assert edit.status_code == 200


def test_kpis_edit_page_saves_what_it_shows(client, app_ctx):
    organiser = make_user(role="organiser")
    at(OPENS - timedelta(days=1))
    listing = make_listing(organiser, make_round(organiser))
    login(client, organiser.email)
    url = f"/rounds/console/listings/{listing.id}/kpis"
    form = form_with(client.get(url).get_data(as_text=True), "kpis-0-indicator")
    response = client.post(url, data=form.data())
    assert response.status_code == 302, response.get_data(as_text=True)
    changed = client.post(url, data=form.data(**{"kpis-0-target": "1.5"}))
    assert changed.status_code == 302
    db.session.refresh(listing)
    assert listing.kpis[0].target == 1.5


def test_score_sheet_saved_then_reopened_and_submitted(client, app_ctx):
    scene = reviewed(n_apps=1, n_experts=0)
    expert = make_user(role="expert")
    panel.assign_expert(scene["organiser"], scene["listing"], expert)
    app = scene["apps"][0]
    panel.save_sheet(expert, app, SHEET, {"technical": "方案可行"}, submit=False)
    login(client, expert.email)
    url = f"/rounds/reviews/applications/{app.id}"
    form = form_with(client.get(url).get_data(as_text=True), "score_technical")
    assert form.data()["comment_technical"] == "方案可行"
    assert client.post(url, data=form.data(button="save")).status_code == 302
    assert client.post(url, data=form.data(button="submit")).status_code == 302
    assert panel.sheet_of(expert, app).submitted_at is not None
