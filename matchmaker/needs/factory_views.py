"""Factory pages: my needs, new need from a template, edit, submit, withdraw, close, invite,
attachment download."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import require
from ..errors import ValidationFailed
from ..files.downloads import owned_or_404, send_attachment
from ..formtools import apply_errors, render_form_page
from . import engagement, hints, services, states
from .access import can_see_details, role_of
from .blueprint import bp, load_visible
from .forms import ConfirmForm, InviteForm, ReasonForm
from .formsetup import need_form, picked_template
from .hall_views import render_detail
from .models import Need
from .picker import picker_context


@bp.get("/needs/mine")
@require("is_factory_member")
def mine():
    needs = services.my_needs(current_user)
    counts = engagement.engagement_counts([need.id for need in needs])
    return render_template("needs/mine.html", needs=needs, counts=counts)


@bp.route("/needs/new", methods=["GET", "POST"])
@require("is_factory_member")
def new():
    template, is_other = picked_template(request.args.get("template"))
    if template is None and not is_other:
        return render_template(
            "needs/pick.html", **picker_context(request.args, current_user.organisation_id)
        )
    form = need_form(template=template)
    if wants_hints(form):
        return _hints_page(form, need=None, template=template)
    if form.validate_on_submit():
        fields, kpis = form.content()
        try:
            need = services.create_need(
                current_user, fields, kpis, form.attachments.data, submit=form.submitting
            )
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            flash(_("需求已提交审核。") if form.submitting else _("草稿已保存。"), "success")
            return redirect(url_for("needs.detail", need_id=need.id))
    return render_form_page("needs/form.html", form, need=None, template=template)


def wants_hints(form) -> bool:
    """ "智能识别" or "采用" (a suggested template) was pressed: show hints, save nothing."""
    return form.is_submitted() and bool(form.identify.data or request.form.get("use_template"))


def _hints_page(form, need: Need | None, template):
    if request.form.get("use_template"):
        hints.apply_template(form, request.form.get("use_template"))
    found = hints.hints_for(hints.form_text(form), need.id if need else None)
    attachments = services.attachments_of(need) if need else []
    return render_template(
        "needs/form.html",
        form=form,
        need=need,
        template=template,
        attachments=attachments,
        hints=found,
    )


@bp.route("/needs/<int:need_id>/edit", methods=["GET", "POST"])
@require("is_authenticated")
def edit(need_id: int):
    need = load_visible(need_id)
    services.require_editable(current_user, need)
    form = need_form(need=need)
    if wants_hints(form):
        return _hints_page(form, need=need, template=need.template)
    if form.validate_on_submit():
        fields, kpis = form.content()
        try:
            services.update_need(
                current_user, need, fields, kpis, form.attachments.data, submit=form.submitting
            )
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            flash(_("需求已保存。"), "success")
            return redirect(url_for("needs.detail", need_id=need.id))
    return render_form_page(
        "needs/form.html",
        form,
        need=need,
        template=need.template,
        attachments=services.attachments_of(need),
    )


@bp.post("/needs/<int:need_id>/submit")
@require("is_authenticated")
def submit(need_id: int):
    need = load_visible(need_id)
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        services.submit_need(current_user, need)
    except ValidationFailed as err:
        flash(err.message, "error")
        editable = states.can_edit(need.status, role_of(current_user, need))
        return redirect(url_for("needs.edit" if editable else "needs.detail", need_id=need.id))
    flash(_("需求已提交审核。"), "success")
    return redirect(url_for("needs.detail", need_id=need.id))


@bp.post("/needs/<int:need_id>/withdraw")
@require("is_authenticated")
def withdraw(need_id: int):
    need = load_visible(need_id)
    ConfirmForm().validate_on_submit() or abort(400)
    services.withdraw_need(current_user, need)
    flash(_("需求已撤回。"), "success")
    return redirect(url_for("needs.detail", need_id=need.id))


@bp.post("/needs/<int:need_id>/close")
@require("is_authenticated")
def close(need_id: int):
    need = load_visible(need_id)
    form = ReasonForm()
    if not form.validate_on_submit():  # its message beside the comment, the comment kept
        return render_detail(need, 422, reason_form=form)
    services.close_need(current_user, need, form.comment.data)
    flash(_("需求已关闭。"), "success")
    return redirect(url_for("needs.detail", need_id=need.id))


@bp.post("/needs/<int:need_id>/invite")
@require("is_authenticated")
def invite(need_id: int):
    need = load_visible(need_id)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation = engagement.invite_vendor(current_user, need, form.vendor.data)
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            flash(_("已邀请 %(org)s。", org=invitation.organisation.name), "success")
            return redirect(url_for("needs.detail", need_id=need.id))
    return render_detail(need, invite_form=form, status=422)


@bp.get("/needs/<int:need_id>/files/<int:attachment_id>")
def attachment(need_id: int, attachment_id: int):
    need = load_visible(need_id)
    item = owned_or_404(services.ATTACHMENT_OWNER, need.id, attachment_id)
    if not can_see_details(current_user, need):
        abort(403)
    return send_attachment(item)
