"""忘记密码 (reset link by e-mail), e-mail verification, and the organisers' 账户管理 page
where accounts are disabled and re-enabled. Logic in `recovery.py` and `sessions.py`."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user

from ..errors import NotAllowed, ValidationFailed
from ..extensions import db, limiter
from ..formtools import apply_errors, render_form_page
from ..nav import add_nav_link
from ..paging import paginate
from . import recovery, sessions
from .blueprint import bp
from .forms import ConfirmForm, ForgotPasswordForm, ResetPasswordForm
from .models import User

FORGOT_LIMIT = "5/minute;20/hour"  # per client address
FORGOT_ADDRESS_LIMIT = "5/hour"  # per e-mail address typed, whoever types it
RESEND_LIMIT = "5/hour"
FORGOT_ANSWER = _l(
    "如果该邮箱已注册且账户可用，我们已向它发送了重置密码的链接（1 小时内有效，只能使用一次）。"
    "没有收到请检查垃圾邮件，或稍后重试。"
)

add_nav_link(
    "accounts.users",
    _l("账户管理"),
    visible=lambda user: user.can_review_organisations,
    order=905,
    section="console",
    icon="users",
)


def _typed_address() -> str:
    return "forgot:" + (request.form.get("email") or "").strip().lower()[:254]


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(FORGOT_LIMIT, methods=["POST"])
@limiter.limit(FORGOT_ADDRESS_LIMIT, methods=["POST"], key_func=_typed_address)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        recovery.request_password_reset(form.email.data)
        flash(FORGOT_ANSWER, "success")  # the same answer for every address
        return redirect(url_for("accounts.login"))
    return render_form_page("accounts/forgot.html", form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(FORGOT_LIMIT, methods=["POST"])
def reset_password(token: str):
    if recovery.user_for_password_token(token) is None:
        flash(_("重置链接无效或已过期（链接只能使用一次），请重新申请。"), "warning")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            recovery.reset_password(token, form.new_password.data)
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            if current_user.is_authenticated:
                logout_user()  # every session of the account has ended
            flash(_("密码已重置，请用新密码登录。"), "success")
            return redirect(url_for("accounts.login"))
    return render_form_page("accounts/reset.html", form)


@bp.get("/account/verify/<token>")
def verify_email(token: str):
    user = recovery.verify_email(token)
    target = "accounts.profile" if current_user.is_authenticated else "accounts.login"
    if user is None:
        flash(_("验证链接无效或已过期，请登录后在“我的账户”重新发送验证邮件。"), "warning")
    else:
        flash(_("邮箱 %(email)s 已验证。", email=user.email), "success")
    return redirect(url_for(target))


@bp.post("/account/verify")
@login_required
@limiter.limit(RESEND_LIMIT)
def resend_verification():
    if ConfirmForm().validate_on_submit() and recovery.resend_verification(current_user):
        flash(_("验证邮件已发送到 %(email)s，请查收。", email=current_user.email), "success")
    return redirect(url_for("accounts.profile"))


def _require_staff() -> None:
    if not current_user.can_review_organisations:
        raise NotAllowed()


@bp.get("/console/users")
@login_required
def users():
    _require_staff()
    text = request.args.get("q", "")[: sessions.MAX_QUERY]
    page = paginate(
        sessions.users_query(current_user, text),
        request.args.get("page", 1, type=int),
        sessions.USERS_PER_PAGE,
    )
    return render_template("accounts/users.html", page=page, q=text, form=ConfirmForm())


def _back_to_list():
    return redirect(url_for("accounts.users", q=request.form.get("q") or None))


@bp.post("/console/users/<int:user_id>/disable")
@login_required
def disable_user(user_id: int):
    _require_staff()
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        sessions.disable_user(current_user, user)
        flash(_("已停用 %(email)s，该账户的登录已全部失效。", email=user.email), "success")
    return _back_to_list()


@bp.post("/console/users/<int:user_id>/enable")
@login_required
def enable_user(user_id: int):
    _require_staff()
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        sessions.enable_user(current_user, user)
        flash(_("已重新启用 %(email)s。", email=user.email), "success")
    return _back_to_list()
