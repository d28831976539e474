from datetime import date

import pytest
from sqlalchemy import select

from matchmaker.errors import InvalidTransition, NotAllowed, ValidationFailed
from matchmaker.extensions import db
from matchmaker.needs import approval, engagement, services
from matchmaker.needs.models import NeedFollow, NeedReview, NeedVersion
from matchmaker.notifications.models import Notification
from matchmaker.scenarios.services import open_need_counts
from tests.factories import KPI_ROW, make_need, make_org, make_user, need_fields


@pytest.fixture
def factory(app_ctx):
    org = make_org("factory")
    return make_user(org)


@pytest.fixture
def organiser(app_ctx):
    return make_user(role="organiser")


def kinds(user):
    query = select(Notification.kind).where(Notification.user_id == user.id)
    return list(db.session.scalars(query))


def test_create_and_submit(factory):
    need = services.create_need(factory, need_fields(), [KPI_ROW], submit=True)
    assert need.status == "submitted" and need.submitted_at is not None
    assert need.owner_id == factory.organisation_id and need.author_id == factory.id
    assert [k.indicator for k in need.kpis] == ["漏检率"]
    assert [r.action for r in need.reviews] == ["submit"]


def test_draft_then_submit(factory):
    need = services.create_need(factory, need_fields(), [KPI_ROW])
    assert need.status == "draft"
    services.submit_need(factory, need)
    assert need.status == "submitted"
    with pytest.raises(InvalidTransition):
        services.submit_need(factory, need)


def test_pending_factory_may_draft_but_not_submit(app_ctx):
    user = make_user(make_org("factory", approved=False))
    need = services.create_need(user, need_fields(), [KPI_ROW])
    with pytest.raises(NotAllowed):
        services.submit_need(user, need)
    with pytest.raises(NotAllowed):
        services.create_need(user, need_fields(title="另一个"), [KPI_ROW], submit=True)
    assert need.status == "draft"


def test_vendor_cannot_create(app_ctx):
    vendor = make_user(make_org("vendor"))
    with pytest.raises(NotAllowed):
        services.create_need(vendor, need_fields(), [KPI_ROW])


def test_other_factory_cannot_touch(factory):
    need = make_need(factory.organisation)
    stranger = make_user(make_org("factory"))
    for call in (
        lambda: services.update_need(stranger, need, need_fields(), [KPI_ROW]),
        lambda: services.submit_need(stranger, need),
        lambda: services.withdraw_need(stranger, need),
    ):
        with pytest.raises(NotAllowed):
            call()


@pytest.mark.parametrize(
    "row,message",
    [
        ({**KPI_ROW, "baseline": 6.0, "target": 5.1}, None),  # 出次率 6 → 5.1 down: fine
        ({**KPI_ROW, "baseline": 6.0, "target": 6.0}, "应低于现状值"),
        ({**KPI_ROW, "baseline": 5.0, "target": 6.0}, "应低于现状值"),
        ({**KPI_ROW, "direction": "up", "baseline": 60.0, "target": 50.0}, "应高于现状值"),
        ({**KPI_ROW, "direction": "up", "baseline": 60.0, "target": 80.0}, None),
        ({**KPI_ROW, "baseline": None}, None),
        ({**KPI_ROW, "target": None}, "请填写目标值"),
        ({**KPI_ROW, "indicator": " "}, "请填写指标名称"),
        ({**KPI_ROW, "direction": "sideways"}, "请选择指标方向"),
    ],
)
def test_kpi_validation(factory, row, message):
    if message is None:
        assert services.create_need(factory, need_fields(), [row]).kpis[0].target == row["target"]
        return
    with pytest.raises(ValidationFailed) as err:
        services.create_need(factory, need_fields(), [row])
    assert message in " ".join(err.value.fields["kpis"])


def test_content_rules(factory):
    bad = need_fields(
        title=" ",
        budget_min=80,
        budget_max=50,
        vouchers=["free_money"],
        template_id=None,
        other_description="",
        delivery_months=3,
        delivery_date=date(2030, 1, 1),
    )
    with pytest.raises(ValidationFailed) as err:
        services.create_need(factory, bad, [])
    fields = err.value.fields
    assert {
        "title",
        "budget_max",
        "vouchers",
        "other_description",
        "delivery_months",
        "kpis",
    } <= set(fields)
    assert "不能低于下限" in fields["budget_max"][0]


def test_negative_budget_and_past_date(factory):
    with pytest.raises(ValidationFailed) as err:
        services.create_need(
            factory,
            need_fields(budget_min=-1, delivery_months=None, delivery_date=date(2000, 1, 1)),
            [KPI_ROW],
        )
    assert set(err.value.fields) == {"budget_min", "delivery_date"}


def test_other_scenario_without_template(factory):
    need = services.create_need(
        factory, need_fields(template_id=None, other_description="废丝回收分拣"), [KPI_ROW]
    )
    assert need.template_id is None and need.other_description == "废丝回收分拣"


def test_review_approve_records_and_notifies(factory, organiser):
    need = make_need(factory.organisation, status="submitted")
    approval.approve_need(organiser, need, "内容完整")
    assert need.status == "published" and need.published_at is not None and need.version == 1
    last = need.reviews[0]
    assert (last.action, last.actor_id, last.comment) == ("approve", organiser.id, "内容完整")
    assert (last.from_status, last.to_status) == ("submitted", "published")
    assert kinds(factory) == ["need_approved"]
    assert db.session.scalar(select(NeedVersion.number).where(NeedVersion.need_id == need.id)) == 1
    assert open_need_counts() == {need.template_id: 1}


def test_review_return_needs_a_comment_and_reopens_editing(factory, organiser):
    need = make_need(factory.organisation, status="submitted")
    with pytest.raises(ValidationFailed):
        approval.return_need(organiser, need, "  ")
    approval.return_need(organiser, need, "请补充数据量")
    assert need.status == "returned" and kinds(factory) == ["need_returned"]
    services.update_need(factory, need, need_fields(data_volume="3TB"), [KPI_ROW], submit=True)
    assert need.status == "submitted"
    actions = [r.action for r in db.session.scalars(select(NeedReview).order_by(NeedReview.id))]
    assert actions == ["return", "submit"]


def test_review_reject_closes(factory, organiser):
    need = make_need(factory.organisation, status="submitted")
    approval.reject_need(organiser, need, "不属于人工智能场景")
    assert need.status == "closed" and need.closed_at is not None
    assert need.reviews[0].comment == "不属于人工智能场景"
    assert kinds(factory) == ["need_rejected"]
    with pytest.raises(InvalidTransition):
        approval.approve_need(organiser, need)


def test_only_organisers_review(factory):
    need = make_need(factory.organisation, status="submitted")
    with pytest.raises(NotAllowed):
        approval.approve_need(factory, need)
    with pytest.raises(NotAllowed):
        approval.review_queue(factory)


def test_review_queue_lists_submitted_only(factory, organiser):
    submitted = make_need(factory.organisation, status="submitted")
    make_need(factory.organisation, status="draft", title="草稿")
    make_need(factory.organisation, status="published", title="已发布")
    assert approval.review_queue(organiser) == [submitted]


def test_withdraw_and_close(factory, organiser):
    draft = make_need(factory.organisation)
    services.withdraw_need(factory, draft)
    assert draft.status == "withdrawn"
    with pytest.raises(InvalidTransition):
        services.update_need(factory, draft, need_fields(), [KPI_ROW])
    published = make_need(factory.organisation, status="published", title="已发布")
    services.close_need(organiser, published, "揭榜已结束")
    assert published.status == "closed" and kinds(factory) == ["need_closed"]
    with pytest.raises(InvalidTransition):
        services.close_need(factory, published)


def test_edit_after_publication_versions_and_notifies_followers(factory):
    need = make_need(factory.organisation, status="published")
    vendor_org = make_org("vendor")
    follower, viewer_colleague = make_user(vendor_org), make_user(vendor_org)
    nda_org = make_org("vendor")
    nda_user = make_user(nda_org)
    bystander = make_user(make_org("vendor"))
    engagement.follow_need(follower, need)
    need.confidentiality = "public"
    db.session.commit()

    services.update_need(factory, need, need_fields(budget_max=80, title=need.title), [KPI_ROW])
    assert need.version == 2 and need.status == "published"
    version = need.versions[0]
    assert version.number == 2 and version.changed_fields == ["budget_max"]
    assert version.snapshot["budget_max"] == 80 and version.actor_id == factory.id
    assert kinds(follower) == ["need_changed"]
    assert kinds(viewer_colleague) == [] and kinds(nda_user) == [] and kinds(bystander) == []
    assert kinds(factory) == []

    # Saving the same content again creates no version and notifies nobody.
    services.update_need(factory, need, need_fields(budget_max=80, title=need.title), [KPI_ROW])
    assert need.version == 2 and kinds(follower) == ["need_changed"]


def test_edit_notifies_nda_acceptors_and_viewers(factory):
    need = make_need(factory.organisation, status="published", confidentiality="summary_only")
    nda_user = make_user(make_org("vendor"))
    viewer = make_user(make_org("vendor"))
    engagement.accept_nda(nda_user, need)
    engagement.record_view(viewer, need)
    services.update_need(
        factory, need, need_fields(confidentiality="summary_only", title="新标题"), [KPI_ROW]
    )
    assert kinds(nda_user) == ["need_changed"] and kinds(viewer) == ["need_changed"]
    assert need.versions[0].changed_fields == ["title"]


def test_follow_is_unique_per_user(factory):
    need = make_need(factory.organisation, status="published")
    vendor = make_user(make_org("vendor"))
    engagement.follow_need(vendor, need)
    engagement.follow_need(vendor, need)
    assert db.session.query(NeedFollow).count() == 1
    engagement.unfollow_need(vendor, need)
    assert db.session.query(NeedFollow).count() == 0


def test_change_notice_skips_followers_who_lost_access(factory):
    need = make_need(factory.organisation, status="published")
    follower = make_user(make_org("vendor"))
    engagement.follow_need(follower, need)
    services.update_need(factory, need, need_fields(confidentiality="invited_only"), [KPI_ROW])
    assert need.version == 2 and kinds(follower) == []
