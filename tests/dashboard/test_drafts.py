"""Drafts organisers created for factories (survey imports): visible to organisers (a factory's
own drafts are not), submitted on the factory's behalf, or handed over to the factory."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from matchmaker.competitions import audit
from matchmaker.errors import NotAllowed
from matchmaker.extensions import db
from matchmaker.needs import access, approval, services
from matchmaker.notifications.models import Notification
from tests.factories import login, make_need, make_org, make_user


@pytest.fixture
def world(app_ctx):
    organiser = make_user(role="organiser")
    factory = make_org("factory")
    member = make_user(factory)
    imported = make_need(factory, status="draft", author=organiser, title="导入的草稿")
    own = make_need(factory, status="draft", author=member, title="企业自己的草稿")
    return {"organiser": organiser, "member": member, "imported": imported, "own": own}


def test_organisers_see_imported_drafts_only(world):
    organiser = world["organiser"]
    assert access.can_see(organiser, world["imported"])
    assert not access.can_see(organiser, world["own"])
    assert access.actions_for(organiser, world["imported"]) == ["submit"]
    assert "submit" not in access.actions_for(organiser, world["own"])


def test_organiser_submits_an_imported_draft_then_approves_it(world):
    organiser, imported = world["organiser"], world["imported"]
    services.submit_need(organiser, imported)
    assert imported.status == "submitted"
    approval.approve_need(organiser, imported)
    assert imported.status == "published"
    with pytest.raises(NotAllowed):
        services.submit_need(organiser, world["own"])
    assert world["own"].status == "draft"


def test_drafts_page_lists_and_links_imported_drafts(client, world):
    login(client, world["organiser"].email)
    page = client.get("/console/drafts").get_data(as_text=True)
    assert f'href="/needs/{world["imported"].id}"' in page
    assert f'href="/needs/{world["own"].id}"' not in page
    detail = client.get(f"/needs/{world['imported'].id}")
    assert detail.status_code == 200 and "导入的草稿" in detail.get_data(as_text=True)
    assert client.get(f"/needs/{world['own'].id}").status_code == 404


def test_hand_over_notifies_the_factory_and_is_audited(client, world):
    login(client, world["organiser"].email)
    imported = world["imported"]
    response = client.post(f"/console/drafts/{imported.id}/hand-over")
    assert response.status_code == 302
    [note] = db.session.scalars(select(Notification)).all()
    assert note.user_id == world["member"].id and note.link == f"/needs/{imported.id}"
    assert [e.action for e in audit.entries("needs", imported.id)] == ["need.hand_over"]


def test_hand_over_refused_for_others_drafts_and_factories_without_members(client, world):
    login(client, world["organiser"].email)
    refused = client.post(f"/console/drafts/{world['own'].id}/hand-over")
    assert refused.status_code == 409 and "只能移交主办方导入的草稿" in refused.get_data(
        as_text=True
    )
    lonely = make_need(make_org("factory"), status="draft", author=world["organiser"])
    nobody = client.post(f"/console/drafts/{lonely.id}/hand-over")
    assert nobody.status_code == 422 and "代为提交审核" in nobody.get_data(as_text=True)
    assert client.post("/console/drafts/999999/hand-over").status_code == 404
    assert db.session.scalar(select(Notification.id)) is None
