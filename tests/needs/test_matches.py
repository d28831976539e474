"""The need side of matching: indexing after approve / edit / withdraw / close, and the owner's
"推荐揭榜方" panel with ranked, explained offerings."""

from __future__ import annotations

import pytest

from matchmaker.needs import approval, services
from matchmaker.search.app import service
from tests.factories import ensure_taxonomy, login, make_need, make_offering, make_org, make_user
from tests.search_wiring import index_now, search_index  # noqa: F401  (fixture)


@pytest.fixture
def world(app_ctx, search_index):  # noqa: F811
    templates = ensure_taxonomy()
    owner = make_user(make_org("factory"))
    organiser = make_user(role="organiser")
    return templates, owner, organiser


def _offerings(templates):
    vision = make_offering(
        status="published",
        title="坯布疵点视觉检测系统",
        summary="验布机加装线阵相机，自动识别坯布疵点，漏检率低于 1%。",
        templates=[templates[0]],
    )
    other = make_offering(
        status="published",
        title="染料配方智能配比",
        summary="根据来样颜色推荐染料配方，减少打样次数。",
        templates=[templates[2]],
    )
    for offering in (vision, other):
        index_now("offering", offering)
    return vision, other


def _submitted_need(owner, templates):
    return make_need(owner.organisation, status="submitted", template=templates[0])


def test_approve_indexes_and_withdraw_removes(world):
    templates, owner, organiser = world
    need = _submitted_need(owner, templates)
    assert service.stored_document("need", need.id) is None
    approval.approve_need(organiser, need)
    assert service.stored_document("need", need.id).title == need.title
    services.withdraw_need(owner, need)
    assert service.stored_document("need", need.id) is None


def test_close_removes_and_edit_reindexes(world):
    templates, owner, organiser = world
    need = _submitted_need(owner, templates)
    approval.approve_need(organiser, need)
    fields = need.as_record() | {"title": "坯布疵点检测（第二版）", "delivery_date": None}
    kpis = [k.as_record() for k in need.kpis]
    services.update_need(owner, need, fields, kpis)
    assert service.stored_document("need", need.id).title == "坯布疵点检测（第二版）"
    services.close_need(owner, need)
    assert service.stored_document("need", need.id) is None


def test_failing_encoder_never_fails_approval(world, search_index):  # noqa: F811
    templates, owner, organiser = world

    def broken(config):
        raise RuntimeError("encoder exploded")

    search_index(broken)
    need = _submitted_need(owner, templates)
    approval.approve_need(organiser, need)
    assert need.status == "published"


def test_owner_sees_relevant_offering_first_with_reasons(world, client):
    templates, owner, organiser = world
    vision, other = _offerings(templates)
    need = _submitted_need(owner, templates)
    approval.approve_need(organiser, need)
    login(client, owner.email)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "推荐揭榜方" in page
    # the other offering is below the calibrated floor (not recommended) or after it
    shown = page.find(f"/solutions/{other.id}")
    assert shown == -1 or page.index(f"/solutions/{vision.id}") < shown
    assert "同一场景模板" in page and "坯布疵点视觉检测" in page
    assert "最相近的表述" in page


def test_keyword_note_when_the_encoder_is_unavailable(world, client, search_index):  # noqa: F811
    from matchmaker.search.core.encoders.base import ModelUnavailable

    templates, owner, organiser = world

    def missing(config):
        raise ModelUnavailable("no model")

    search_index(missing)
    vision, _ = _offerings(templates)
    need = _submitted_need(owner, templates)
    approval.approve_need(organiser, need)
    login(client, owner.email)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "按关键词和场景分类排序" in page and "语义模型" not in page
    assert f"/solutions/{vision.id}" in page


def test_vendor_viewer_gets_no_matches_panel(world, client):
    templates, owner, organiser = world
    _offerings(templates)
    need = _submitted_need(owner, templates)
    approval.approve_need(organiser, need)
    login(client, make_user(make_org("vendor")).email)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "推荐揭榜方" not in page


def test_index_changes_only_after_the_commit_through_the_queue(world, app):
    """The request only queues the indexing job, and only when its transaction commits: a
    rolled-back approval queues nothing; a committed one is indexed when the job runs."""
    from matchmaker import jobs
    from matchmaker.extensions import db
    from matchmaker.needs.services import apply_transition

    templates, owner, organiser = world
    need = _submitted_need(owner, templates)
    with jobs.deferred(app):
        apply_transition(organiser, need, "approve")
        db.session.rollback()
        assert jobs.drain(app) == 0
        approval.approve_need(organiser, need)
        assert service.stored_document("need", need.id) is None  # the request did not index
        jobs.drain(app)  # the indexing job (and the approval's mail)
    assert service.stored_document("need", need.id).title == need.title
    services.withdraw_need(owner, need)  # immediate queue (tests): runs after the commit
    assert service.stored_document("need", need.id) is None


def test_reconcile_indexes_what_a_lost_job_left_out(world, app):
    """A worker killed while indexing loses that job: the periodic reconcile repairs it."""
    from matchmaker import jobs
    from matchmaker.search.app import sync

    templates, owner, organiser = world
    need = _submitted_need(owner, templates)
    with jobs.deferred(app):
        approval.approve_need(organiser, need)  # its indexing job is queued, then lost
    assert service.stored_document("need", need.id) is None
    assert sync.reconcile_index() == 1
    assert service.stored_document("need", need.id).title == need.title
    assert sync.reconcile_index() == 0
