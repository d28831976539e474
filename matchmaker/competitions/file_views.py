"""Downloads of application attachments and milestone evidence, for those who may see them."""

from __future__ import annotations

from flask import abort, send_file
from flask_login import login_required

from ..extensions import db
from ..files.models import Attachment
from ..files.services import attachment_path
from . import delivery
from .blueprint import application_or_404, award_or_404, bp
from .models import Milestone, Rectification


def _send(item: Attachment):
    return send_file(
        attachment_path(item),
        mimetype=item.content_type,
        as_attachment=True,
        download_name=item.filename,
    )


@bp.get("/applications/<int:application_id>/files/<int:attachment_id>")
@login_required
def application_file(application_id: int, attachment_id: int):
    application = application_or_404(application_id)
    item = db.get_or_404(Attachment, attachment_id)
    if item.owner_type != "application" or item.owner_id != application.id:
        abort(404)
    return _send(item)


@bp.get("/milestones/<int:milestone_id>/files/<int:attachment_id>")
@login_required
def milestone_file(milestone_id: int, attachment_id: int):
    milestone = db.get_or_404(Milestone, milestone_id)
    record = delivery.award_of_milestone(milestone)
    if record is None:
        abort(404)
    award_or_404(record.id)
    item = db.get_or_404(Attachment, attachment_id)
    if item.owner_type != "milestone" or item.owner_id != milestone.id:
        abort(404)
    return _send(item)


@bp.get("/rectifications/<int:rectification_id>/files/<int:attachment_id>")
@login_required
def rectification_file(rectification_id: int, attachment_id: int):
    fix = db.get_or_404(Rectification, rectification_id)
    award_or_404(fix.award_id)
    item = db.get_or_404(Attachment, attachment_id)
    if item.owner_type != "rectification" or item.owner_id != fix.id:
        abort(404)
    return _send(item)
