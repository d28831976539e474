"""Account recovery (忘记密码) and e-mail verification: signed, time-limited links by e-mail.

Each link carries a token signed with SECRET_KEY (itsdangerous, one salt per purpose):

- **password reset** — `{"u": user id, "p": fingerprint of the current password hash}`, valid
  RESET_MAX_AGE. Setting a new password changes the hash, so the link dies once used (single
  use) and every older reset link with it; a password change by any other way kills it too.
  A disabled account gets no link and cannot use one.
- **e-mail verification** — `{"u": user id, "e": the address}`, valid VERIFY_MAX_AGE; it only
  verifies the address it was sent to (a changed address needs a new link). Verifying twice
  changes nothing.
- **invitation** (an expert's first password, `experts.py`) — a reset token under its own salt
  and a longer life; the invited account's random password hash plays the same part.

`request_password_reset` answers known and unknown addresses alike (returns None either way;
the views say the same sentence): whether an address has an account never shows. The views
rate-limit it per client and per address.

Links in mails are PUBLIC_URL + path (site-relative when PUBLIC_URL is empty), never built from
the request's Host header, which a client chooses (reset-link poisoning).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

from .. import clock
from ..errors import ValidationFailed
from ..extensions import db
from .models import User
from .passwords import hash_password
from .signals import account_mail, account_notice
from .strength import password_error
from .tokens import revoke_all_tokens

RESET_MAX_AGE = timedelta(hours=1)
VERIFY_MAX_AGE = timedelta(days=7)
INVITE_MAX_AGE = timedelta(days=14)
RESET_SALT = "matchmaker.password-reset"
VERIFY_SALT = "matchmaker.verify-email"
INVITE_SALT = "matchmaker.expert-invite"
RESET_PATH = "/password/reset/{token}"
VERIFY_PATH = "/account/verify/{token}"


class _ClockSigner(TimestampSigner):
    """Timestamps from the application's clock (`clock.now`), so a frozen clock ages links."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt, signer=_ClockSigner)


def public_link(path: str) -> str:
    return (current_app.config.get("PUBLIC_URL") or "").rstrip("/") + path


def _fingerprint(user: User) -> str:
    """Short digest of the current password hash: a token carrying it dies with the hash."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:24]


def password_token(user: User, salt: str = RESET_SALT) -> str:
    return _serializer(salt).dumps({"u": user.id, "p": _fingerprint(user)})


def user_for_password_token(
    token: str, salt: str = RESET_SALT, max_age: timedelta = RESET_MAX_AGE
) -> User | None:
    """The active user a reset (or invitation) token still opens, or None: bad signature,
    expired, the password has changed since (used), or the account is disabled."""
    try:
        data = _serializer(salt).loads(token, max_age=int(max_age.total_seconds()))
    except BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active or data.get("p") != _fingerprint(user):
        return None
    return user


def request_password_reset(email: str) -> None:
    """忘记密码: mail a reset link to an active account with this address; nothing otherwise.
    The same answer (None) in both cases."""
    address = (email or "").strip().lower()
    user = db.session.scalar(sa.select(User).where(User.email == address))
    token = password_token(user) if user is not None else None
    if user is None or not user.active:
        return None
    link = public_link(RESET_PATH.format(token=token))
    minutes = int(RESET_MAX_AGE.total_seconds() // 60)
    body = _l(
        "%(name)s，您好：\n\n有人（希望是您本人）为账户 %(email)s 申请了重置密码。请在 %(minutes)d 分钟内"
        "打开下面的链接设置新密码，链接只能使用一次：\n\n%(link)s\n\n"
        "如果不是您本人操作，请忽略此邮件，您的密码不会改变。",
        name=user.name,
        email=user.email,
        minutes=minutes,
        link=link,
    )
    account_mail.send(user, subject=_l("重置密码"), body=body)
    db.session.commit()
    return None


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a reset link. The link dies (the hash changes), every session
    and API token of the account ends, and the address counts as verified (the link reached it)."""
    user = user_for_password_token(token)
    if user is None:
        raise ValidationFailed(_("重置链接无效或已过期，请重新申请。"))
    org_name = user.organisation.name if user.organisation else ""
    error = password_error(new_password, [user.email, user.name, org_name])
    if error:
        raise ValidationFailed(fields={"new_password": [error]})
    user.set_password(hash_password(new_password))
    revoke_all_tokens(user)
    if user.email_verified_at is None:
        user.email_verified_at = clock.now()
    account_notice.send(
        user,
        kind="password_reset",
        title=_l("您的密码已重置"),
        body=_l(
            "您的账户密码已通过邮件链接重置，所有设备上的登录和 API 令牌已失效。如非本人操作，请立即联系主办方。"
        ),
        link="/account",
    )
    db.session.commit()
    return user


def verification_token(user: User) -> str:
    return _serializer(VERIFY_SALT).dumps({"u": user.id, "e": user.email})


def send_verification(user: User) -> None:
    """Mail `user` a link that verifies the address (in the caller's transaction)."""
    link = public_link(VERIFY_PATH.format(token=verification_token(user)))
    body = _l(
        "%(name)s，您好：\n\n请打开下面的链接验证您的邮箱 %(email)s（%(days)d 天内有效）。"
        "验证之后，贵单位通过主办方审核即可发布需求、方案和提交揭榜申请：\n\n%(link)s\n\n"
        "如果您没有在本平台注册，请忽略此邮件。",
        name=user.name,
        email=user.email,
        days=VERIFY_MAX_AGE.days,
        link=link,
    )
    account_mail.send(user, subject=_l("请验证您的邮箱"), body=body)


def resend_verification(actor: User) -> bool:
    """The member asks for a new verification link; False when already verified."""
    if actor.is_email_verified or not actor.active:
        return False
    send_verification(actor)
    db.session.commit()
    return True


def verify_email(token: str) -> User | None:
    """Mark the address verified; the user, or None for a bad, expired or stale link (the
    account's address has changed since, or the account is disabled)."""
    try:
        data = _serializer(VERIFY_SALT).loads(token, max_age=int(VERIFY_MAX_AGE.total_seconds()))
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active or data.get("e") != user.email:
        return None
    if user.email_verified_at is None:
        user.email_verified_at = clock.now()
        db.session.commit()
    return user


def publish_refusal(actor, otherwise: str) -> str:
    """The message for a member refused publishing or submitting: the unverified address when
    that is the reason, else `otherwise` (the organisation's review)."""
    if getattr(actor, "publish_blocker", None) == "unverified":
        return _("请先验证您的邮箱：打开注册后收到的验证邮件中的链接（可在“我的账户”重新发送）。")
    return otherwise
