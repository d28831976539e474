"""Forms of the 专家库 (expert pool) pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..accounts.forms import password_validators
from ..formtools import AppForm, choices
from ..solvers.forms import MultiCheckboxField

REQUIRED = _l("此项为必填项。")
AVAILABILITY_LABELS = {
    "available": _l("可参与评审"),
    "limited": _l("时间有限"),
    "unavailable": _l("暂不参与"),
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _max(n: int):
    return Length(max=n, message=_l("不能超过 %(max)d 个字符。"))


def _profile_fields() -> dict:
    """The profile's fields, made anew for each form class (their order is the page's)."""
    return {
        "name": StringField(
            _l("姓名"), filters=[_strip], validators=[DataRequired(REQUIRED), _max(100)]
        ),
        "organisation_name": StringField(_l("工作单位"), filters=[_strip], validators=[_max(200)]),
        "title": StringField(_l("职称或职务"), filters=[_strip], validators=[_max(100)]),
        "expertise": TextAreaField(
            _l("研究方向与经验"),
            filters=[_strip],
            validators=[_max(4000)],
            description=_l("用于为榜单推荐合适的专家，如“纺织品表面缺陷视觉检测，十年产线经验”。"),
        ),
        "category_ids": MultiCheckboxField(_l("擅长的场景类别")),
        "industry_ids": MultiCheckboxField(_l("熟悉的行业")),
        "availability": RadioField(
            _l("可参与评审的情况"),
            choices=choices(AVAILABILITY_LABELS),
            default="available",
            validate_choice=False,
        ),
        "availability_note": StringField(
            _l("时间说明"),
            filters=[_strip],
            validators=[_max(300)],
            description=_l("如“12 月出差，1 月起可评审”。"),
        ),
    }


# An expert's profile (the organiser's edit page).
ExpertForm = type("ExpertForm", (AppForm,), _profile_fields())

# The invitation: the e-mail address first, then the profile.
InviteForm = type(
    "InviteForm",
    (AppForm,),
    {
        "email": EmailField(
            _l("邮箱"),
            filters=[_strip],
            validators=[
                DataRequired(REQUIRED),
                _max(254),
                Email(message=_l("请输入有效的邮箱地址。")),
            ],
        ),
        **_profile_fields(),
    },
)


class AcceptInvitationForm(AppForm):
    new_password = PasswordField(_l("设置密码"), validators=password_validators())
    new_password2 = PasswordField(
        _l("确认密码"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("new_password", message=_l("两次输入的密码不一致。")),
        ],
    )


class RecordRelationForm(AppForm):
    """An organiser records a relation of the expert (the expert's page in the pool)."""

    organisation = StringField(
        _l("关联单位"),
        filters=[_strip],
        validators=[DataRequired(_l("请选择关联单位。")), _max(260)],
        description=_l("输入企业名称或统一社会信用代码，从列表中选择已审核通过的企业。"),
        render_kw={"list": "relation-organisations", "autocomplete": "off"},
    )
    note = StringField(
        _l("关联关系说明"),
        filters=[_strip],
        validators=[DataRequired(_l("请写明关联关系，如“配偶任职于该企业”。")), _max(300)],
        description=_l("如“配偶任职于该企业”“曾为该企业提供咨询”。专家本人可在“我的评审”中看到。"),
    )
