"""评审: assigning experts (never a conflicted one), recusal, score sheets, ranking, feedback."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..accounts.models import Organisation, User
from ..errors import InvalidTransition, NotAllowed, ValidationFailed
from ..extensions import db
from ..notifications.services import notify
from . import audit, scoring, stages
from . import statuses as st
from .access import assignment_of, organisers, require_organiser
from .applications import applications_of
from .invalid import invalid
from .models import (
    Application,
    ExpertAssignment,
    ExpertProfile,
    ExpertRelation,
    Listing,
    ScoreSheet,
)
from .transitions import Move

ASSIGNABLE = (stages.PUBLISHED, stages.ACCEPTING, stages.UNDER_REVIEW)


def involved_organisations(listing: Listing) -> dict[int, str]:
    """Organisation id → its part in the listing (owner, applicant or consortium member)."""
    involved: dict[int, str] = {o.id: _("榜单发布单位") for o in listing.owners}
    for app in applications_of(listing, (st.SUBMITTED, st.ELIGIBLE, st.INELIGIBLE)):
        for org_id in app.organisation_ids():
            involved.setdefault(org_id, _("揭榜单位或联合体成员"))
    return involved


def relation_reason(relation: ExpertRelation) -> str:
    if relation.recorded:
        return _("组织方登记了专家与%(org)s的关联关系", org=relation.organisation.name)
    return _("专家申报了与%(org)s的关联关系", org=relation.organisation.name)


def relations_of(expert: User) -> list[ExpertRelation]:
    """The expert's relations, declared and recorded, oldest first."""
    query = (
        select(ExpertRelation)
        .where(ExpertRelation.expert_id == expert.id)
        .order_by(ExpertRelation.declared_at, ExpertRelation.id)
    )
    return list(db.session.scalars(query))


def conflicts(expert: User, listing: Listing) -> list[str]:
    """Why `expert` may not review `listing` (empty when there is no conflict of interest):
    staff of an organisation involved in it, or a relation with one, declared by the expert or
    recorded by an organiser."""
    involved = involved_organisations(listing)
    reasons = []
    if expert.organisation_id in involved:
        reasons.append(_("专家所在单位是%(role)s", role=involved[expert.organisation_id]))
    for relation in relations_of(expert):
        if relation.organisation_id in involved:
            reasons.append(relation_reason(relation))
    return reasons


def conflicted_assignments(expert: User) -> list[tuple[ExpertAssignment, list[str]]]:
    """The expert's active assignments to listings still assignable (before the ranking) that a
    conflict of interest now touches — e.g. after a relation was recorded: the organiser
    adjusts them (the expert is not recused silently)."""
    rows = db.session.scalars(
        select(ExpertAssignment)
        .join(Listing, Listing.id == ExpertAssignment.listing_id)
        .where(
            ExpertAssignment.expert_id == expert.id,
            ExpertAssignment.status == st.ASSIGNED,
            Listing.stage.in_(ASSIGNABLE),
        )
        .order_by(ExpertAssignment.id)
    )
    found = []
    for assignment in rows:
        reasons = conflicts(expert, assignment.listing)
        if reasons:
            found.append((assignment, reasons))
    return found


def assign_expert(actor, listing: Listing, expert: User) -> ExpertAssignment:
    require_organiser(actor)
    if not expert.is_expert or not expert.active:
        raise invalid("expert_id", _("只能指派评审专家。"))
    profile = db.session.get(ExpertProfile, expert.id)
    if profile is not None and profile.pending_invitation:
        raise invalid("expert_id", _("该专家尚未接受邀请，接受后方可指派。"))
    if listing.stage not in ASSIGNABLE:
        raise InvalidTransition(_("该榜单已不能再指派专家。"))
    reasons = conflicts(expert, listing)
    if reasons:
        message = _("存在利益冲突，不能指派：%(reasons)s。", reasons="；".join(reasons))
        raise ValidationFailed(message, fields={"expert_id": [message]})
    if assignment_of(expert, listing) is not None:
        raise invalid("expert_id", _("该专家已被指派到此榜单。"))
    assignment = ExpertAssignment(listing=listing, expert=expert, assigned_by_id=actor.id)
    db.session.add(assignment)
    audit.record(
        actor, "assign_expert", assignment, after={"listing_id": listing.id, "expert_id": expert.id}
    )
    notify(
        [expert],
        "expert_assigned",
        _l("您被指派评审一个榜单"),
        listing.title,
        f"/rounds/reviews/listings/{listing.id}",
    )
    db.session.commit()
    return assignment


def expert_role(actor, assignment: ExpertAssignment) -> str | None:
    return st.EXPERT if assignment.expert_id == getattr(actor, "id", None) else None


def recusal_actions(actor, listing: Listing) -> list[str]:
    """What `actor` may do with their assignment to the listing now (the page's 回避 form)."""
    assignment = assignment_of(actor, listing)
    if assignment is None:
        return []
    return st.ASSIGNMENT_MACHINE.allowed_actions(assignment.status, expert_role(actor, assignment))


def declare_conflict(actor, assignment: ExpertAssignment | None, reason: str) -> bool:
    """The expert recuses themself; their sheets no longer count.

    True when this call recused them; False when they already had (a double click, a second
    tab): the first reason stands, and the audit log has one entry."""
    if assignment is None:
        raise NotAllowed()
    move = Move(assignment, st.ASSIGNMENT_MACHINE, st.RECUSE, expert_role(actor, assignment))
    if move.repeat:
        return False
    reason = reason.strip()
    if not reason:
        raise invalid("reason", _("请说明利益冲突的情况。"))
    if not move.apply(recusal_reason=reason):
        db.session.rollback()
        return False
    audit.record(
        actor,
        "recuse",
        assignment,
        {"status": move.current},
        {"status": assignment.status, "reason": reason},
    )
    db.session.commit()
    return True


def relation_with(expert_id: int, organisation_id: int) -> ExpertRelation | None:
    return db.session.scalar(
        select(ExpertRelation).where(
            ExpertRelation.expert_id == expert_id,
            ExpertRelation.organisation_id == organisation_id,
        )
    )


def add_relation(
    actor, expert_id: int, org: Organisation, note: str, recorded_by_id: int | None
) -> tuple[ExpertRelation, bool]:
    """The (expert, organisation) relation, added unless one exists (of either kind): the
    relation and whether this call added it. A concurrent first add (a double click) that
    inserted it first is found and reported as existing. Not committed."""
    existing = relation_with(expert_id, org.id)
    if existing is not None:
        return existing, False
    relation = ExpertRelation(
        expert_id=expert_id, organisation=org, note=note.strip(), recorded_by_id=recorded_by_id
    )
    try:
        with db.session.begin_nested():
            db.session.add(relation)
    except IntegrityError:
        existing = relation_with(expert_id, org.id)
        if existing is None:
            raise
        return existing, False
    action = "record_relation" if recorded_by_id else "declare_relation"
    after = {"expert_id": expert_id, "organisation_id": org.id, "note": relation.note}
    audit.record(actor, action, relation, after=after)
    return relation, True


def declare_relation(actor, credit_code: str, note: str) -> tuple[ExpertRelation, bool]:
    """The expert declares a relation; one that exists (declared or recorded) stays as it is."""
    if not getattr(actor, "is_expert", False):
        raise NotAllowed()
    org = db.session.scalar(
        select(Organisation).where(Organisation.credit_code == credit_code.strip().upper())
    )
    if org is None:
        raise invalid("credit_code", _("未找到该统一社会信用代码对应的单位。"))
    relation, added = add_relation(actor, actor.id, org, note, None)
    db.session.commit()
    return relation, added


def active_experts(listing: Listing) -> list[User]:
    rows = db.session.scalars(
        select(ExpertAssignment).where(
            ExpertAssignment.listing_id == listing.id, ExpertAssignment.status == st.ASSIGNED
        )
    )
    return [a.expert for a in rows]


def sheet_of(expert, application: Application) -> ScoreSheet | None:
    return db.session.scalar(
        select(ScoreSheet).where(
            ScoreSheet.application_id == application.id, ScoreSheet.expert_id == expert.id
        )
    )


def _new_sheet(actor, application: Application) -> ScoreSheet:
    """The expert's first sheet for the application, inserted at once. When a concurrent first
    save of the same sheet (a double click) inserted it first, this save updates that row."""
    sheet = ScoreSheet(application=application, expert_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(sheet)
    except IntegrityError:
        sheet = sheet_of(actor, application)
        if sheet is None:
            raise
    return sheet


def _sheet_errors(round_, scores: dict[str, float]) -> dict[str, list[str]]:
    problems = scoring.validate_sheet(round_.criteria(), scores)
    return {
        code: [
            _(
                "“%(label)s”请打 0 至 %(max)s 分。",
                label=round_.label_of(code),
                max=f"{round_.scale_max:g}",
            )
        ]
        for code in problems
    }


def save_sheet(actor, application: Application, scores, comments, submit: bool) -> ScoreSheet:
    listing = application.listing
    assignment = assignment_of(actor, listing)
    if assignment is None or not assignment.active or application.status != st.ELIGIBLE:
        raise NotAllowed()
    if listing.stage != stages.UNDER_REVIEW or not listing.round.review_is_open:
        raise InvalidTransition(_("该榜单不在评审阶段（或不在评审时间内）。"))
    sheet = sheet_of(actor, application) or _new_sheet(actor, application)
    if sheet.submitted_at is not None:
        raise InvalidTransition(_("评分表已提交，不能修改。"))
    if submit:
        errors = _sheet_errors(listing.round, scores)
        if errors:
            raise ValidationFailed(fields=errors)
    sheet.scores = {k: float(v) for k, v in scores.items() if v is not None}
    sheet.comments = {k: v for k, v in comments.items() if v}
    db.session.add(sheet)
    if submit:
        sheet.submitted_at = clock.now()
        audit.record(
            actor,
            "submit_scores",
            sheet,
            after={"application_id": application.id, "scores": sheet.scores},
        )
        db.session.flush()
        if panel_complete(listing):
            _panel_done(listing)
    db.session.commit()
    return sheet


def _panel_done(listing: Listing) -> None:
    link = f"/rounds/console/listings/{listing.id}"
    notify(organisers(), "panel_complete", _l("专家评分已全部提交"), listing.title, link)


def submitted_sheets(listing: Listing) -> dict[int, list[ScoreSheet]]:
    """Eligible application id → the submitted sheets of the active (non-recused) experts."""
    experts = {e.id for e in active_experts(listing)}
    result: dict[int, list[ScoreSheet]] = {}
    for app in applications_of(listing, (st.ELIGIBLE,)):
        sheets = db.session.scalars(
            select(ScoreSheet).where(
                ScoreSheet.application_id == app.id, ScoreSheet.submitted_at.is_not(None)
            )
        )
        result[app.id] = [s for s in sheets if s.expert_id in experts]
    return result


def panel_complete(listing: Listing) -> bool:
    """Every active expert has submitted a sheet for every eligible application."""
    experts = {e.id for e in active_experts(listing)}
    sheets = submitted_sheets(listing)
    if not experts or not sheets:
        return False
    return all({s.expert_id for s in panel} == experts for panel in sheets.values())


def ranking(listing: Listing) -> list[scoring.PanelResult]:
    round_ = listing.round
    sheets = {
        app_id: [s.scores for s in panel]
        for app_id, panel in submitted_sheets(listing).items()
        if panel
    }
    return scoring.rank(round_.criteria(), sheets, round_.tie_break)


@dataclass(frozen=True)
class CriterionFeedback:
    label: str
    mean: float
    max_score: float
    comments: tuple[str, ...]


def feedback(application: Application) -> list[CriterionFeedback]:
    """The panel's per-criterion mean and comments, without expert names."""
    listing = application.listing
    panel = submitted_sheets(listing).get(application.id, [])
    rows = []
    for criterion in listing.round.rubric:
        code = criterion["code"]
        scores = [s.scores[code] for s in panel if code in s.scores]
        rows.append(
            CriterionFeedback(
                criterion["label"],
                round(statistics.fmean(scores), 2) if scores else 0.0,
                listing.round.scale_max,
                tuple(s.comments[code] for s in panel if s.comments.get(code)),
            )
        )
    return rows


def feedback_ready(application: Application) -> bool:
    past_review = application.listing.stage not in (
        stages.PUBLISHED,
        stages.ACCEPTING,
        stages.UNDER_REVIEW,
    )
    return past_review and application.status in (st.ELIGIBLE, st.INELIGIBLE)
