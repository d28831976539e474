from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from matchmaker import clock
from matchmaker.accounts import services
from matchmaker.accounts.models import AnonymousUser, Organisation, User
from matchmaker.accounts.passwords import hash_password, verify_password
from matchmaker.errors import InvalidTransition, NotAllowed, ValidationFailed
from matchmaker.extensions import db
from matchmaker.notifications.models import Notification
from tests.factories import DEFAULT_PASSWORD, credit_code, make_org, make_user

pytestmark = pytest.mark.usefixtures("app_ctx")


def registration(**overrides) -> services.RegistrationData:
    values = {
        "kind": "factory",
        "org_name": "佛山市顺德区某电器有限公司",
        "credit_code": credit_code(),
        "contact_name": "李四",
        "contact_phone": "0757-22334455",
        "district": "顺德区",
        "town": "容桂街道",
        "email": "Li.Si@Example.COM ",
        "password": "long-enough-1",
        "name": "李四",
    }
    values.update(overrides)
    return services.RegistrationData(**values)


def test_registration_creates_a_pending_org_and_its_first_member():
    user = services.register_organisation(registration(kind="vendor"))
    assert user.email == "li.si@example.com"
    assert user.role == "vendor_member"
    org = user.organisation
    assert org.kind == "vendor" and org.status == "pending" and not org.is_approved
    assert org.contact_email == "li.si@example.com"
    assert verify_password(user.password_hash, "long-enough-1")
    assert not user.can_publish


def test_registration_with_a_known_address_creates_nothing_and_tells_the_owner():
    first = services.register_organisation(registration())
    again = services.register_organisation(registration(email="LI.SI@example.com"))
    assert again is None  # no error that would tell the visitor the address has an account
    with pytest.raises(ValidationFailed) as err:
        data = registration(email="other@example.com", credit_code=first.organisation.credit_code)
        services.register_organisation(data)
    assert "已有机构注册" in err.value.fields["credit_code"][0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1
    kinds = db.session.scalars(
        sa.select(Notification.kind).where(Notification.user_id == first.id)
    ).all()
    assert sorted(kinds) == ["account_registered", "registration_attempt"]


def test_registration_checks_every_field_at_once():
    bad = registration(kind="organiser", credit_code="91350100M000100Y44", password="short")
    bad.org_name = " "
    with pytest.raises(ValidationFailed) as err:
        services.register_organisation(bad)
    assert set(err.value.fields) == {"kind", "credit_code", "password", "org_name"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_unapproved_org_cannot_publish_until_approved():
    organiser = make_user(role="organiser")
    member = make_user(make_org("factory", approved=False))
    assert not member.can_publish and not member.is_member_of_approved_org
    with clock.frozen(datetime(2026, 3, 1, 9, 0, tzinfo=UTC)):
        services.approve_organisation(organiser, member.organisation)
    db.session.expire_all()
    assert member.organisation.status == "approved"
    assert member.organisation.reviewed_by_id == organiser.id
    assert member.organisation.reviewed_at.replace(tzinfo=UTC) == datetime(
        2026, 3, 1, 9, tzinfo=UTC
    )
    assert member.can_publish


def test_predicates_by_role():
    organiser = make_user(role="organiser")
    expert = make_user(role="expert")
    vendor = make_user(make_org("vendor"))
    assert organiser.is_organiser and organiser.can_publish and organiser.can_review_organisations
    assert organiser.organisation.kind == "organiser" and organiser.organisation.is_approved
    assert expert.organisation is None and not expert.can_publish
    assert not expert.can_review_organisations
    assert vendor.can_publish and vendor.is_vendor_member and not vendor.can_review_organisations
    vendor.active = False
    assert not vendor.can_publish and not vendor.is_active
    anonymous = AnonymousUser()
    assert not (
        anonymous.can_publish or anonymous.is_organiser or anonymous.can_review_organisations
    )


def test_rejected_org_cannot_publish_and_keeps_the_reason():
    organiser = make_user(role="organiser")
    member = make_user(make_org("vendor", approved=False))
    services.reject_organisation(organiser, member.organisation, " 营业执照信息不符 ")
    assert member.organisation.status == "rejected"
    assert member.organisation.review_note == "营业执照信息不符"
    assert not member.can_publish
    with pytest.raises(InvalidTransition):
        services.approve_organisation(organiser, member.organisation)


def test_rejection_needs_a_reason():
    organiser = make_user(role="organiser")
    org = make_org("factory", approved=False)
    with pytest.raises(ValidationFailed) as err:
        services.reject_organisation(organiser, org, "  ")
    assert "reason" in err.value.fields
    assert org.status == "pending"


@pytest.mark.parametrize("role", ["factory_member", "vendor_member", "expert"])
def test_only_organisers_review_organisations(role):
    actor = make_user(role=role)
    org = make_org("factory", approved=False)
    with pytest.raises(NotAllowed):
        services.approve_organisation(actor, org)
    with pytest.raises(NotAllowed):
        services.reject_organisation(actor, org, "no")
    assert org.status == "pending"


def test_authenticate_records_the_login_and_refuses_bad_credentials():
    user = make_user(email="wang@example.com")
    assert services.authenticate("wang@example.com", "wrong-password") is None
    assert services.authenticate("nobody@example.com", DEFAULT_PASSWORD) is None
    with clock.frozen(datetime(2026, 5, 4, 8, 30, tzinfo=UTC)):
        assert services.authenticate(" WANG@example.com", DEFAULT_PASSWORD) == user
    assert user.last_login_at.replace(tzinfo=UTC) == datetime(2026, 5, 4, 8, 30, tzinfo=UTC)
    user.active = False
    db.session.commit()
    assert services.authenticate("wang@example.com", DEFAULT_PASSWORD) is None


def test_change_password_requires_the_current_one():
    user = make_user()
    with pytest.raises(ValidationFailed) as err:
        services.change_password(user, "not-my-password", "brand-new-pass")
    assert "current_password" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        services.change_password(user, DEFAULT_PASSWORD, "short")
    assert "new_password" in err.value.fields
    services.change_password(user, DEFAULT_PASSWORD, "brand-new-pass")
    assert services.authenticate(user.email, "brand-new-pass") == user
    assert services.authenticate(user.email, DEFAULT_PASSWORD) is None


def test_create_organiser_reuses_the_organiser_org_and_refuses_duplicates():
    first = services.create_organiser("Boss@Example.com", "主办人", "organiser-pass")
    second = services.create_organiser("two@example.com", "二号", "organiser-pass")
    assert first.email == "boss@example.com" and first.role == "organiser"
    assert first.organisation_id == second.organisation_id
    assert first.organisation.name == services.ORGANISER_ORG_NAME
    assert first.organisation.credit_code is None
    with pytest.raises(ValidationFailed) as err:
        services.create_organiser("boss@example.com", "again", "organiser-pass")
    assert "email" in err.value.fields


def test_create_expert_has_no_organisation():
    expert = services.create_expert("expert@example.com", "赵专家", "expert-pass-1")
    assert expert.role == "expert" and expert.organisation is None and expert.is_expert


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "school"},
        {"status": "archived"},
        {"kind": "factory", "credit_code": None},
    ],
)
def test_database_checks_organisation_columns(bad):
    values = {"kind": "factory", "name": "x", "credit_code": credit_code(), "status": "pending"}
    db.session.add(Organisation(**{**values, **bad}))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize(
    "bad",
    [{"role": "superuser"}, {"email": "Upper@example.com"}, {"organisation": None}],
)
def test_database_checks_user_columns(bad):
    values = {
        "email": "ok@example.com",
        "name": "x",
        "password_hash": "h",
        "role": "factory_member",
    }
    values["organisation"] = make_org("factory")
    db.session.add(User(**{**values, **bad}))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_fast_hash_only_when_configured(app):
    assert hash_password("x").startswith("pbkdf2:sha256:1000$")
    app.config["PASSWORD_HASH_FAST"] = False
    try:
        strong = hash_password("x")
    finally:
        app.config["PASSWORD_HASH_FAST"] = True
    assert strong.startswith("scrypt:") and verify_password(strong, "x")
    assert not verify_password(None, "x")
