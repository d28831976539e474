"""Concurrent and repeated writes in the 揭榜 flow: the per-round lead cap (at start and at
submit), the double-submitted apply form, the double NDA accept.

On PostgreSQL the two requests run in threads at once, and a barrier holds each of them just
after its check until the other has made its own, so the race is forced, not left to luck
(with the fix the second request waits on the row lock instead, and the barrier times out).
On SQLite, which serialises writers, the same requests run one after the other.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import timedelta

from sqlalchemy import func, select

from matchmaker.competitions import applications, caps, stageflow
from matchmaker.extensions import db
from matchmaker.needs import engagement
from matchmaker.needs.models import NdaAcceptance
from tests.competitions.builders import (
    OPENS,
    application_data,
    at,
    make_listing,
    make_round,
    make_vendor,
)
from tests.factories import login, make_need, make_user

HOLD_SECONDS = 1.5


def _on_postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def run_together(*calls):
    """Run the calls at once in threads (PostgreSQL) or in turn (SQLite); their results."""
    if not _on_postgres():
        return [call() for call in calls]
    results: list = [None] * len(calls)
    failures: list[BaseException] = []

    def worker(i, call):
        try:
            results[i] = call()
        except BaseException as err:  # noqa: BLE001  (re-raised in the test's thread)
            failures.append(err)

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    if failures:
        raise failures[0]
    return results


def hold_after(monkeypatch, module, name: str, parties: int = 2) -> None:
    """On PostgreSQL: each call of `module.name` waits, once done, for the other request's."""
    if not _on_postgres():
        return
    barrier = threading.Barrier(parties, timeout=HOLD_SECONDS)
    original = getattr(module, name)

    def held(*args, **kwargs):
        result = original(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return result

    monkeypatch.setattr(module, name, held)


def logged_in(app, email: str):
    client = app.test_client()
    login(client, email)
    return client


def post(client, url: str, data=None):
    def call():
        response = client.post(url, data=data or {})
        return response.status_code, response.get_data(as_text=True)

    return call


def open_round(n_listings: int = 1, **round_overrides):
    organiser = make_user(role="organiser")
    at(OPENS - timedelta(days=1))
    round_ = make_round(organiser, **round_overrides)
    listings = [make_listing(organiser, round_, title=f"榜单{i}") for i in range(1, n_listings + 1)]
    at(OPENS + timedelta(hours=1))
    stageflow.tick()
    return round_, listings


def form_data(listing, offering) -> dict:
    data = {
        "offering_id": str(offering.id),
        "approach": "边缘部署视觉检测",
        "price": "40",
        "milestones-0-title": "试运行",
        "milestones-0-due_date": "2025-06-01",
        "rights_declared": "y",
    }
    for i, kpi in enumerate(listing.kpis):
        data[f"commitments-{i}-kpi_id"] = str(kpi.id)
        data[f"commitments-{i}-committed"] = f"{kpi.target:g}"
    return data


def count_applications(org_id: int, status: str | None = None) -> int:
    db.session.expire_all()
    query = select(func.count()).select_from(applications.Application)
    query = query.where(applications.Application.organisation_id == org_id)
    if status:
        query = query.where(applications.Application.status == status)
    return db.session.scalar(query)


def test_two_applications_at_once_respect_the_lead_cap(app, app_ctx, monkeypatch):
    _round, (first, second) = open_round(2, max_leads=1)
    org, lead, offering = make_vendor()
    one, two = logged_in(app, lead.email), logged_in(app, lead.email)
    db.session.commit()
    hold_after(monkeypatch, caps, "leads_in_round")
    results = run_together(
        post(one, f"/rounds/listings/{first.id}/apply", form_data(first, offering)),
        post(two, f"/rounds/listings/{second.id}/apply", form_data(second, offering)),
    )
    statuses = sorted(status for status, _html in results)
    assert statuses == [302, 422], statuses
    refused = next(html for status, html in results if status == 422)
    assert "本批次每家单位最多牵头揭榜 1 个榜单" in refused
    assert count_applications(org.id) == 1


def test_two_submits_at_once_respect_the_lead_cap(app, app_ctx, monkeypatch):
    """Two drafts (the organiser lowered the cap to 1 after they were started) submitted at
    once: exactly one is submitted, the other is refused with the reason."""
    round_, listings = open_round(2, max_leads=2)
    org, lead, offering = make_vendor()
    drafts = [
        applications.start_application(lead, listing, offering, application_data(listing))
        for listing in listings
    ]
    round_.max_leads = 1
    db.session.commit()
    one, two = logged_in(app, lead.email), logged_in(app, lead.email)
    db.session.commit()
    hold_after(monkeypatch, caps, "leads_in_round")
    results = run_together(
        *(
            post(c, f"/rounds/applications/{d.id}/submit")
            for c, d in zip((one, two), drafts, strict=True)
        )
    )
    assert count_applications(org.id, "submitted") == 1
    refused = [(status, html) for status, html in results if status in (409, 422)]
    assert len(refused) == 1, [status for status, _html in results]
    assert "本批次每家单位最多牵头揭榜 1 个榜单" in refused[0][1]


def test_the_apply_form_sent_twice_makes_one_application(app, app_ctx, monkeypatch):
    _round, (listing,) = open_round(1)
    org, lead, offering = make_vendor()
    one, two = logged_in(app, lead.email), logged_in(app, lead.email)
    db.session.commit()
    hold_after(monkeypatch, caps, "leads_in_round")
    data = form_data(listing, offering)
    url = f"/rounds/listings/{listing.id}/apply"
    results = run_together(post(one, url, data), post(two, url, data))
    assert all(200 <= status < 400 for status, _html in results), [s for s, _h in results]
    assert count_applications(org.id) == 1
    application = db.session.scalar(select(applications.Application))
    assert application.approach == "边缘部署视觉检测"


def test_the_nda_accepted_twice_at_once_is_one_acceptance(app, app_ctx, monkeypatch):
    need = make_need(status="published", confidentiality="summary_only")
    _org, lead, _offering = make_vendor()
    one, two = logged_in(app, lead.email), logged_in(app, lead.email)
    db.session.commit()
    hold_after(monkeypatch, engagement, "_org_row")
    url = f"/needs/{need.id}/nda"
    results = run_together(post(one, url), post(two, url))
    assert all(200 <= status < 400 for status, _html in results), [s for s, _h in results]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(NdaAcceptance)) == 1


def test_a_first_score_sheet_saved_twice_at_once_is_one_sheet(app, app_ctx, monkeypatch):
    """An expert's double click on 保存 of a sheet not yet saved (found by `make loadtest`:
    the second insert broke the unique sheet per application and expert, a 500)."""
    from matchmaker.competitions import panel
    from matchmaker.competitions.models import ScoreSheet
    from tests.competitions.builders import reviewed

    world = reviewed(n_apps=1, n_experts=0)
    expert = make_user(role="expert")
    panel.assign_expert(world["organiser"], world["listing"], expert)
    [application] = world["apps"]
    one, two = logged_in(app, expert.email), logged_in(app, expert.email)
    db.session.commit()
    hold_after(monkeypatch, panel, "sheet_of")
    url = f"/rounds/reviews/applications/{application.id}"
    form = {"save": "", "score_technical": "7", "comment_technical": "方案可行"}
    results = run_together(post(one, url, form), post(two, url, form))
    assert [status for status, _html in results] == [302, 302]
    db.session.expire_all()
    sheets = db.session.scalars(select(ScoreSheet)).all()
    assert len(sheets) == 1
    assert sheets[0].scores == {"technical": 7.0} and sheets[0].submitted_at is None
