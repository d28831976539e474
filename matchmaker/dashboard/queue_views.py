"""/console/jobs: the job queue's state and the retry buttons (registered on the dashboard bp)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import organiser_required
from ..errors import DomainError
from ..extensions import db
from ..jobs.models import JobFailure
from ..needs.forms import ConfirmForm
from ..notifications.models import OutboxMail
from . import queue
from .blueprint import bp


@bp.get("/jobs")
@organiser_required
def jobs_page():
    return render_template("dashboard/jobs.html", state=queue.queue_state(), form=ConfirmForm())


@bp.post("/jobs/failures/<int:failure_id>/retry")
@organiser_required
def retry_job(failure_id: int):
    failure = db.get_or_404(JobFailure, failure_id)
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        again = queue.retry_failure(current_user, failure)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
        return redirect(url_for("dashboard.jobs_page"))
    if again:
        flash(_("已重新排队，稍后由后台执行。"), "success")
    else:
        flash(_("该任务已经重新排队，无需重复操作。"), "info")
    return redirect(url_for("dashboard.jobs_page"))


@bp.post("/jobs/mails/<int:mail_id>/retry")
@organiser_required
def retry_mail(mail_id: int):
    mail = db.get_or_404(OutboxMail, mail_id)
    ConfirmForm().validate_on_submit() or abort(400)
    if queue.retry_mail(current_user, mail):
        flash(_("邮件已重新排队发送。"), "success")
    else:
        flash(_("该邮件不是发送失败状态，无需重发。"), "info")
    return redirect(url_for("dashboard.jobs_page"))
