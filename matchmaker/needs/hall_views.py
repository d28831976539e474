"""The listing hall (揭榜大厅), the need page, and what vendors do there (NDA, follow, interest)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth import require
from ..errors import ValidationFailed
from ..extensions import db
from ..formtools import apply_errors
from ..i18n import current_locale
from ..pagecache import anonymous_page
from ..scenarios.models import Industry, ScenarioCategory
from ..scenarios.services import taxonomy_names
from . import engagement, hall, hints, search_documents, services, states
from .access import (
    actions_for,
    can_see,
    can_see_details,
    has_accepted_nda,
    is_vendor,
    owner_label,
    role_of,
)
from .blueprint import bp, load_visible
from .choices import TOWNS, VOUCHERS
from .forms import ConfirmForm, InterestForm, InviteForm, ReasonForm
from .models import Need


@bp.get("/needs/", endpoint="hall")
@anonymous_page(hall.content_stamp)
def hall_page():
    filters = hall.parse_filters(request.args)
    try:
        page = hall.listing(current_user, filters, hall.parse_page(request.args.get("page")))
    except hall.PageOutOfRange:
        abort(404)
    industries = db.session.scalars(select(Industry).order_by(Industry.position)).all()
    categories = db.session.scalars(
        select(ScenarioCategory).order_by(ScenarioCategory.position)
    ).all()
    return render_template(
        "needs/hall.html",
        page=page,
        filters=filters,
        industries=industries,
        categories=categories,
        towns=sorted(set(hall.hall_towns()) | set(TOWNS)),
        vouchers=VOUCHERS,
        owner_label=lambda need: owner_label(current_user, need),
        locale=current_locale(),
    )


def _match_context(need: Need, role: str | None) -> dict:
    """The owner's and organisers' "推荐揭榜方" for a published need."""
    if role == states.OWNER and need.status in (states.DRAFT, states.RETURNED):
        text = search_documents.draft_text(need)
        return {"matches": None, "duplicates": hints.duplicates_of(text, need.id)}
    if role is None or need.status != states.PUBLISHED:
        return {"matches": None}
    owner = role == states.OWNER
    return {
        "matches": search_documents.offerings_for(need, user_id=current_user.id if owner else None),
        "taxonomy_names": taxonomy_names(),
        "judge": owner,
        "judgments": None if owner else search_documents.judgments_of(need),
    }


def render_detail(need: Need, status: int = 200, **forms):
    role = role_of(current_user, need)
    context = {
        "need": need,
        "role": role,
        "details": can_see_details(current_user, need),
        "owner_name": owner_label(current_user, need),
        "actions": actions_for(current_user, need),
        "can_edit": states.can_edit(need.status, role),
        "vendor": is_vendor(current_user),
        "nda_accepted": has_accepted_nda(current_user, need),
        "following": current_user.is_authenticated and engagement.is_following(current_user, need),
        "confirm_form": ConfirmForm(),
        "reason_form": forms.get("reason_form") or ReasonForm(formdata=None),
        "interest_form": forms.get("interest_form") or InterestForm(formdata=None),
        "invite_form": forms.get("invite_form") or InviteForm(formdata=None),
        "attachments": services.attachments_of(need),
        "engagement": engagement.engagement(need) if role else None,
        **_match_context(need, role),
        "locale": current_locale(),
    }
    return render_template("needs/detail.html", **context), status


@bp.get("/needs/<int:need_id>")
@anonymous_page(hall.content_stamp)
def detail(need_id: int):
    merged = db.session.get(Need, need_id)
    if merged is not None and merged.merged_into_id and not can_see(current_user, merged):
        return redirect(url_for("needs.detail", need_id=merged.merged_into_id))
    need = load_visible(need_id)
    engagement.record_view(current_user, need)
    return render_detail(need)


def _vendor_action(need_id: int, action, message: str):
    need = load_visible(need_id)
    ConfirmForm().validate_on_submit() or abort(400)
    action(current_user, need)
    flash(message, "success")
    return redirect(url_for("needs.detail", need_id=need.id))


@bp.post("/needs/<int:need_id>/nda")
@require("is_authenticated")
def accept_nda(need_id: int):
    return _vendor_action(
        need_id, engagement.accept_nda, _("已签署保密承诺，现在可以查看需求详情。")
    )


@bp.post("/needs/<int:need_id>/follow")
@require("is_authenticated")
def follow(need_id: int):
    return _vendor_action(need_id, engagement.follow_need, _("已关注该需求，需求变更时将通知您。"))


@bp.post("/needs/<int:need_id>/unfollow")
@require("is_authenticated")
def unfollow(need_id: int):
    return _vendor_action(need_id, engagement.unfollow_need, _("已取消关注。"))


@bp.post("/needs/<int:need_id>/interest")
@require("is_authenticated")
def interest(need_id: int):
    need = load_visible(need_id)
    form = InterestForm()
    if form.validate_on_submit():
        try:
            engagement.send_interest(current_user, need, form.message.data, form.contact.data)
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            flash(_("意向响应已发送给需求方。"), "success")
            return redirect(url_for("needs.detail", need_id=need.id))
    return render_detail(need, interest_form=form, status=422)
