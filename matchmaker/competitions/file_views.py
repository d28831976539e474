"""Downloads of application attachments and milestone evidence, for those who may see them."""

from __future__ import annotations

from flask import abort
from flask_login import login_required

from ..extensions import db
from ..files.downloads import owned_or_404, send_attachment
from . import delivery
from .blueprint import application_or_404, award_or_404, bp
from .models import Milestone, Rectification


@bp.get("/applications/<int:application_id>/files/<int:attachment_id>")
@login_required
def application_file(application_id: int, attachment_id: int):
    application = application_or_404(application_id)
    return send_attachment(owned_or_404("application", application.id, attachment_id))


@bp.get("/milestones/<int:milestone_id>/files/<int:attachment_id>")
@login_required
def milestone_file(milestone_id: int, attachment_id: int):
    milestone = db.get_or_404(Milestone, milestone_id)
    record = delivery.award_of_milestone(milestone)
    if record is None:
        abort(404)
    award_or_404(record.id)
    return send_attachment(owned_or_404("milestone", milestone.id, attachment_id))


@bp.get("/rectifications/<int:rectification_id>/files/<int:attachment_id>")
@login_required
def rectification_file(rectification_id: int, attachment_id: int):
    fix = db.get_or_404(Rectification, rectification_id)
    award_or_404(fix.award_id)
    return send_attachment(owned_or_404("rectification", fix.id, attachment_id))
