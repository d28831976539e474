"""Account use cases. Each takes its actor explicitly, checks permission, commits once.

Errors are the domain errors of `matchmaker.errors`: `ValidationFailed` carries per-field
messages (`fields`) that the views put back on the form.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..errors import InvalidTransition, NotAllowed, ValidationFailed
from ..extensions import db
from .credit_code import normalise_credit_code, validate_credit_code
from .models import DIGEST_FREQUENCIES, MEMBER_ROLE_FOR_KIND, Organisation, User
from .passwords import hash_password, verify_password
from .recovery import send_verification
from .signals import account_notice
from .strength import password_error
from .tokens import revoke_all_tokens

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


def _user_inputs(user: User) -> list[str]:
    """What a password must not be built from: the user's own details."""
    org_name = user.organisation.name if user.organisation else ""
    return [user.email, user.name, org_name]


def _credit_code_taken_message() -> str:
    return _("该统一社会信用代码已有机构注册，请联系本单位已注册的同事或主办方。")


def _email_taken_message() -> str:
    return _("该邮箱已注册，请直接登录或使用其他邮箱。")


def _registration_errors(data: RegistrationData) -> dict[str, list[str]]:
    """Every problem of the form, whether or not the e-mail already has an account (that
    must not show: see `register_organisation`)."""
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
    weak = password_error(data.password, [data.email, data.name, data.org_name, data.contact_name])
    if weak:
        errors["password"] = [weak]
    for field in ("org_name", "name"):
        if not getattr(data, field).strip():
            errors[field] = [_("此项为必填项。")]
    return errors


def register_organisation(data: RegistrationData) -> User | None:
    """A factory or vendor signs up: a pending organisation and its first member, who gets
    a welcome e-mail. When the e-mail already has an account nothing is created, its owner is
    told by e-mail, and None is returned: callers answer both cases alike ("请查收邮件"), so
    that registration does not reveal which addresses have accounts."""
    data.email = normalise_email(data.email)
    data.credit_code = normalise_credit_code(data.credit_code)
    errors = _registration_errors(data)
    if errors:
        raise ValidationFailed(fields=errors)
    password_hash = hash_password(data.password)  # on both paths: they take the same time
    owner = find_user_by_email(data.email)
    if owner is not None:
        return _tell_owner(owner)
    try:
        user = _new_member(data, password_hash)
        _notice(
            user, "account_registered", _l("机构注册已提交"), _registered_body(user), "/account"
        )
        send_verification(user)
        db.session.commit()
    except IntegrityError as exc:  # a concurrent registration won
        db.session.rollback()
        text = str(exc.orig).lower()
        if "credit_code" in text or "email" not in text:
            _raise_duplicate(exc)
        return _tell_owner(find_user_by_email(data.email))
    return user


def _new_member(data: RegistrationData, password_hash: str) -> User:
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
        password_hash=password_hash,
        organisation=org,
        role=MEMBER_ROLE_FOR_KIND[data.kind],
        # email_verified_at stays NULL until the link in the verification mail is opened
    )
    db.session.add_all([org, user])
    db.session.flush()
    return user


def _registered_body(user: User):
    return _l(
        "您好，%(name)s：“%(org)s”的注册已提交，主办方审核通过后即可发布内容。"
        "现在即可用注册时设置的密码登录。",
        name=user.name,
        org=user.organisation.name,
    )


def _tell_owner(owner: User | None) -> None:
    """Someone registered with an address that has an account: tell its owner, change nothing."""
    if owner is not None:
        body = _l(
            "有人刚刚在机构注册页使用了您的邮箱 %(email)s。您已经有账户，无需重新注册，请直接登录；"
            "忘记密码可在登录页点击“忘记密码”重置。如果不是您本人操作，请忽略此邮件，您的账户没有任何变化。",
            email=owner.email,
        )
        _notice(owner, "registration_attempt", _l("有人尝试用您的邮箱注册"), body, "/login")
        db.session.commit()
    return None


def _notice(user: User, kind: str, title, body, link: str) -> None:
    """Title and body as lazy strings: the notice is written in the user's language."""
    account_notice.send(user, kind=kind, title=title, body=body, link=link)


def _raise_duplicate(exc: IntegrityError) -> None:
    """A unique violation from a concurrent write becomes the form error it stands for."""
    text = str(exc.orig).lower()
    if "credit_code" in text:
        raise ValidationFailed(fields={"credit_code": [_credit_code_taken_message()]}) from exc
    if "email" in text:
        raise ValidationFailed(fields={"email": [_email_taken_message()]}) from exc
    raise exc


def _commit_or_duplicate() -> None:
    """Commit; a unique violation from a concurrent write becomes a form error."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        _raise_duplicate(exc)


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials (and record the login), else None."""
    user = find_user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password or "")
    if not (ok and user and user.active):
        return None
    user.last_login_at = clock.now()
    db.session.commit()
    return user


def change_password(actor: User, current_password: str, new_password: str) -> int:
    """A new password: every other session and remember-me cookie ends, and every API token
    is revoked (a stolen password may have made one). Returns how many tokens were revoked."""
    if not verify_password(actor.password_hash, current_password or ""):
        raise ValidationFailed(fields={"current_password": [_("当前密码不正确。")]})
    error = password_error(new_password, _user_inputs(actor))
    if error:
        raise ValidationFailed(fields={"new_password": [error]})
    actor.set_password(hash_password(new_password))
    revoked = revoke_all_tokens(actor)
    db.session.commit()
    return revoked


def set_digest_frequency(actor: User, frequency: str) -> None:
    """A vendor member chooses how often the digest of matching new needs comes (or none)."""
    if not (getattr(actor, "is_vendor_member", False) and actor.active):
        raise NotAllowed(_("只有揭榜方（服务商）成员可以设置需求推荐邮件。"))
    if frequency not in DIGEST_FREQUENCIES:
        raise ValidationFailed(fields={"frequency": [_("请选择推送频率。")]})
    actor.digest_frequency = frequency
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
    weak = password_error(password, [email, name])
    if weak:
        errors["password"] = [weak]
    if errors:
        raise ValidationFailed(fields=errors)
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        role=role,
        email_verified_at=clock.now(),  # made by someone who holds the address or the shell
    )
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
