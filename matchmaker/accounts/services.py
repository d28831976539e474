"""Account use cases. Each takes its actor explicitly, checks permission, commits once.

Errors are the domain errors of `matchmaker.errors`: `ValidationFailed` carries per-field
messages (`fields`) that the views put back on the form.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..errors import InvalidTransition, NotAllowed, ValidationFailed
from ..extensions import db
from .credit_code import normalise_credit_code, validate_credit_code
from .models import MEMBER_ROLE_FOR_KIND, Organisation, User
from .passwords import MAX_LENGTH, MIN_LENGTH, hash_password, verify_password

ORGANISER_ORG_NAME = "主办方"


@dataclass
class RegistrationData:
    kind: str  # factory | vendor
    org_name: str
    credit_code: str
    contact_name: str
    contact_phone: str
    district: str
    town: str
    email: str
    password: str
    name: str


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def find_org_by_credit_code(code: str) -> Organisation | None:
    code = normalise_credit_code(code)
    return db.session.scalar(sa.select(Organisation).where(Organisation.credit_code == code))


def _password_error(password: str) -> str | None:
    if len(password or "") < MIN_LENGTH:
        return _("密码至少需要 %(n)d 个字符。", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("密码不能超过 %(n)d 个字符。", n=MAX_LENGTH)
    return None


def _email_taken_message() -> str:
    return _("该邮箱已注册，请直接登录或使用其他邮箱。")


def _credit_code_taken_message() -> str:
    return _("该统一社会信用代码已有机构注册，请联系本单位已注册的同事或主办方。")


def _registration_errors(data: RegistrationData) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.kind not in MEMBER_ROLE_FOR_KIND:
        errors["kind"] = [_("请选择需求方（工厂）或揭榜方（服务商）。")]
    code_error = validate_credit_code(data.credit_code)
    if code_error:
        errors["credit_code"] = [code_error]
    elif find_org_by_credit_code(data.credit_code):
        errors["credit_code"] = [_credit_code_taken_message()]
    if not data.email:
        errors["email"] = [_("请填写邮箱。")]
    elif find_user_by_email(data.email):
        errors["email"] = [_email_taken_message()]
    password_error = _password_error(data.password)
    if password_error:
        errors["password"] = [password_error]
    for field in ("org_name", "name"):
        if not getattr(data, field).strip():
            errors[field] = [_("此项为必填项。")]
    return errors


def register_organisation(data: RegistrationData) -> User:
    """A factory or vendor signs up: a pending organisation and its first member."""
    data.email = normalise_email(data.email)
    data.credit_code = normalise_credit_code(data.credit_code)
    errors = _registration_errors(data)
    if errors:
        raise ValidationFailed(fields=errors)
    org = Organisation(
        kind=data.kind,
        name=data.org_name.strip(),
        credit_code=data.credit_code,
        contact_name=data.contact_name.strip(),
        contact_phone=data.contact_phone.strip(),
        contact_email=data.email,
        district=data.district.strip(),
        town=data.town.strip(),
        status="pending",
    )
    user = User(
        email=data.email,
        name=data.name.strip(),
        password_hash=hash_password(data.password),
        organisation=org,
        role=MEMBER_ROLE_FOR_KIND[data.kind],
    )
    db.session.add_all([org, user])
    _commit_or_duplicate()
    return user


def _commit_or_duplicate() -> None:
    """Commit; a unique violation from a concurrent registration becomes a form error."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        text = str(exc.orig).lower()
        if "credit_code" in text:
            raise ValidationFailed(fields={"credit_code": [_credit_code_taken_message()]}) from exc
        if "email" in text:
            raise ValidationFailed(fields={"email": [_email_taken_message()]}) from exc
        raise


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials (and record the login), else None."""
    user = find_user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password or "")
    if not (ok and user and user.active):
        return None
    user.last_login_at = clock.now()
    db.session.commit()
    return user


def change_password(actor: User, current_password: str, new_password: str) -> None:
    if not verify_password(actor.password_hash, current_password or ""):
        raise ValidationFailed(fields={"current_password": [_("当前密码不正确。")]})
    error = _password_error(new_password)
    if error:
        raise ValidationFailed(fields={"new_password": [error]})
    actor.password_hash = hash_password(new_password)
    db.session.commit()


def _review(actor: User, org: Organisation, status: str, note: str = "") -> None:
    if not actor.can_review_organisations:
        raise NotAllowed()
    if org.kind == "organiser" or not org.is_pending:
        raise InvalidTransition(_("只能审核待审核的需求方或揭榜方机构。"))
    org.status = status
    org.reviewed_by = actor
    org.reviewed_at = clock.now()
    org.review_note = note
    db.session.commit()


def approve_organisation(actor: User, org: Organisation) -> None:
    _review(actor, org, "approved")


def reject_organisation(actor: User, org: Organisation, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("请填写驳回理由。")]})
    _review(actor, org, "rejected", reason)


def pending_organisations() -> list[Organisation]:
    query = (
        sa.select(Organisation)
        .where(Organisation.status == "pending")
        .order_by(Organisation.created_at, Organisation.id)
    )
    return list(db.session.scalars(query))


def organiser_organisation() -> Organisation:
    """The organiser organisation (主办方), created approved on first use (not committed)."""
    org = db.session.scalar(
        sa.select(Organisation).where(Organisation.kind == "organiser").order_by(Organisation.id)
    )
    if org is None:
        org = Organisation(kind="organiser", name=ORGANISER_ORG_NAME, status="approved")
        org.reviewed_at = clock.now()
        db.session.add(org)
    return org


def _create_staff(email: str, name: str, password: str, role: str, org_factory) -> User:
    email = normalise_email(email)
    errors: dict[str, list[str]] = {}
    if not email or "@" not in email:
        errors["email"] = [_("请输入有效的邮箱地址。")]
    elif find_user_by_email(email):
        errors["email"] = [_email_taken_message()]
    if not (name or "").strip():
        errors["name"] = [_("此项为必填项。")]
    password_error = _password_error(password)
    if password_error:
        errors["password"] = [password_error]
    if errors:
        raise ValidationFailed(fields=errors)
    user = User(email=email, name=name.strip(), password_hash=hash_password(password), role=role)
    user.organisation = org_factory()
    db.session.add(user)
    _commit_or_duplicate()
    return user


def create_organiser(email: str, name: str, password: str) -> User:
    """An organiser account in the organiser organisation (CLI; no actor: shell access)."""
    return _create_staff(email, name, password, "organiser", organiser_organisation)


def create_expert(email: str, name: str, password: str) -> User:
    """An independent expert reviewer, outside any organisation (CLI)."""
    return _create_staff(email, name, password, "expert", lambda: None)
