"""我的评审: an expert's assigned listings, score sheets, recusal and declared relations."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import clock
from ..auth import require
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..formtools import apply_errors
from . import access, panel, stages
from . import statuses as st
from .applications import applications_of
from .blueprint import bp, reviewed_listing_or_404
from .forms import ActionForm, ReasonForm, RelationForm, parse_float
from .models import Application, ExpertAssignment, Listing, ScoreSheet

expert_required = require("is_expert")


@bp.get("/reviews")
@expert_required
def my_reviews():
    return _reviews_page(RelationForm())


def _reviews_page(form: RelationForm, status: int = 200):
    """我的评审, with the relation form as posted (422: its errors, the typed values kept)."""
    assignments = db.session.scalars(
        select(ExpertAssignment)
        .where(ExpertAssignment.expert_id == current_user.id)
        .order_by(ExpertAssignment.id.desc())
    )
    assignments = list(assignments)
    relations = panel.relations_of(current_user)
    progress = _progress(current_user, assignments)
    assignments.sort(key=lambda a: _TASK_ORDER[progress[a.id].state])  # what to score first
    return render_template(
        "competitions/reviews.html",
        assignments=assignments,
        progress=progress,
        days_until=clock.days_until,
        relations=relations,
        form=form,
    ), status


@dataclass(frozen=True)
class ReviewTask:
    """One line of the expert's workbench: where this expert's score sheets for a listing stand."""

    label: str  # in words, e.g. 评分表待提交（已提交 1/2）
    state: str  # todo | done | waiting | closed | recused
    done: int = 0
    total: int = 0

    @property
    def badge(self) -> str:
        return {
            "todo": _("待评"),
            "done": _("已提交"),
            "waiting": _("未开始"),
            "closed": _("已结束"),
            "recused": _("已回避"),
        }[self.state]


def _progress(expert, assignments) -> dict[int, ReviewTask]:
    """Assignment id → where this expert's score sheets stand."""
    submitted = set(
        db.session.scalars(
            select(ScoreSheet.application_id).where(
                ScoreSheet.expert_id == expert.id, ScoreSheet.submitted_at.is_not(None)
            )
        )
    )
    return {a.id: _task(a, submitted) for a in assignments}


def _task(assignment: ExpertAssignment, submitted: set[int]) -> ReviewTask:
    if not assignment.active:
        return ReviewTask(_("已回避"), "recused")
    if assignment.listing.stage in (stages.PUBLISHED, stages.ACCEPTING):
        return ReviewTask(_("揭榜尚未截止，评审未开始"), "waiting")
    apps = applications_of(assignment.listing, (st.ELIGIBLE,))
    if not apps:
        return ReviewTask(_("暂无待评申报"), "waiting")
    done, total = sum(1 for app in apps if app.id in submitted), len(apps)
    if done == total:
        return ReviewTask(
            _("评分表已提交（%(done)s/%(total)s）", done=done, total=total), "done", done, total
        )
    if assignment.listing.stage != stages.UNDER_REVIEW:
        label = _("评审已结束，未提交（%(done)s/%(total)s）", done=done, total=total)
        return ReviewTask(label, "closed", done, total)
    label = _("评分表待提交（已提交 %(done)s/%(total)s）", done=done, total=total)
    return ReviewTask(label, "todo", done, total)


_TASK_ORDER = {"todo": 0, "waiting": 1, "done": 2, "closed": 3, "recused": 4}


@bp.post("/reviews/relations")
@expert_required
def declare_relation():
    form = RelationForm()
    if form.validate_on_submit():
        try:
            relation, added = panel.declare_relation(
                current_user, form.credit_code.data, form.note.data or ""
            )
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            if added:
                flash(_("关联关系已申报。"), "success")
            else:
                flash(
                    _(
                        "与%(org)s的关联关系已在记录中，无需重复申报。",
                        org=relation.organisation.name,
                    ),
                    "info",
                )
            return redirect(url_for("competitions.my_reviews"))
    return _reviews_page(form, 422)


@bp.get("/reviews/listings/<int:listing_id>")
@expert_required
def review_listing(listing_id: int):
    return _review_listing_page(reviewed_listing_or_404(listing_id), ReasonForm(formdata=None))


def _review_listing_page(listing, reason_form: ReasonForm, status: int = 200):
    """A listing to review, with the recusal form as posted (422: its errors, the reason kept)."""
    apps = applications_of(listing, (st.ELIGIBLE,))
    complete = panel.panel_complete(listing)
    return render_template(
        "competitions/review_listing.html",
        listing=listing,
        apps=apps,
        sheets={a.id: panel.sheet_of(current_user, a) for a in apps},
        panel=panel.submitted_sheets(listing) if complete else None,
        ranking=panel.ranking(listing) if complete else [],
        reason_form=reason_form,
        recusal_actions=panel.recusal_actions(current_user, listing),
    ), status


@bp.post("/reviews/listings/<int:listing_id>/recuse")
@expert_required
def recuse(listing_id: int):
    """Recusal; sent again once recused (the listing's page is then gone: 404 for a GET), it
    changes nothing and says so."""
    listing = db.get_or_404(Listing, listing_id)
    assignment = access.assignment_of(current_user, listing)
    if assignment is None:
        abort(404)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            done = panel.declare_conflict(current_user, assignment, form.reason.data or "")
        except ValidationFailed as err:
            apply_errors(form, err)
        except DomainError as err:
            db.session.rollback()
            flash(err.summary, "error")
            return redirect(url_for("competitions.review_listing", listing_id=listing.id))
        else:
            if done:
                flash(_("已申报利益冲突并回避此榜单。"), "success")
            else:
                flash(_("您已回避此榜单；本次提交未作更改。"), "info")
            return redirect(url_for("competitions.my_reviews"))
    if not assignment.active:  # sent again after the recusal, whatever the form says
        flash(_("您已回避此榜单；本次提交未作更改。"), "info")
        return redirect(url_for("competitions.my_reviews"))
    return _review_listing_page(listing, form, 422)


def _sheet_input(round_) -> tuple[dict, dict]:
    scores = {c["code"]: parse_float(request.form.get(f"score_{c['code']}")) for c in round_.rubric}
    comments = {
        c["code"]: request.form.get(f"comment_{c['code']}", "").strip() for c in round_.rubric
    }
    return scores, comments


@bp.route("/reviews/applications/<int:application_id>", methods=["GET", "POST"])
@expert_required
def score_sheet(application_id: int):
    app = db.get_or_404(Application, application_id)
    listing = reviewed_listing_or_404(app.listing_id)
    if app.status != st.ELIGIBLE:
        abort(404)
    form, errors, status = ActionForm(), {}, 200
    sheet = panel.sheet_of(current_user, app)
    scores, comments = (sheet.scores, sheet.comments) if sheet else ({}, {})
    if form.validate_on_submit():
        scores, comments = _sheet_input(listing.round)
        try:
            panel.save_sheet(current_user, app, scores, comments, submit="submit" in request.form)
        except ValidationFailed as err:
            errors, status = err.fields, 422
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash(_("评分已保存。"), "success")
            return redirect(url_for("competitions.review_listing", listing_id=listing.id))
    context = {"app": app, "listing": listing, "sheet": sheet, "form": form, "errors": errors}
    page = render_template("competitions/sheet.html", scores=scores, comments=comments, **context)
    return page, status
