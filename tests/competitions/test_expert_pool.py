"""专家库 (issue 19, item 5): invitations that set the password, profiles, deactivation, and the
assignment page's suggestions with load and conflicts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from matchmaker import clock
from matchmaker.accounts import recovery
from matchmaker.competitions import experts, panel
from matchmaker.competitions.access import assignment_of
from matchmaker.competitions.models import ExpertProfile
from matchmaker.errors import NotAllowed, ValidationFailed
from matchmaker.extensions import db
from matchmaker.notifications.mail import LogTransport
from tests.factories import DEFAULT_PASSWORD, login, make_need, make_org, make_user

from .builders import OPENS, apply, at, make_listing, make_round, make_vendor

pytestmark = pytest.mark.usefixtures("app_ctx")

PASSWORD = "quiet-meadow-47"
LINK = re.compile(r"/rounds/experts/invitation/[\w.\-]+")


@pytest.fixture
def outbox(monkeypatch):
    sent = []
    monkeypatch.setattr(LogTransport, "finish", lambda transport: sent.append(transport._mail))
    return sent


def profile_data(**overrides) -> experts.ProfileData:
    values = {"name": "周教授", "organisation_name": "浙江大学", "expertise": "机器视觉 缺陷检测"}
    values.update(overrides)
    return experts.ProfileData(**values)


def test_an_invitation_mails_a_link_that_sets_the_password_once(app, outbox):
    organiser = make_user(role="organiser")
    profile = experts.invite_expert(organiser, " Zhou@Example.com ", profile_data())
    expert = profile.user
    assert expert.email == "zhou@example.com" and expert.is_expert and profile.pending_invitation
    (mail,) = outbox
    assert mail.to == expert.email and mail.subject == "评审专家邀请"
    link = LINK.search(mail.body).group(0)
    client = app.test_client()
    assert client.get(link).status_code == 200
    weak = client.post(link, data={"new_password": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 422
    done = client.post(link, data={"new_password": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    db.session.refresh(profile)
    assert profile.accepted_at is not None and not profile.pending_invitation
    assert expert.is_email_verified
    again = app.test_client().get(link)
    assert again.status_code == 302 and again.headers["Location"] == "/login"
    login(app.test_client(), expert.email, PASSWORD)


def test_an_invitation_expires(app, outbox):
    organiser = make_user(role="organiser")
    start = clock.now()
    with clock.frozen(start):
        profile = experts.invite_expert(organiser, "wu@example.com", profile_data())
    token = LINK.search(outbox[0].body).group(0).rsplit("/", 1)[1]
    with clock.frozen(start + recovery.INVITE_MAX_AGE + timedelta(minutes=1)):
        assert experts.invited_expert(token) is None
        with pytest.raises(ValidationFailed, match="邀请链接无效或已过期"):
            experts.accept_invitation(token, PASSWORD)
    assert profile.accepted_at is None


def test_a_reset_token_is_not_an_invitation_and_back(app):
    expert = make_user(role="expert")
    assert experts.invited_expert(recovery.password_token(expert)) is None
    invite = recovery.password_token(expert, recovery.INVITE_SALT)
    assert recovery.user_for_password_token(invite) is None


def test_invitation_refusals(app, outbox):
    organiser = make_user(role="organiser")
    taken = make_user(make_org("factory"))
    with pytest.raises(ValidationFailed) as err:
        experts.invite_expert(organiser, taken.email, profile_data(name=" ", availability="x"))
    assert set(err.value.fields) == {"email", "name", "availability"}
    with pytest.raises(NotAllowed):
        experts.invite_expert(taken, "new@example.com", profile_data())
    assert outbox == []


def test_the_invite_form_keeps_the_input_on_errors(app):
    organiser = make_user(role="organiser")
    client = app.test_client()
    login(client, organiser.email)
    response = client.post(
        "/rounds/console/experts", data={"email": "not-an-address", "name": "钱工"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "请输入有效的邮箱地址" in page and "钱工" in page


def test_profile_update_and_deactivation(app):
    organiser = make_user(role="organiser")
    need = make_need(status="published")
    expert = make_user(role="expert")
    experts.update_profile(
        organiser,
        expert,
        profile_data(
            availability="limited",
            availability_note="12 月出差",
            category_ids=[need.category_id],
            industry_ids=[need.industry_id],
        ),
    )
    profile = db.session.get(ExpertProfile, expert.id)
    assert profile.categories == [need.category] and profile.industries == [need.industry]
    assert expert.name == "周教授" and profile.availability == "limited"
    client = app.test_client()
    login(client, organiser.email)
    page = client.get(f"/rounds/console/experts/{expert.id}").get_data(as_text=True)
    assert 'value="周教授"' in page and "12 月出差" in page
    assert re.search(
        rf'value="{need.category_id}"[^>]*checked|checked[^>]*value="{need.category_id}"', page
    )
    with pytest.raises(NotAllowed):
        experts.update_profile(expert, expert, profile_data())
    experts.set_active(organiser, expert, False)
    assert not expert.active
    bad = app.test_client().post(
        "/login", data={"email": expert.email, "password": DEFAULT_PASSWORD}
    )
    assert bad.status_code == 422
    experts.set_active(organiser, expert, True)
    assert expert.active


def _listing_with_needs(organiser):
    at(OPENS - timedelta(days=1))
    factory = make_org("factory")
    need = make_need(
        factory, status="published", title="坯布疵点视觉检测", goal="用机器视觉检测布面缺陷"
    )
    listing = make_listing(organiser, make_round(organiser), [need])
    return factory, need, listing


def test_suggestions_rank_by_fit_show_load_and_mark_conflicts(app):
    organiser = make_user(role="organiser")
    factory, need, listing = _listing_with_needs(organiser)
    vision = make_user(role="expert", name="视觉专家")
    experts.update_profile(
        organiser,
        vision,
        profile_data(
            name="视觉专家",
            expertise="纺织布面疵点的机器视觉检测",
            category_ids=[need.category_id],
            industry_ids=[need.industry_id],
        ),
    )
    finance = make_user(role="expert", name="财务专家")
    experts.update_profile(
        organiser, finance, profile_data(name="财务专家", expertise="企业财务审计 税务")
    )
    away = make_user(role="expert", name="休假专家")
    experts.update_profile(
        organiser, away, profile_data(name="休假专家", availability="unavailable")
    )
    insider = make_user(factory, role="expert", name="厂内专家")  # staff of the listing's owner
    experts.update_profile(organiser, insider, profile_data(name="厂内专家", expertise="机器视觉"))
    other = make_listing(
        organiser, listing.round, [make_need(status="published")], title="其他榜单"
    )
    panel.assign_expert(organiser, other, vision)

    rows = experts.suggest_experts(listing)
    names = [row.profile.user.name for row in rows]
    assert names[0] == "视觉专家" and "休假专家" not in names
    assert names.index("视觉专家") < names.index("财务专家")
    top = rows[0]
    assert top.load == 1 and set(top.matched_fields) == {
        need.category.name_zh,
        need.industry.name_zh,
    }
    conflicted = next(row for row in rows if row.profile.user.name == "厂内专家")
    assert conflicted.conflicts and "榜单发布单位" in conflicted.conflicts[0]
    with pytest.raises(ValidationFailed, match="利益冲突"):
        panel.assign_expert(organiser, listing, insider)

    panel.assign_expert(organiser, listing, vision)
    assert "视觉专家" not in [row.profile.user.name for row in experts.suggest_experts(listing)]
    experts.set_active(organiser, finance, False)
    assert "财务专家" not in [row.profile.user.name for row in experts.suggest_experts(listing)]


def test_a_declared_relation_still_refuses_the_suggested_expert(app):
    organiser = make_user(role="organiser")
    _factory, _need, listing = _listing_with_needs(organiser)
    at(OPENS + timedelta(hours=1))
    from matchmaker.competitions import stageflow

    stageflow.tick()
    vendor_org, lead, offering = make_vendor()
    apply(lead, offering, listing)
    related = make_user(role="expert", name="顾问专家")
    panel.declare_relation(related, vendor_org.credit_code, "曾任技术顾问")
    row = next(r for r in experts.suggest_experts(listing) if r.profile.user_id == related.id)
    assert any("关联关系" in reason for reason in row.conflicts)
    client = app.test_client()
    login(client, organiser.email)
    page = client.get(f"/rounds/console/listings/{listing.id}").get_data(as_text=True)
    assert "推荐专家" in page and "顾问专家" in page and "利益冲突" in page
    client.post(f"/rounds/console/listings/{listing.id}/experts", data={"expert_id": related.id})
    assert assignment_of(related, listing) is None


def test_the_pool_page_lists_experts_with_their_load(app):
    organiser = make_user(role="organiser")
    make_user(role="expert", name="孙专家")
    client = app.test_client()
    login(client, organiser.email)
    page = client.get("/rounds/console/experts").get_data(as_text=True)
    assert "孙专家" in page and "0 个榜单" in page and "邀请专家" in page
    assert page.index('name="email"') < page.index('name="name"')  # the address comes first
