"""Message pages: a need's threads (factory), one thread (factory and that vendor), reporting a
message, its attachments; the organisers' report queue at /console/message-reports."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..auth import organiser_required
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..files.downloads import owned_or_404, send_attachment
from ..formtools import apply_errors
from ..nav import add_nav_link
from ..needs.access import visible_needs_query
from ..needs.models import Need
from . import services
from .forms import HandleForm, MessageForm, ReportForm
from .models import FACTORY, MessageReport, NeedMessage

bp = Blueprint("messages", __name__)

add_nav_link(
    "messages.reports",
    _l("消息举报"),
    visible=lambda user: user.is_organiser,
    order=880,
    section="console",
    icon="flag",
)

UPLOAD_LIMIT = services.MAX_FILES * services.POLICY.max_bytes + 1024 * 1024


@bp.url_value_preprocessor
def _upload_limit(endpoint: str | None, values: dict | None) -> None:
    if endpoint == "messages.thread":
        request.max_content_length = max(
            UPLOAD_LIMIT, current_app.config.get("MAX_CONTENT_LENGTH") or 0
        )


@bp.app_template_global("need_messages_link")
def need_messages_link(need: Need, role: str | None, vendor: bool, details: bool) -> str | None:
    """For the need page, from what it already knows (no query: its statement budget is fixed):
    the factory's list of threads, or a vendor's own thread page once it may read the details
    (that page says how to start when the vendor has not yet sent interest or accepted the NDA)."""
    if role == "owner":
        return url_for("messages.threads", need_id=need.id)
    if vendor and details and need.is_published:
        return url_for("messages.thread", need_id=need.id, vendor_id=current_user.organisation_id)
    return None


def _need(need_id: int) -> Need:
    return db.first_or_404(visible_needs_query(current_user).where(Need.id == need_id))


@bp.get("/needs/<int:need_id>/messages")
@login_required
def threads(need_id: int):
    need = _need(need_id)
    if services.side_of(current_user, need, current_user.organisation_id or 0) == "vendor":
        return redirect(url_for(".thread", need_id=need.id, vendor_id=current_user.organisation_id))
    if services.side_of(current_user, need, 0) != FACTORY:
        abort(404)
    existing = services.threads_of(need)
    started = {t.vendor_id for t in existing}
    waiting = [o for o in services.engaged_vendors(need) if o.id not in started]
    return render_template("messages/threads.html", need=need, threads=existing, waiting=waiting)


def _thread_page(need, vendor_id, side, form, status=200, failed_report=None):
    """The thread; `failed_report` = (message id, its refused report form, shown with what was
    typed and why)."""
    thread = services.thread_of(need, vendor_id)
    messages = thread.messages if thread else []
    vendor = thread.vendor if thread else db.get_or_404(services.Organisation, vendor_id)
    page = render_template(
        "messages/thread.html",
        need=need,
        vendor=vendor,
        side=side,
        messages=messages,
        files=services.attachments_of(messages),
        engaged=services.engaged(need, vendor_id),
        form=form,
        report_form=ReportForm(formdata=None),
        failed_report=failed_report,
    )
    return page, status


@bp.route("/needs/<int:need_id>/messages/<int:vendor_id>", methods=["GET", "POST"])
@login_required
def thread(need_id: int, vendor_id: int):
    need = _need(need_id)
    side = services.side_of(current_user, need, vendor_id)
    if side is None:
        abort(404)
    unknown = services.thread_of(need, vendor_id) is None and not services.engaged(need, vendor_id)
    if side == FACTORY and unknown:
        abort(404)  # a vendor that never engaged: no thread to open
    form = MessageForm()
    if not form.is_submitted():
        form.fresh_token()
        return _thread_page(need, vendor_id, side, form)
    if not form.validate_on_submit():
        return _thread_page(need, vendor_id, side, form, 422)
    try:
        files = request.files.getlist(form.files.name)
        _message, created = services.send_message(
            current_user, need, vendor_id, form.body.data, form.token.data, files
        )
    except ValidationFailed as err:
        apply_errors(form, err)
        return _thread_page(need, vendor_id, side, form, 422)
    except DomainError as err:
        flash(err.message, "error")
        return _thread_page(need, vendor_id, side, form, err.status)
    flash(_("消息已发送。") if created else _("这条消息已经发送过，未重复发送。"), "success")
    return redirect(url_for(".thread", need_id=need.id, vendor_id=vendor_id) + "#latest")


def _message(message_id: int) -> NeedMessage:
    """A message of a thread the user takes part in (404 for anyone else, organisers too)."""
    message = db.get_or_404(NeedMessage, message_id)
    thread = message.thread
    need = _need(thread.need_id)
    if services.side_of(current_user, need, thread.vendor_id) is None:
        abort(404)
    return message


@bp.post("/needs/messages/<int:message_id>/report")
@login_required
def report(message_id: int):
    message = _message(message_id)
    back = url_for(".thread", need_id=message.thread.need_id, vendor_id=message.thread.vendor_id)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            _report, created = services.report_message(current_user, message, form.reason.data)
        except ValidationFailed as err:
            apply_errors(form, err)
        except DomainError as err:
            flash(err.message, "error")
            return redirect(f"{back}#message-{message.id}")
        else:
            flash(
                _("已举报，主办方将核实处理。") if created else _("您已举报过这条消息。"), "success"
            )
            return redirect(f"{back}#message-{message.id}")
    thread = message.thread
    side = services.side_of(current_user, thread.need, thread.vendor_id)
    page_form = MessageForm(formdata=None)
    page_form.fresh_token()
    return _thread_page(thread.need, thread.vendor_id, side, page_form, 422, (message.id, form))


@bp.get("/needs/messages/<int:message_id>/files/<int:attachment_id>")
@login_required
def attachment(message_id: int, attachment_id: int):
    message = _message(message_id)
    return send_attachment(owned_or_404(services.ATTACHMENT_OWNER, message.id, attachment_id))


@bp.get("/console/message-reports")
@organiser_required
def reports():
    return _reports_page()


def _reports_page(failed_id: int | None = None, failed_form: HandleForm | None = None):
    """消息举报; a report whose handling form was refused shows it with its errors and note (422)."""
    return render_template(
        "messages/reports.html",
        open_reports=services.open_reports(),
        handled=services.handled_reports(),
        files=services.attachments_of([r.message for r in services.open_reports()]),
        form=HandleForm(formdata=None),
        failed_id=failed_id,
        failed_form=failed_form,
    ), (200 if failed_form is None else 422)


@bp.post("/console/message-reports/<int:report_id>")
@organiser_required
def handle(report_id: int):
    report = db.get_or_404(MessageReport, report_id)
    form = HandleForm()
    if not form.validate_on_submit():
        return _reports_page(report.id, form)
    done = services.handle_report(current_user, report, form.note.data)
    flash(_("举报已处理。") if done else _("该举报已处理过。"), "success")
    return redirect(url_for(".reports"))
