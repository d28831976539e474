"""Near-duplicate clusters and merging them (tiny deterministic encoder)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from matchmaker.competitions import audit
from matchmaker.dashboard import duplicates
from matchmaker.errors import InvalidTransition, ValidationFailed
from matchmaker.extensions import db
from matchmaker.needs import engagement
from matchmaker.notifications.models import Notification
from matchmaker.search.app import service
from tests.factories import ensure_taxonomy, login, make_need, make_org, make_user
from tests.search_wiring import index_now, search_index  # noqa: F401  (fixture)


@pytest.fixture
def world(app_ctx, search_index):  # noqa: F811
    t001, _t002, t003 = ensure_taxonomy()
    owners = [make_user(make_org("factory")) for _ in range(3)]
    first = make_need(owners[0].organisation, status="published", template=t001)
    second = make_need(owners[1].organisation, status="published", template=t001)
    other = make_need(
        owners[2].organisation,
        status="published",
        template=t003,
        title="染料配方智能配比",
        goal="根据来样颜色推荐染料配方，减少打样次数。",
        pain_point="打样次数多，配色师傅经验难传承。",
        current_process="人工配色。",
        data_volume="",
    )
    for need in (first, second, other):
        index_now("need", need)
    return {"needs": (first, second, other), "owners": owners, "org": make_user(role="organiser")}


def test_clusters_group_the_near_duplicates_only(world):
    first, second, _other = world["needs"]
    [cluster] = duplicates.clusters()
    assert sorted(cluster.ids) == [first.id, second.id]
    assert all(m.similarity > 0.95 for m in cluster.members)


def test_merge_closes_links_notifies_audits_and_leaves_the_index(world):
    first, second, other = world["needs"]
    merged = duplicates.merge_needs(world["org"], first.id, [first.id, second.id])
    assert merged == [second]
    db.session.expire_all()
    assert second.status == "closed" and second.merged_into_id == first.id
    assert first.status == "published" and first.co_demanders == [second.owner]
    assert service.stored_document("need", second.id) is None
    assert service.stored_document("need", first.id) is not None
    assert second.reviews[0].action == "close" and f"#{first.id}" in second.reviews[0].comment
    [entry] = audit.entries("needs", first.id)
    assert entry.action == "need.merge" and entry.after == {"merged": [second.id]}
    notified = set(db.session.scalars(select(Notification.user_id)))
    assert notified == {world["owners"][0].id, world["owners"][1].id}
    assert duplicates.clusters() == []
    # the same merge again changes nothing
    assert duplicates.merge_needs(world["org"], first.id, [first.id, second.id]) == []
    assert len(audit.entries("needs", first.id)) == 1


def test_followers_of_a_merged_need_are_sent_on_to_the_primary(world):
    first, second, _other = world["needs"]
    follower = make_user(make_org("vendor"))
    engagement.follow_need(follower, second)
    db.session.commit()
    duplicates.merge_needs(world["org"], first.id, [first.id, second.id])
    [told] = db.session.scalars(select(Notification).where(Notification.user_id == follower.id))
    assert "已与相同需求合并" in told.title and first.title in told.body
    assert told.link.endswith(f"/needs/{first.id}")


def test_bad_merges_are_refused_without_changes(world):
    first, second, other = world["needs"]
    org = world["org"]
    with pytest.raises(ValidationFailed):
        duplicates.merge_needs(org, first.id, [first.id])  # into itself
    with pytest.raises(ValidationFailed):
        duplicates.merge_needs(org, first.id, [second.id])  # primary not in the group
    with pytest.raises(ValidationFailed):
        duplicates.merge_needs(org, first.id, [first.id, other.id])  # not a duplicate
    with pytest.raises(ValidationFailed):
        duplicates.merge_needs(org, first.id, [first.id, 999_999])
    duplicates.merge_needs(org, first.id, [first.id, second.id])
    with pytest.raises(InvalidTransition):
        duplicates.merge_needs(org, second.id, [first.id, second.id])  # second is merged
    db.session.expire_all()
    assert other.status == "published" and other.merged_into_id is None


def test_failure_inside_the_merge_rolls_everything_back(world, monkeypatch):
    first, second, _other = world["needs"]

    def broken(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(duplicates.audit, "record", broken)
    with pytest.raises(RuntimeError):
        duplicates.merge_needs(world["org"], first.id, [first.id, second.id])
    db.session.rollback()
    db.session.expire_all()
    assert second.status == "published" and second.merged_into_id is None
    assert db.session.scalar(select(Notification.id)) is None


def test_merge_page_flow_and_merged_need_redirects(world, client):
    first, second, _other = world["needs"]
    login(client, world["org"].email)
    page = client.get("/console/duplicates").get_data(as_text=True)
    members = f"{min(first.id, second.id)},{max(first.id, second.id)}"
    assert f'value="{members}"' in page and 'name="csrf_token"' in page
    response = client.post("/console/duplicates/merge", data={"members": members})
    assert response.status_code == 422 and "请选择主需求" in response.get_data(as_text=True)
    bad = client.post(
        "/console/duplicates/merge", data={"members": str(first.id), "primary": first.id}
    )
    assert bad.status_code == 422 and "不能把需求合并到它自己" in bad.get_data(as_text=True)
    ok = client.post("/console/duplicates/merge", data={"members": members, "primary": first.id})
    assert ok.status_code == 302
    again = client.post("/console/duplicates/merge", data={"members": members, "primary": first.id})
    assert again.status_code == 302
    # the merged need shows a notice to organisers and redirects others to the primary
    notice = client.get(f"/needs/{second.id}").get_data(as_text=True)
    assert f'href="/needs/{first.id}"' in notice and "已合并至" in notice
    client.post("/logout")
    visitor = client.get(f"/needs/{second.id}")
    assert visitor.status_code == 302 and visitor.headers["Location"].endswith(f"/needs/{first.id}")
    login(client, world["owners"][0].email)  # the primary's owner sees the co-demander
    primary = client.get(f"/needs/{first.id}").get_data(as_text=True)
    assert "联合需求方" in primary and second.owner.name in primary


def test_merge_goes_through_a_confirmation_that_names_the_companies(world, client):
    first, second, _other = world["needs"]
    login(client, world["org"].email)
    page = client.get("/console/duplicates").get_data(as_text=True)
    form = re.search(
        r'<form method="post" action="/console/duplicates/merge">.*?</form>', page, re.S
    )
    opener = re.search(
        r'<button type="button"[^>]*data-bs-toggle="modal"[^>]*>合并到所选主需求', form[0]
    )
    assert opener, "the merge button opens the confirmation instead of submitting"
    dialog = form[0][form[0].index('class="modal fade') :]
    assert "本组其余 1 条需求关闭并指向主需求" in dialog
    assert first.owner.name in dialog and second.owner.name in dialog
    assert re.search(r'<button type="submit"[^>]*>确认合并</button>', dialog)


def test_clusters_are_paged_and_computed_once_per_index_version(client, world, monkeypatch):
    first, second, other = world["needs"]
    t001 = first.template
    third = make_need(status="published", template=other.template, title=other.title,
                      goal=other.goal, pain_point=other.pain_point,
                      current_process=other.current_process, data_volume="")  # fmt: skip
    index_now("need", third)
    assert len(duplicates.clusters()) == 2 and t001 is not None
    one = duplicates.clusters_page(1, per_page=1)
    two = duplicates.clusters_page(2, per_page=1)
    assert one.total == two.total == 2 and one.pages == 2
    assert {tuple(sorted(c.ids)) for c in one.items + two.items} == {
        tuple(sorted((first.id, second.id))),
        tuple(sorted((other.id, third.id))),
    }
    assert duplicates.clusters_page(99, per_page=1).page == 2  # clamped to the last page

    calls = []
    real = service._scored_clusters
    monkeypatch.setattr(service, "_scored_clusters", lambda *a: calls.append(1) or real(*a))
    login(client, world["org"].email)
    for number in ("1", "2", "x"):
        assert client.get(f"/console/duplicates?page={number}").status_code == 200
    assert calls == []  # the clusters of this index version were computed already
    page = client.get("/console/duplicates").get_data(as_text=True)
    assert "共 2 组" in page
    index_now("need", make_need(status="published", template=t001, title="另一条需求"))
    client.get("/console/duplicates")
    assert calls == [1]  # the index moved: computed again, once
