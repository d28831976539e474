"""专家库 pages: the organisers' pool (invite, edit, deactivate) and the invited expert's
page that sets the password. Logic in `experts.py`."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from sqlalchemy import select

from ..accounts.forms import ConfirmForm
from ..accounts.models import User
from ..auth import organiser_required
from ..errors import NotFound, ValidationFailed
from ..extensions import db, limiter
from ..formtools import apply_errors, render_form_page
from ..nav import add_nav_link
from ..solvers.blueprint import taxonomy_choices
from . import experts
from .blueprint import bp
from .expert_forms import AVAILABILITY_LABELS, AcceptInvitationForm, ExpertForm, InviteForm
from .models import ExpertRelation

add_nav_link(
    "competitions.expert_pool",
    _l("专家库"),
    visible=lambda user: user.is_organiser,
    order=870,
    section="console",
    icon="school",
)


def _with_choices(form):
    options = taxonomy_choices()
    form.category_ids.choices = options["categories"]
    form.industry_ids.choices = options["industries"]
    return form


def _data(form) -> experts.ProfileData:
    return experts.ProfileData(
        name=form.name.data or "",
        organisation_name=form.organisation_name.data or "",
        title=form.title.data or "",
        expertise=form.expertise.data or "",
        availability=form.availability.data or "",
        availability_note=form.availability_note.data or "",
        category_ids=[int(v) for v in form.category_ids.data or [] if str(v).isdigit()],
        industry_ids=[int(v) for v in form.industry_ids.data or [] if str(v).isdigit()],
    )


def _pool_page(form):
    return render_form_page(
        "competitions/expert_pool.html",
        form,
        profiles=experts.pool(),
        loads=experts.loads(),
        labels=AVAILABILITY_LABELS,
        action_form=ConfirmForm(),
    )


@bp.get("/console/experts")
@organiser_required
def expert_pool():
    return _pool_page(_with_choices(InviteForm(formdata=None)))


@bp.post("/console/experts")
@organiser_required
def invite_expert():
    form = _with_choices(InviteForm())
    if form.validate_on_submit():
        try:
            profile = experts.invite_expert(current_user, form.email.data, _data(form))
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            flash(_("已向 %(email)s 发送专家邀请。", email=profile.user.email), "success")
            return redirect(url_for("competitions.expert_pool"))
    return _pool_page(form)


def _expert_or_404(user_id: int) -> User:
    user = db.get_or_404(User, user_id)
    if not user.is_expert:
        raise NotFound()
    return user


@bp.route("/console/experts/<int:user_id>", methods=["GET", "POST"])
@organiser_required
def edit_expert(user_id: int):
    expert = _expert_or_404(user_id)
    profile = experts.profile_of(expert)
    if ExpertForm().is_submitted():
        form = _with_choices(ExpertForm())
    else:
        form = _with_choices(ExpertForm(obj=profile, name=expert.name))
        form.category_ids.data = [str(c.id) for c in profile.categories]
        form.industry_ids.data = [str(i.id) for i in profile.industries]
    if form.validate_on_submit():
        try:
            experts.update_profile(current_user, expert, _data(form))
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            flash(_("专家信息已保存。"), "success")
            return redirect(url_for("competitions.expert_pool"))
    relations = db.session.scalars(
        select(ExpertRelation).where(ExpertRelation.expert_id == expert.id)
    )
    return render_form_page(
        "competitions/expert_form.html",
        form,
        expert=expert,
        profile=profile,
        relations=list(relations),
        load=experts.loads().get(expert.id, 0),
        action_form=ConfirmForm(),
    )


@bp.post("/console/experts/<int:user_id>/<any(deactivate, activate):action>")
@organiser_required
def expert_active(user_id: int, action: str):
    expert = _expert_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        experts.set_active(current_user, expert, action == "activate")
        if action == "activate":
            flash(_("已重新启用专家 %(name)s。", name=expert.name), "success")
        else:
            flash(
                _("已停用专家 %(name)s，其登录已失效，不再被推荐或指派。", name=expert.name),
                "success",
            )
    return redirect(url_for("competitions.expert_pool"))


@bp.post("/console/experts/<int:user_id>/reinvite")
@organiser_required
def reinvite_expert(user_id: int):
    expert = _expert_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        if experts.resend_invitation(current_user, experts.profile_of(expert)):
            flash(_("已重新发送邀请邮件。"), "success")
        else:
            flash(_("该专家已接受邀请或已停用，无需重发。"), "info")
    return redirect(url_for("competitions.expert_pool"))


@bp.route("/experts/invitation/<token>", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def accept_invitation(token: str):
    expert = experts.invited_expert(token)
    if expert is None:
        flash(_("邀请链接无效或已过期（链接只能使用一次），请联系主办方重新发送。"), "warning")
        return redirect(url_for("accounts.login"))
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            experts.accept_invitation(token, form.new_password.data)
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            if current_user.is_authenticated:
                logout_user()
            flash(_("密码已设置，请用邮箱 %(email)s 登录。", email=expert.email), "success")
            return redirect(url_for("accounts.login"))
    return render_form_page("competitions/expert_invitation.html", form, expert=expert)
