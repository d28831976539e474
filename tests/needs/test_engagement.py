import pytest
from sqlalchemy import select

from matchmaker import clock
from matchmaker.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.needs import access, engagement
from matchmaker.needs.models import NdaAcceptance, NeedInterest, NeedView
from matchmaker.notifications.models import Notification
from tests.factories import make_need, make_org, make_user


@pytest.fixture
def owner(app_ctx):
    return make_user(make_org("factory", name="越新纺织化纤有限公司"))


@pytest.fixture
def vendor(app_ctx):
    return make_user(make_org("vendor", name="智瞳视觉科技有限公司"))


def owner_notes(owner):
    return list(db.session.scalars(select(Notification).where(Notification.user_id == owner.id)))


def test_nda_reveals_owner_and_details_once(owner, vendor):
    need = make_need(owner.organisation, status="published", confidentiality="summary_only")
    assert access.can_see(vendor, need) and not access.can_see_details(vendor, need)
    assert access.owner_label(vendor, need) == "某纺织化纤企业"
    first = engagement.accept_nda(vendor, need)
    again = engagement.accept_nda(vendor, need)
    assert first.id == again.id and db.session.query(NdaAcceptance).count() == 1
    assert first.terms_version and first.user_id == vendor.id
    assert access.can_see_details(vendor, need)
    assert access.owner_label(vendor, need) == "越新纺织化纤有限公司"
    colleague = make_user(vendor.organisation)
    assert access.can_see_details(colleague, need)  # the acceptance binds the organisation
    notes = owner_notes(owner)
    assert [n.kind for n in notes] == ["need_nda_accepted"]
    assert "智瞳视觉科技有限公司" in notes[0].title


def test_nda_only_for_summary_only_and_vendors(owner, vendor):
    public = make_need(owner.organisation, status="published")
    with pytest.raises(InvalidTransition):
        engagement.accept_nda(vendor, public)
    secret = make_need(owner.organisation, status="published", confidentiality="summary_only")
    other_factory = make_user(make_org("factory"))
    with pytest.raises(NotAllowed):
        engagement.accept_nda(other_factory, secret)
    pending_vendor = make_user(make_org("vendor", approved=False))
    with pytest.raises(NotAllowed):
        engagement.accept_nda(pending_vendor, secret)


def test_invited_only_visible_to_invited_vendors(owner, vendor):
    need = make_need(owner.organisation, status="published", confidentiality="invited_only")
    assert not access.can_see(vendor, need)
    with pytest.raises(NotFound):
        engagement.follow_need(vendor, need)
    engagement.invite_vendor(owner, need, vendor.organisation.credit_code)
    assert access.can_see(vendor, need) and access.can_see_details(vendor, need)
    other = make_user(make_org("vendor"))
    assert not access.can_see(other, need)
    assert [n.kind for n in db.session.scalars(select(Notification))] == ["need_invitation"]


def test_invite_by_name_and_unknown_vendor(owner, vendor):
    need = make_need(owner.organisation, status="published", confidentiality="invited_only")
    invitation = engagement.invite_vendor(owner, need, "智瞳视觉科技有限公司")
    assert invitation.organisation_id == vendor.organisation_id
    with pytest.raises(ValidationFailed):
        engagement.invite_vendor(owner, need, "不存在的公司")
    with pytest.raises(NotAllowed):
        engagement.invite_vendor(vendor, need, "智瞳视觉科技有限公司")


def test_interest_once_per_organisation(owner, vendor):
    need = make_need(owner.organisation, status="published")
    engagement.send_interest(vendor, need, "我们有 20 家纺织企业案例", "张工 138")
    with pytest.raises(ValidationFailed):
        engagement.send_interest(make_user(vendor.organisation), need, "再来一次")
    with pytest.raises(ValidationFailed):
        engagement.send_interest(make_user(make_org("vendor")), need, "   ")
    assert db.session.query(NeedInterest).count() == 1
    assert [n.kind for n in owner_notes(owner)] == ["need_interest"]


def test_interest_on_summary_only_needs_the_nda(owner, vendor):
    need = make_need(owner.organisation, status="published", confidentiality="summary_only")
    with pytest.raises(NotAllowed):
        engagement.send_interest(vendor, need, "感兴趣")
    engagement.accept_nda(vendor, need)
    engagement.send_interest(vendor, need, "感兴趣")


def test_no_engagement_with_unpublished_needs(owner, vendor):
    draft = make_need(owner.organisation)
    with pytest.raises(NotFound):
        engagement.follow_need(vendor, draft)
    closed = make_need(owner.organisation, status="closed", title="已关闭")
    with pytest.raises(NotFound):
        engagement.send_interest(vendor, closed, "hi")


def test_view_is_one_row_per_organisation(owner, vendor):
    need = make_need(owner.organisation, status="published")
    engagement.record_view(vendor, need)
    later = clock.now().replace(year=clock.now().year + 1)
    with clock.frozen(later):
        engagement.record_view(make_user(vendor.organisation), need)
    engagement.record_view(owner, need)  # the owner's own visits do not count
    view = db.session.scalars(select(NeedView)).one()
    assert view.count == 2 and view.last_seen == later and view.first_seen < later
    counts = engagement.engagement_counts([need.id])[need.id]
    assert counts == {"views": 1, "ndas": 0, "interests": 0, "follows": 0}
