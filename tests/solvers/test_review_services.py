import pytest
from sqlalchemy import select

from matchmaker import clock
from matchmaker.errors import InvalidTransition, NotAllowed, ValidationFailed
from matchmaker.extensions import db
from matchmaker.notifications.models import Notification
from matchmaker.solvers.lifecycle import (
    OFFERING_PATH,
    REVIEW_PATH,
    approve_offering,
    reject_offering,
    retire_offering,
    return_offering,
    submit_offering,
)
from tests.factories import make_offering, make_org, make_user


def notes_of(user):
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def test_submit_then_approve_records_who_when_why(app_ctx, vendor, organiser):
    offering = make_offering(vendor.organisation)
    with clock.frozen(clock.now().replace(year=2026, month=3, day=1)):
        submit_offering(vendor, offering)
    assert offering.status == "submitted" and offering.submitted_at.year == 2026
    assert "新方案待审核" in notes_of(organiser)[0].title
    approve_offering(organiser, offering, "资料齐全")
    assert offering.status == "published" and offering.published_at is not None
    submit, approve = offering.reviews
    assert (submit.action, submit.from_status, submit.to_status) == ("submit", "draft", "submitted")
    assert (approve.action, approve.actor_id, approve.comment) == (
        "approve",
        organiser.id,
        "资料齐全",
    )
    assert approve.at.tzinfo is not None
    note = notes_of(vendor)[0]
    assert "已通过审核" in note.title and note.link == OFFERING_PATH.format(id=offering.id)


def test_return_needs_a_comment_and_the_vendor_learns_it(app_ctx, vendor, organiser):
    offering = make_offering(vendor.organisation, status="submitted")
    with pytest.raises(ValidationFailed) as err:
        return_offering(organiser, offering, "  ")
    assert "comment" in err.value.fields and offering.status == "submitted"
    return_offering(organiser, offering, "请补充检测报告")
    assert offering.status == "returned"
    note = notes_of(vendor)[0]
    assert "退回修改" in note.title and "请补充检测报告" in note.body
    submit_offering(vendor, offering)
    assert offering.status == "submitted"
    assert [r.action for r in offering.reviews] == ["return", "submit"]


def test_reject_retires_with_a_reason(app_ctx, vendor, organiser):
    offering = make_offering(vendor.organisation, status="submitted")
    with pytest.raises(ValidationFailed):
        reject_offering(organiser, offering, "")
    reject_offering(organiser, offering, "与本次揭榜方向无关")
    assert offering.status == "retired"
    assert "未通过审核" in notes_of(vendor)[0].title


def test_vendor_and_organiser_retire_a_published_offering(app_ctx, vendor, organiser):
    mine = make_offering(vendor.organisation, status="published")
    retire_offering(vendor, mine)
    assert mine.status == "retired" and notes_of(vendor) == []
    theirs = make_offering(vendor.organisation, status="published")
    retire_offering(organiser, theirs, "企业已注销")
    assert theirs.status == "retired" and "已被主办方下架" in notes_of(vendor)[0].title


def test_members_of_pending_vendors_cannot_submit(app_ctx):
    pending = make_user(make_org("vendor", approved=False))
    offering = make_offering(pending.organisation)
    with pytest.raises(NotAllowed) as err:
        submit_offering(pending, offering)
    assert "审核后才能提交" in err.value.message and offering.status == "draft"


def test_strangers_cannot_move_an_offering(app_ctx, vendor, other_vendor, organiser):
    offering = make_offering(vendor.organisation)
    factory_member = make_user(make_org("factory"))
    for actor in (other_vendor, factory_member):
        with pytest.raises(NotAllowed):
            submit_offering(actor, offering)
        with pytest.raises(NotAllowed):
            retire_offering(actor, offering)
    submitted = make_offering(vendor.organisation, status="submitted")
    with pytest.raises(NotAllowed):
        approve_offering(vendor, submitted)  # the vendor is not a reviewer
    with pytest.raises(NotAllowed):
        submit_offering(organiser, offering)  # the organiser does not submit for vendors
    deactivated = make_user(vendor.organisation, active=False)
    with pytest.raises(NotAllowed):
        retire_offering(deactivated, offering)
    assert offering.status == "draft" and submitted.status == "submitted"


@pytest.mark.parametrize("status", ["draft", "published", "returned", "retired"])
def test_only_submitted_offerings_are_reviewed(app_ctx, vendor, organiser, status):
    offering = make_offering(vendor.organisation, status=status)
    with pytest.raises(InvalidTransition):
        approve_offering(organiser, offering)
    assert offering.reviews == []


def test_retired_offerings_stay_retired(app_ctx, vendor):
    offering = make_offering(vendor.organisation, status="retired")
    for move in (submit_offering, retire_offering):
        with pytest.raises(InvalidTransition):
            move(vendor, offering)


def test_notification_links_are_real_routes(app):
    adapter = app.url_map.bind("localhost")
    assert adapter.match(OFFERING_PATH.format(id=7))[0] == "solvers.offering"
    assert adapter.match(REVIEW_PATH.format(id=7))[0] == "solvers.review_detail"


def test_status_has_a_database_check(app_ctx, vendor):
    from sqlalchemy.exc import IntegrityError

    offering = make_offering(vendor.organisation)
    offering.status = "approved"
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
