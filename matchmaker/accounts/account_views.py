"""Registration, login/logout, profile, password change and organisation review pages.

Form failures re-render the form with the user's input and status 422 (a wrong password
at login included); permission failures are 403 through `NotAllowed`.

Registration answers a new and a known e-mail address alike (redirect to the login page,
"请查收邮件") and does not log in. Logout, 退出所有设备 and a password change end sessions
server-side (`sessions.py`): a saved session or remember-me cookie stops working.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import NotAllowed, ValidationFailed
from ..extensions import db, limiter
from ..formtools import apply_errors, render_form_page
from ..i18n import settle_for
from ..nav import add_nav_link
from ..urls import is_safe_redirect
from . import services, sessions
from .blueprint import bp
from .forms import (
    ConfirmForm,
    DigestForm,
    LoginForm,
    PasswordChangeForm,
    RegistrationForm,
    RejectForm,
)
from .models import Organisation

LOGIN_LIMIT = "10/minute"
REGISTER_LIMIT = "20/hour"
REGISTERED_MESSAGE = _l(
    "注册申请已提交，请查收发送到您邮箱的邮件。新注册的账户现在即可用设置的密码登录；"
    "主办方审核通过后，您的机构即可发布内容。"
)

add_nav_link(
    "accounts.review_organisations",
    _l("机构审核"),
    visible=lambda user: user.can_review_organisations,
    order=900,
    section="console",
    icon="shield-check",
)


def _after_login_target() -> str:
    target = request.args.get("next")
    return target if is_safe_redirect(target) else url_for("accounts.profile")


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(REGISTER_LIMIT, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    form = RegistrationForm()
    if form.validate_on_submit():
        data = services.RegistrationData(
            **{name: form[name].data for name in services.RegistrationData.__dataclass_fields__}
        )
        try:
            services.register_organisation(data)
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            # The same answer whether or not the address already had an account (its owner
            # is told by e-mail): no login here, the new member logs in next.
            flash(REGISTERED_MESSAGE, "success")
            return redirect(url_for("accounts.login"))
    return render_form_page("accounts/register.html", form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_after_login_target())
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            if settle_for(user):
                db.session.commit()
            return redirect(_after_login_target())
        form.form_errors.append(_("邮箱或密码不正确，或账户已停用。"))
    return render_form_page("accounts/login.html", form)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:  # CSRF-checked like every POST (CSRFProtect)
        sessions.end_all_sessions(current_user)
    logout_user()
    flash(_("您已退出登录。"), "success")
    return redirect(url_for("main.index"))


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    sessions.end_all_sessions(current_user)
    logout_user()
    flash(_("已退出所有设备上的登录，请重新登录。"), "success")
    return redirect(url_for("main.index"))


@bp.get("/account")
@login_required
def profile():
    return _profile_page(DigestForm(frequency=current_user.digest_frequency))


def _profile_page(digest_form: DigestForm, status: int = 200):
    page = render_template(
        "accounts/profile.html",
        user=current_user,
        confirm_form=ConfirmForm(),
        digest_form=digest_form,
    )
    return page, status


@bp.post("/account/digest")
@login_required
def digest_settings():
    """The vendor digest's frequency (daily, weekly or off)."""
    form = DigestForm()
    if not current_user.is_vendor_member:
        raise NotAllowed()
    if form.validate_on_submit():
        try:
            services.set_digest_frequency(current_user, form.frequency.data)
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            flash(_("需求推荐邮件设置已保存。"), "success")
            return redirect(url_for("accounts.profile"))
    return _profile_page(form, 422)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            revoked = services.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            login_user(current_user._get_current_object())  # the session id has changed
            flash(_("密码已修改，其他设备上的登录已失效。"), "success")
            if revoked:
                flash(_("您的 %(n)d 个 API 令牌已随之撤销，请按需重新创建。", n=revoked), "warning")
            return redirect(url_for("accounts.profile"))
    return render_form_page("accounts/password.html", form)


def _require_reviewer() -> None:
    if not current_user.can_review_organisations:
        raise NotAllowed()


def _review_page(reject_form=None, failed_id=None, status=200):
    page = render_template(
        "accounts/review.html",
        organisations=services.pending_organisations(),
        approve_form=ConfirmForm(),
        reject_form=reject_form or RejectForm(formdata=None),
        failed_id=failed_id,
    )
    return page, status


@bp.get("/organisations/pending")
@login_required
def review_organisations():
    _require_reviewer()
    return _review_page()


@bp.post("/organisations/<int:org_id>/approve")
@login_required
def approve_organisation(org_id: int):
    _require_reviewer()
    org = db.get_or_404(Organisation, org_id)
    services.approve_organisation(current_user, org)
    flash(_("已通过“%(name)s”的注册审核。", name=org.name), "success")
    return redirect(url_for("accounts.review_organisations"))


@bp.post("/organisations/<int:org_id>/reject")
@login_required
def reject_organisation(org_id: int):
    _require_reviewer()
    org = db.get_or_404(Organisation, org_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return _review_page(form, failed_id=org.id, status=422)
    services.reject_organisation(current_user, org, form.reason.data)
    flash(_("已驳回“%(name)s”的注册申请。", name=org.name), "success")
    return redirect(url_for("accounts.review_organisations"))
