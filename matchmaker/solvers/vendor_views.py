"""A vendor member's pages: the organisation's profile and its offerings."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import require
from ..errors import ValidationFailed
from ..formtools import apply_errors
from ..scenarios.services import taxonomy_names
from . import lifecycle, offerings, profiles, queries, search_documents
from .blueprint import bp, own_offering_or_404, render_form_page, taxonomy_choices
from .forms import CommentForm, OfferingForm, ProfileForm, SelectChoice, pad_rows

vendor_required = require("is_vendor_member")


@bp.get("/vendor/profile")
@vendor_required
def my_profile():
    org = current_user.organisation
    return render_template("solvers/my_profile.html", org=org, profile=profiles.profile_of(org))


def _profile_page(form, org):
    """Blank case-study rows to fill in, taxonomy choices, and the 422 status on errors."""
    choices = taxonomy_choices()
    form.industry_ids.choices = choices["industries"]
    pad_rows(form.case_studies)
    for row in form.case_studies:
        row.template_id.choices = [SelectChoice("", "—"), *choices["templates"]]
    return render_form_page("solvers/profile_form.html", form, org=org)


@bp.route("/vendor/profile/edit", methods=["GET", "POST"])
@vendor_required
def edit_profile():
    org = current_user.organisation
    form = ProfileForm(data=ProfileForm.initial(profiles.profile_of(org)))
    if form.validate_on_submit():
        try:
            profiles.save_profile(current_user, org, form.to_data())
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            flash(_("机构介绍已保存。"), "success")
            return redirect(url_for("solvers.my_profile"))
    return _profile_page(form, org)


@bp.get("/vendor/offerings")
@vendor_required
def my_offerings():
    return render_template(
        "solvers/my_offerings.html",
        offerings=queries.organisation_offerings(current_user.organisation_id),
        action_form=CommentForm(formdata=None),
    )


def _offering_form(offering=None) -> OfferingForm:
    form = OfferingForm(data=OfferingForm.initial(offering) if offering else None)
    choices = taxonomy_choices()
    form.category_ids.choices = choices["categories"]
    form.industry_ids.choices = choices["industries"]
    form.template_ids.choices = choices["templates"]
    return form


def _offering_page(form, offering=None):
    pad_rows(form.kpis, blank=3)
    attachments = offerings.offering_attachments(offering) if offering else []
    return render_form_page(
        "solvers/offering_form.html", form, offering=offering, attachments=attachments
    )


@bp.route("/vendor/offerings/new", methods=["GET", "POST"])
@vendor_required
def new_offering():
    form = _offering_form()
    if form.validate_on_submit():
        try:
            offering = offerings.create_offering(
                current_user, form.to_data(), form.attachments.data
            )
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            flash(_("方案草稿已保存。确认无误后请提交审核。"), "success")
            return redirect(url_for("solvers.offering", offering_id=offering.id))
    return _offering_page(form)


@bp.route("/vendor/offerings/<int:offering_id>/edit", methods=["GET", "POST"])
@vendor_required
def edit_offering(offering_id: int):
    offering = own_offering_or_404(offering_id)
    form = _offering_form(offering)
    if form.validate_on_submit():
        try:
            offerings.update_offering(current_user, offering, form.to_data(), form.attachments.data)
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            flash(_("方案已保存。"), "success")
            return redirect(url_for("solvers.offering", offering_id=offering.id))
    return _offering_page(form, offering)


@bp.post("/vendor/offerings/<int:offering_id>/files/<int:attachment_id>/delete")
@vendor_required
def delete_attachment(offering_id: int, attachment_id: int):
    offering = own_offering_or_404(offering_id)
    offerings.remove_attachment(current_user, offering, attachment_id)
    flash(_("附件已删除。"), "success")
    return redirect(url_for("solvers.edit_offering", offering_id=offering.id))


@bp.post("/vendor/offerings/<int:offering_id>/submit")
@vendor_required
def submit_offering(offering_id: int):
    offering = own_offering_or_404(offering_id)
    lifecycle.submit_offering(current_user, offering)
    flash(_("方案已提交，主办方审核后将公开发布。"), "success")
    return redirect(url_for("solvers.my_offerings"))


@bp.post("/vendor/offerings/<int:offering_id>/retire")
@vendor_required
def retire_offering(offering_id: int):
    offering = own_offering_or_404(offering_id)
    form = CommentForm()
    lifecycle.retire_offering(current_user, offering, form.comment.data or "")
    flash(_("方案已下架。"), "success")
    return redirect(url_for("solvers.my_offerings"))


@bp.get("/vendor/matching-needs")
@vendor_required
def matching_needs():
    """适合我的榜单: published needs that match the organisation's published offerings."""
    result = search_documents.recommendations_for(current_user)
    page = search_documents.page_of(result, request.args.get("page"))
    if page is None:
        abort(404)
    return render_template(
        "solvers/matching_needs.html", result=page, taxonomy_names=taxonomy_names()
    )
