"""Pages of the matchmaking days (/matchdays): the public list and page, registration and
partner choice for approved factories and vendors, each party's agenda and outcomes, and the
organiser's console (create, publish, schedule, pin/remove, grid, table cards)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..auth import organiser_required
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..formtools import apply_errors, render_form_page
from ..nav import add_nav_link
from ..scenarios.services import taxonomy_names
from . import access, operations, queries, states
from .forms import ActionForm, DayForm, OutcomeForm, RegisterForm, SelectChoice, to_utc
from .models import MatchDay, MatchDayMeeting

bp = Blueprint("matchdays", __name__, url_prefix="/matchdays")
add_nav_link(
    "matchdays.console",
    _l("供需对接会"),
    visible=lambda u: u.is_organiser,
    order=870,
    section="console",
    icon="calendar",
)


def _day_or_404(day_id: int) -> MatchDay:
    day = db.get_or_404(MatchDay, day_id)
    if not access.can_see(current_user, day):
        abort(404)
    return day


def _flash_call(call, success: str, unchanged: str | None = None) -> None:
    try:
        result = call()
    except DomainError as err:
        flash(err.summary, "error")
    else:
        flash(
            unchanged if result is False and unchanged else success,
            "info" if result is False else "success",
        )


@bp.get("/")
def index():
    upcoming, past = queries.public_days()
    return render_template("matchdays/index.html", upcoming=upcoming, past=past)


@bp.get("/<int:day_id>")
def day(day_id: int):
    match_day = _day_or_404(day_id)
    kind = access.party_kind(current_user)
    registration = operations.registration_of(
        match_day, getattr(current_user, "organisation_id", None)
    )
    return render_template(
        "matchdays/day.html",
        day=match_day,
        kind=kind,
        registration=registration,
        items=queries.items_of(registration) if registration else [],
        counts={
            k: sum(r.kind == k for r in match_day.registrations) for k in ("factory", "vendor")
        },
    )


@bp.route("/<int:day_id>/register", methods=["GET", "POST"])
@login_required
def register(day_id: int):
    match_day = _day_or_404(day_id)
    kind = access.party_kind(current_user)
    if kind is None:
        abort(403)
    form = RegisterForm()
    form.items.choices = [
        SelectChoice(i.id, i.title) for i in operations.own_items(current_user, kind)
    ]
    form.slots.choices = [SelectChoice(s, match_day.slot_label(s)) for s in match_day.slots]
    registration = operations.registration_of(match_day, current_user.organisation_id)
    if not form.is_submitted():
        form.items.data = [int(i) for i in registration.item_ids] if registration else []
        form.slots.data = list(registration.slots) if registration else match_day.slots
    elif form.validate():
        try:
            operations.register(
                current_user, match_day, form.items.data or [], form.slots.data or []
            )
        except ValidationFailed as err:
            apply_errors(form, err)
        except DomainError as err:
            flash(err.summary, "error")
            return redirect(url_for("matchdays.day", day_id=day_id))
        else:
            flash(_("报名已保存。现在可以选择希望洽谈和不希望洽谈的对象。"), "success")
            return redirect(url_for("matchdays.partners", day_id=day_id))
    return render_form_page("matchdays/register.html", form, day=match_day, kind=kind)


@bp.route("/<int:day_id>/partners", methods=["GET", "POST"])
@login_required
def partners(day_id: int):
    match_day = _day_or_404(day_id)
    if access.party_kind(current_user) is None:
        abort(403)
    registration = operations.registration_of(match_day, current_user.organisation_id)
    if registration is None:
        flash(_("请先报名，再选择洽谈对象。"), "info")
        return redirect(url_for("matchdays.register", day_id=day_id))
    form = ActionForm()
    if form.validate_on_submit():
        choices = {}
        for r in match_day.registrations:
            value = request.form.get(f"choice-{r.organisation_id}")
            if value is not None and r.kind != registration.kind:
                choices[r.organisation_id] = value
        _flash_call(
            lambda: operations.set_choices(current_user, match_day, choices),
            _("洽谈意愿已保存。"),
        )
        return redirect(url_for("matchdays.partners", day_id=day_id))
    ranked = queries.ranked_partners(match_day, registration)
    return render_template(
        "matchdays/partners.html",
        day=match_day,
        registration=registration,
        ranked=ranked,
        form=form,
        taxonomy_names=taxonomy_names(),
        items={p.registration.id: queries.items_of(p.registration) for p in ranked},
    )


@bp.get("/<int:day_id>/agenda")
@login_required
def agenda(day_id: int):
    match_day = _day_or_404(day_id)
    org = getattr(current_user, "organisation_id", None)
    if (
        access.party_kind(current_user) is None
        or operations.registration_of(match_day, org) is None
    ):
        abort(404)
    meetings = queries.agenda(match_day, org) if match_day.status == states.SCHEDULED else []
    return render_template(
        "matchdays/agenda.html",
        day=match_day,
        meetings=meetings,
        titles=queries.titles(meetings),
        side="factory" if current_user.is_factory_member else "vendor",
        form=OutcomeForm(),
        taxonomy_names=taxonomy_names(),
    )


@bp.post("/meetings/<int:meeting_id>/outcome")
@login_required
def outcome(meeting_id: int):
    meeting = db.get_or_404(MatchDayMeeting, meeting_id)
    if access.side_in(current_user, meeting) is None:
        abort(404)
    form = OutcomeForm()
    if form.validate_on_submit():
        _flash_call(
            lambda: operations.record_outcome(current_user, meeting, form.outcome.data),
            _("洽谈结果已记录，谢谢。"),
            _("洽谈结果未变化。"),
        )
    else:
        flash(_("请选择“有意向”或“无意向”。"), "error")
    return redirect(url_for("matchdays.agenda", day_id=meeting.match_day_id))


@bp.get("/console")
@organiser_required
def console():
    return render_template("matchdays/console.html", days=queries.all_days(), form=ActionForm())


@bp.route("/console/new", methods=["GET", "POST"])
@organiser_required
def new():
    form = DayForm()
    if form.validate_on_submit():
        data = operations.DayData(
            **{n: form[n].data for n in ("title", "venue", "description", "day", "starts_at",
                                         "slot_minutes", "slot_count", "tables")},
            registration_closes_at=to_utc(form.registration_closes_at.data),
        )  # fmt: skip
        try:
            created = operations.create_day(current_user, data)
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            flash(_("对接会已创建（草稿）。检查无误后请发布。"), "success")
            return redirect(url_for("matchdays.console_day", day_id=created.id))
    return render_form_page("matchdays/day_form.html", form)


@bp.get("/console/<int:day_id>")
@organiser_required
def console_day(day_id: int):
    match_day = db.get_or_404(MatchDay, day_id)
    meetings = operations.day_meetings(match_day)
    return render_template(
        "matchdays/console_day.html",
        day=match_day,
        meetings=meetings,
        grid=queries.grid(match_day, meetings),
        removed=[m for m in meetings if m.state == "removed"],
        titles=queries.titles(meetings),
        conversion=operations.conversion(match_day),
        items=queries.items_by_registration(match_day.registrations),
        form=ActionForm(),
    )


@bp.post("/console/<int:day_id>/act/<action>")
@organiser_required
def act(day_id: int, action: str):
    match_day = db.get_or_404(MatchDay, day_id)
    if action not in ("publish", "cancel") or not ActionForm().validate_on_submit():
        abort(400)
    labels = {"publish": _("对接会已发布，企业现在可以报名。"), "cancel": _("对接会已取消。")}
    _flash_call(
        lambda: operations.change_status(current_user, match_day, action),
        labels[action],
        _("状态未变化。"),
    )
    return redirect(url_for("matchdays.console_day", day_id=day_id))


@bp.post("/console/<int:day_id>/schedule")
@organiser_required
def schedule(day_id: int):
    match_day = db.get_or_404(MatchDay, day_id)
    if ActionForm().validate_on_submit():
        _flash_call(
            lambda: operations.run_schedule(current_user, match_day),
            _("洽谈日程已排定，各方已收到通知。"),
        )
    return redirect(url_for("matchdays.console_day", day_id=day_id))


@bp.post("/console/meetings/<int:meeting_id>/<action>")
@organiser_required
def meeting_action(meeting_id: int, action: str):
    meeting = db.get_or_404(MatchDayMeeting, meeting_id)
    if action not in operations.MEETING_ACTIONS or not ActionForm().validate_on_submit():
        abort(400)
    _flash_call(
        lambda: operations.set_meeting_state(current_user, meeting, action),
        _("已更新。重新排定时，固定的洽谈保持不变，移除的洽谈不再安排。"),
        _("状态未变化。"),
    )
    return redirect(url_for("matchdays.console_day", day_id=meeting.match_day_id))


@bp.get("/console/<int:day_id>/cards")
@organiser_required
def cards(day_id: int):
    match_day = db.get_or_404(MatchDay, day_id)
    meetings = operations.day_meetings(match_day)
    return render_template(
        "matchdays/cards.html", day=match_day, grid=queries.grid(match_day, meetings)
    )
