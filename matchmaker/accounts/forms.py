"""Account forms. Labels and messages are zh-CN msgids (lazy, translated at render time)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,  # (value, label) tuples are deprecated since WTForms 3.3
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp, ValidationError

from ..formtools import AppForm
from .credit_code import normalise_credit_code, validate_credit_code
from .passwords import MAX_LENGTH, MIN_LENGTH
from .strength import password_error

REQUIRED = _l("此项为必填项。")
# Mobile (11 digits from 1[3-9]) or a landline with area code, optionally with an extension.
PHONE_PATTERN = r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$"


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _required():
    return DataRequired(message=REQUIRED)


def _max(n: int):
    return Length(max=n, message=_l("不能超过 %(max)d 个字符。"))


def password_validators():
    """A new password's validators, for every form that sets one (also the expert's invitation)."""
    return [
        _required(),
        Length(min=MIN_LENGTH, max=MAX_LENGTH, message=_l("密码长度应为 %(min)d–%(max)d 个字符。")),
    ]


def _email_field(label):
    return EmailField(
        label,
        filters=[_strip],
        validators=[_required(), _max(254), Email(message=_l("请输入有效的邮箱地址。"))],
    )


class RegistrationForm(AppForm):
    kind = RadioField(
        _l("机构类型"),
        choices=[
            SelectChoice("factory", _l("需求方（工厂）")),
            SelectChoice("vendor", _l("揭榜方（服务商）")),
        ],
        validators=[DataRequired(message=_l("请选择需求方（工厂）或揭榜方（服务商）。"))],
        validate_choice=False,
    )
    org_name = StringField(_l("机构名称"), filters=[_strip], validators=[_required(), _max(200)])
    credit_code = StringField(
        _l("统一社会信用代码"),
        description=_l("18 位，见营业执照。"),
        filters=[normalise_credit_code],
        validators=[_required()],
    )
    contact_name = StringField(_l("联系人"), filters=[_strip], validators=[_required(), _max(100)])
    contact_phone = TelField(
        _l("联系电话"),
        filters=[_strip],
        validators=[
            _required(),
            Regexp(
                PHONE_PATTERN, message=_l("请输入手机号码或带区号的固定电话，如 0757-12345678。")
            ),
        ],
    )
    district = StringField(_l("所在区"), filters=[_strip], validators=[_required(), _max(100)])
    town = StringField(_l("所在镇街"), filters=[_strip], validators=[_required(), _max(100)])
    name = StringField(_l("您的姓名"), filters=[_strip], validators=[_required(), _max(100)])
    email = _email_field(_l("登录邮箱"))
    password = PasswordField(_l("密码"), validators=password_validators())
    password2 = PasswordField(
        _l("确认密码"),
        validators=[_required(), EqualTo("password", message=_l("两次输入的密码不一致。"))],
    )

    def validate_kind(self, field):
        if field.data not in ("factory", "vendor"):
            raise ValidationError(_l("请选择需求方（工厂）或揭榜方（服务商）。"))

    def validate_credit_code(self, field):
        error = validate_credit_code(field.data)
        if error:
            raise ValidationError(error)

    def validate_password(self, field):
        """Said with the form's other errors, not only once they are fixed (the service checks
        the same rule again)."""
        others = (self.email.data, self.name.data, self.org_name.data, self.contact_name.data)
        error = password_error(field.data, [value or "" for value in others])
        if error:
            raise ValidationError(error)


class LoginForm(AppForm):
    # No address-format check at login: an address that matches no account simply fails to
    # authenticate, and accounts made by the CLI or the demo (…@demo.matchmaker.local, a
    # special-use domain the format check refuses) must be able to log in.
    email = EmailField(_l("邮箱"), filters=[_strip], validators=[_required(), _max(254)])
    password = PasswordField(_l("密码"), validators=[_required()])
    remember = BooleanField(_l("记住我"))


class PasswordChangeForm(AppForm):
    current_password = PasswordField(_l("当前密码"), validators=[_required()])
    new_password = PasswordField(_l("新密码"), validators=password_validators())
    new_password2 = PasswordField(
        _l("确认新密码"),
        validators=[_required(), EqualTo("new_password", message=_l("两次输入的密码不一致。"))],
    )


class RejectForm(AppForm):
    reason = TextAreaField(_l("驳回理由"), filters=[_strip], validators=[_required(), _max(1000)])


class ConfirmForm(AppForm):
    """A button-only POST (approve, logout): carries the CSRF token and nothing else."""


class ApiTokenForm(AppForm):
    name = StringField(
        _l("令牌名称"),
        validators=[DataRequired(REQUIRED), Length(max=100)],
        description=_l("用途，例如“企业 MES 对接”。"),
    )
    expires_in_days = RadioField(
        _l("有效期"),
        choices=[
            SelectChoice("30", _l("30 天")),
            SelectChoice("90", _l("90 天")),
            SelectChoice("365", _l("一年")),
            SelectChoice("0", _l("永不过期")),
        ],
        default="90",
        validators=[DataRequired(REQUIRED)],
    )


class DigestForm(AppForm):
    """需求推荐邮件: how often a vendor member gets the digest of matching new needs."""

    frequency = RadioField(
        _l("推送频率"),
        choices=[
            SelectChoice("daily", _l("每天")),
            SelectChoice("weekly", _l("每周")),
            SelectChoice("off", _l("不接收")),
        ],
        validators=[DataRequired(message=_l("请选择推送频率。"))],
        validate_choice=False,  # the service answers an unknown value in Chinese
    )


class ForgotPasswordForm(AppForm):
    # No format check, as at login: the answer is the same for every address anyway.
    email = EmailField(_l("登录邮箱"), filters=[_strip], validators=[_required(), _max(254)])


class ResetPasswordForm(AppForm):
    new_password = PasswordField(_l("新密码"), validators=password_validators())
    new_password2 = PasswordField(
        _l("确认新密码"),
        validators=[_required(), EqualTo("new_password", message=_l("两次输入的密码不一致。"))],
    )
