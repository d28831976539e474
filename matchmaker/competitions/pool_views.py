"""专家库 pages: the organisers' pool (invite, edit, deactivate) and the invited expert's
page that sets the password. Logic in `experts.py`."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from ..accounts.forms import ConfirmForm
from ..accounts.models import User
from ..auth import organiser_required
from ..errors import NotFound, ValidationFailed
from ..extensions import db, limiter
from ..formtools import apply_errors, render_form_page
from ..nav import add_nav_link
from ..solvers.blueprint import taxonomy_choices
from . import experts, panel
from .blueprint import bp
from .expert_forms import (
    AVAILABILITY_LABELS,
    AcceptInvitationForm,
    ExpertForm,
    InviteForm,
    RecordRelationForm,
)

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
        relations=_relations_by_expert(),
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


def _relations_by_expert() -> dict:
    """Expert id → their relations (declared and recorded), for the pool's table."""
    by_expert: dict[int, list] = {}
    for relation in experts.all_relations():
        by_expert.setdefault(relation.expert_id, []).append(relation)
    return by_expert


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
        form = _profile_form(expert, profile)
    if form.validate_on_submit():
        try:
            experts.update_profile(current_user, expert, _data(form))
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            flash(_("专家信息已保存。"), "success")
            return redirect(url_for("competitions.expert_pool"))
    return _expert_page(expert, profile, form, RecordRelationForm(formdata=None, prefix="relation"))


def _expert_page(expert: User, profile, form, relation_form, status: int | None = None):
    page = render_form_page(
        "competitions/expert_form.html",
        form,
        expert=expert,
        profile=profile,
        relations=panel.relations_of(expert),
        conflicted=panel.conflicted_assignments(expert),
        organisations=[experts.organisation_label(o) for o in experts.relation_organisations()],
        relation_form=relation_form,
        load=experts.loads().get(expert.id, 0),
        action_form=ConfirmForm(),
    )
    return page if status is None else (page[0], status)


def _profile_form(expert: User, profile):
    form = _with_choices(ExpertForm(formdata=None, obj=profile, name=expert.name))
    form.category_ids.data = [str(c.id) for c in profile.categories]
    form.industry_ids.data = [str(i.id) for i in profile.industries]
    return form


@bp.post("/console/experts/<int:user_id>/relations")
@organiser_required
def record_relation(user_id: int):
    expert = _expert_or_404(user_id)
    form = RecordRelationForm(prefix="relation")
    if form.validate_on_submit():
        try:
            done = experts.record_relation(
                current_user, expert, form.organisation.data or "", form.note.data or ""
            )
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            _flash_recorded(done)
            return redirect(url_for("competitions.edit_expert", user_id=expert.id) + "#relations")
    profile = experts.profile_of(expert)
    return _expert_page(expert, profile, _profile_form(expert, profile), form, 422)


def _flash_recorded(done: experts.Recorded) -> None:
    org = done.relation.organisation.name
    if not done.added:
        kind = _("组织方登记") if done.relation.recorded else _("专家申报")
        flash(
            _("与%(org)s的关联关系已在记录中（%(kind)s），未重复登记。", org=org, kind=kind), "info"
        )
    else:
        flash(_("已登记与%(org)s的关联关系。", org=org), "success")
    if done.conflicted:
        titles = _("、").join(f"《{a.listing.title}》" for a, _reasons in done.conflicted)
        flash(
            _(
                "该专家已被指派评审与%(org)s有关的 %(n)d 个榜单：%(titles)s。"
                "系统不会自动回避，请到榜单页调整指派。",
                org=org,
                n=len(done.conflicted),
                titles=titles,
            ),
            "warning",
        )


@bp.post("/console/experts/<int:user_id>/relations/<int:organisation_id>/remove")
@organiser_required
def remove_relation(user_id: int, organisation_id: int):
    expert = _expert_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        result = experts.remove_relation(current_user, expert, organisation_id)
        if result == experts.REMOVED:
            flash(_("已移除该关联关系。"), "success")
        elif result == experts.DECLARED:
            flash(_("这是专家本人申报的关联关系，只能由专家本人撤回。"), "warning")
        else:
            flash(_("该关联关系已不存在。"), "info")
    return redirect(url_for("competitions.edit_expert", user_id=expert.id) + "#relations")


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
