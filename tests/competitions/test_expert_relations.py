"""专家库: relations an organiser records for an expert (besides those the expert declares),
counted exactly like declared ones; and experts whose invitation is pending are not assignable."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from matchmaker.competitions import experts, panel
from matchmaker.competitions.access import assignment_of
from matchmaker.competitions.models import AuditEntry, ExpertRelation
from matchmaker.errors import NotAllowed, ValidationFailed
from matchmaker.extensions import db
from tests.factories import login, make_need, make_org, make_user

from .builders import OPENS, at, make_listing, make_round

pytestmark = pytest.mark.usefixtures("app_ctx")

SPOUSE = "配偶任职于该企业"


def _listing(organiser, factory=None, title="坯布疵点视觉检测"):
    at(OPENS - timedelta(days=1))
    factory = factory or make_org("factory")
    need = make_need(factory, status="published", title=title)
    return factory, make_listing(organiser, make_round(organiser), [need], title=title)


def _relations(expert) -> list[ExpertRelation]:
    return list(
        db.session.scalars(sa.select(ExpertRelation).where(ExpertRelation.expert_id == expert.id))
    )


def _page(client, path: str) -> str:
    return client.get(path).get_data(as_text=True)


def test_a_recorded_relation_blocks_assignment_and_removing_it_unblocks(app):
    organiser = make_user(role="organiser", name="李组织")
    factory, listing = _listing(organiser)
    expert = make_user(role="expert", name="王专家")

    done = experts.record_relation(organiser, expert, experts.organisation_label(factory), SPOUSE)
    assert done.added and done.relation.recorded and done.relation.recorded_by_id == organiser.id
    assert done.conflicted == []  # not assigned anywhere yet
    row = next(r for r in experts.suggest_experts(listing) if r.profile.user_id == expert.id)
    assert row.conflicts == [f"组织方登记了专家与{factory.name}的关联关系"]
    with pytest.raises(ValidationFailed, match="组织方登记了专家与"):
        panel.assign_expert(organiser, listing, expert)

    client = app.test_client()
    login(client, organiser.email)
    page = _page(client, f"/rounds/console/listings/{listing.id}")
    row_html = page[page.index(f'id="suggestion-{expert.id}"') :].split("</tr>")[0]
    assert "利益冲突" in row_html and "指派</button>" not in row_html
    client.post(f"/rounds/console/listings/{listing.id}/experts", data={"expert_id": expert.id})
    assert assignment_of(expert, listing) is None

    response = client.post(f"/rounds/console/experts/{expert.id}/relations/{factory.id}/remove")
    assert response.status_code == 302 and _relations(expert) == []
    again = client.post(f"/rounds/console/experts/{expert.id}/relations/{factory.id}/remove")
    assert again.status_code == 302  # a second click: nothing left to remove, no error
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id))
    assert [a for a in actions if a.endswith("_relation")] == ["record_relation", "remove_relation"]
    panel.assign_expert(organiser, listing, expert)
    assert assignment_of(expert, listing) is not None


def test_recording_through_the_page_is_idempotent_whatever_the_kind(app):
    organiser = make_user(role="organiser")
    vendor = make_org("vendor", name="甲视觉科技")
    declared = make_org("vendor", name="乙智能装备")
    expert = make_user(role="expert", name="赵专家")
    panel.declare_relation(expert, declared.credit_code, "曾任技术顾问")
    client = app.test_client()
    login(client, organiser.email)
    url = f"/rounds/console/experts/{expert.id}/relations"
    form = {"relation-organisation": experts.organisation_label(vendor), "relation-note": SPOUSE}

    first = client.post(url, data=form, follow_redirects=True)
    second = client.post(url, data=form, follow_redirects=True)
    assert first.status_code == second.status_code == 200
    assert "已登记与甲视觉科技的关联关系" in first.get_data(as_text=True)
    assert "已在记录中（组织方登记）" in second.get_data(as_text=True)
    by_name = client.post(
        url, data={"relation-organisation": "乙智能装备", "relation-note": "另一说明"},
        follow_redirects=True,
    )  # fmt: skip
    assert "已在记录中（专家申报）" in by_name.get_data(as_text=True)
    relations = {r.organisation.name: r for r in _relations(expert)}
    assert set(relations) == {"甲视觉科技", "乙智能装备"}
    assert relations["乙智能装备"].note == "曾任技术顾问" and not relations["乙智能装备"].recorded
    # The organiser cannot remove what the expert declared.
    client.post(f"/rounds/console/experts/{expert.id}/relations/{declared.id}/remove")
    assert len(_relations(expert)) == 2
    # The expert page and the pool say which kind each one is.
    page = _page(client, f"/rounds/console/experts/{expert.id}")
    assert "组织方登记" in page and "专家申报" in page and SPOUSE in page
    assert experts.organisation_label(vendor) in page  # the picker's list
    pool = _page(client, "/rounds/console/experts")
    row = pool[pool.index(f'id="expert-{expert.id}"') :].split("</tr>")[0]
    assert "甲视觉科技" in row and "组织方登记" in row and "专家申报" in row


def test_an_expert_declaring_a_recorded_relation_again_gets_no_duplicate(app):
    organiser = make_user(role="organiser")
    vendor = make_org("vendor")
    expert = make_user(role="expert")
    experts.record_relation(organiser, expert, vendor.credit_code, SPOUSE)
    relation, added = panel.declare_relation(expert, vendor.credit_code, "本人申报")
    assert not added and relation.recorded and len(_relations(expert)) == 1


def test_a_missing_note_or_unknown_organisation_answers_422_with_the_input_kept(app):
    organiser = make_user(role="organiser")
    make_org("vendor", name="丙数据服务")
    pending = make_org("vendor", approved=False, name="丁待审企业")
    expert = make_user(role="expert")
    client = app.test_client()
    login(client, organiser.email)
    url = f"/rounds/console/experts/{expert.id}/relations"

    response = client.post(url, data={"relation-organisation": "丙数据服务", "relation-note": " "})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请写明关联关系" in page and 'value="丙数据服务"' in page
    response = client.post(
        url, data={"relation-organisation": pending.name, "relation-note": SPOUSE}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "未找到该单位" in page and f'value="{SPOUSE}"' in page
    assert _relations(expert) == []
    with pytest.raises(ValidationFailed) as caught:
        experts.record_relation(organiser, expert, "没有这家", "")
    assert set(caught.value.fields) == {"organisation", "note"}


def test_only_organisers_record_or_remove_relations(app):
    vendor = make_org("vendor")
    expert = make_user(role="expert")
    other = make_user(role="expert")
    factory_user = make_user(make_org("factory"))
    with pytest.raises(NotAllowed):
        experts.record_relation(other, expert, vendor.credit_code, SPOUSE)
    for user in (other, factory_user):
        client = app.test_client()
        login(client, user.email)
        form = {"relation-organisation": vendor.credit_code, "relation-note": SPOUSE}
        assert (
            client.post(f"/rounds/console/experts/{expert.id}/relations", data=form).status_code
            == 403
        )
        url = f"/rounds/console/experts/{expert.id}/relations/{vendor.id}/remove"
        assert client.post(url).status_code == 403
    assert _relations(expert) == []


def test_the_expert_sees_the_relation_recorded_for_them(app):
    organiser = make_user(role="organiser")
    vendor = make_org("vendor", name="戊机器人")
    expert = make_user(role="expert")
    experts.record_relation(organiser, expert, vendor.credit_code, SPOUSE)
    client = app.test_client()
    login(client, expert.email)
    page = _page(client, "/rounds/reviews")
    assert "戊机器人" in page and SPOUSE in page and "组织方登记" in page


def test_recording_lists_the_assignments_it_now_conflicts_with(app):
    organiser = make_user(role="organiser")
    factory, listing = _listing(organiser, title="染色配方优化")
    _other_factory, unrelated = _listing(organiser, title="仓储排产")
    expert = make_user(role="expert")
    panel.assign_expert(organiser, listing, expert)
    panel.assign_expert(organiser, unrelated, expert)

    done = experts.record_relation(organiser, expert, factory.credit_code, SPOUSE)
    assert [a.listing_id for a, _reasons in done.conflicted] == [listing.id]
    assert assignment_of(expert, listing).active  # not recused silently

    client = app.test_client()
    login(client, organiser.email)
    response = client.post(
        f"/rounds/console/experts/{expert.id}/relations",
        data={"relation-organisation": factory.credit_code, "relation-note": SPOUSE},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "已在记录中" in page and "调整指派" in page
    conflicts = page[page.index('id="relation-conflicts"') :].split("</section>")[0]
    assert "染色配方优化" in conflicts and "仓储排产" not in conflicts
    assert f"/rounds/console/listings/{listing.id}" in conflicts


def test_an_expert_who_has_not_accepted_the_invitation_is_not_assignable(app):
    organiser = make_user(role="organiser")
    _factory, listing = _listing(organiser)
    invited = experts.invite_expert(
        organiser,
        "wu@example.com",
        experts.ProfileData(name="吴教授", expertise="坯布疵点视觉检测"),
    ).user
    with pytest.raises(ValidationFailed, match="该专家尚未接受邀请，接受后方可指派"):
        panel.assign_expert(organiser, listing, invited)

    client = app.test_client()
    login(client, organiser.email)
    page = _page(client, f"/rounds/console/listings/{listing.id}")
    row = page[page.index(f'id="suggestion-{invited.id}"') :].split("</tr>")[0]
    assert "待接受邀请" in row and "指派</button>" not in row
    select = page[page.index('name="expert_id"') :].split("</select>")[0]
    assert "吴教授" not in select
    response = client.post(
        f"/rounds/console/listings/{listing.id}/experts",
        data={"expert_id": invited.id},
        follow_redirects=True,
    )
    assert "该专家尚未接受邀请" in response.get_data(as_text=True)
    assert assignment_of(invited, listing) is None

    profile = experts.profile_of(invited)
    profile.accepted_at = profile.invited_at
    db.session.commit()
    panel.assign_expert(organiser, listing, invited)
    assert assignment_of(invited, listing) is not None
