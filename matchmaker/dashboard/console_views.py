"""The organiser console: /console (figures and charts), /console/gaps, /console/duplicates,
/console/drafts, /console/import, /console/exports."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import organiser_required
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..formtools import render_form_page
from ..i18n import current_locale
from ..needs.forms import ConfirmForm
from ..needs.models import Need
from ..numbers import INDEX, as_id
from . import charts, drafts, duplicates, exports, figures, gaps, imports, survey, uploads
from .blueprint import bp, download_response
from .forms import CommitForm, MergeForm, UploadForm
from .spreadsheet import CSV_MIMETYPE, XLSX_MIMETYPE, iter_csv, iter_xlsx


@bp.get("")
@organiser_required
def index():
    return render_template(
        "dashboard/index.html",
        figures=figures.headline(),
        charts=charts.overview(current_locale()),
    )


@bp.get("/gaps")
@organiser_required
def gaps_page():
    stored = gaps.stored_report(current_locale())
    report = stored.report
    sort, descending = gaps.sort_order(request.args.get("sort"), request.args.get("order"))
    return render_template(
        "dashboard/gaps.html",
        report=report,
        stored=stored,
        chart=charts.gap_chart(report),
        categories=gaps.sort_rows(report.categories, sort, descending),
        templates=gaps.sort_rows(report.templates, sort, descending),
        sort=sort,
        descending=descending,
    )


@bp.get("/duplicates")
@organiser_required
def duplicates_page(form: MergeForm | None = None, status: int = 200):
    number = request.args.get("page", "1")
    found = duplicates.clusters_page(int(number) if number.isdigit() else 1)
    page = render_template(
        "dashboard/duplicates.html",
        clusters=found.items,
        page=found,
        form=form or MergeForm(),
    )
    return page, status


@bp.post("/duplicates/merge")
@organiser_required
def merge():
    form = MergeForm()
    if not form.validate_on_submit():
        flash(_("请选择主需求后再合并。"), "error")
        return duplicates_page(form, 422)
    try:
        merged = duplicates.merge_needs(current_user, form.primary.data, form.member_ids)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
        return duplicates_page(form, err.status)
    if merged:
        flash(_("已将 %(n)s 条需求合并到主需求。", n=len(merged)), "success")
    else:
        flash(_("这些需求已经合并过，无需重复操作。"), "info")
    return redirect(url_for("dashboard.duplicates_page"))


@bp.get("/drafts")
@organiser_required
def drafts_page(status: int = 200):
    page = render_template(
        "dashboard/drafts.html", drafts=drafts.organiser_drafts(), form=ConfirmForm()
    )
    return page, status


@bp.post("/drafts/<int:need_id>/hand-over")
@organiser_required
def hand_over(need_id: int):
    need = db.get_or_404(Need, need_id)
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        told = drafts.hand_over(current_user, need)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
        return drafts_page(err.status)
    flash(_("已通知该企业的 %(n)s 名成员完善草稿。", n=told), "success")
    return redirect(url_for("dashboard.drafts_page"))


@bp.get("/exports")
@organiser_required
def exports_page():
    return render_template("dashboard/exports.html", tables=exports.TABLES)


@bp.get("/exports/<any(needs, offerings, applications, audit):name>.<any(csv, xlsx):fmt>")
@organiser_required
def export(name: str, fmt: str):
    table = exports.table(name, current_user)
    if fmt == "csv":  # streamed: the header leaves at once, rows follow from the cursor
        return download_response(_streamed(iter_csv(table)), CSV_MIMETYPE, f"{name}.csv")
    return download_response(_streamed(iter_xlsx(table)), XLSX_MIMETYPE, f"{name}.xlsx")


def _streamed(chunks):
    """A streamed body made after the request has ended: each chunk is made inside an app
    context of its own in the request's language (nothing of the request is held between
    chunks; the rows come from the table's own database session)."""
    app, locale = current_app._get_current_object(), current_locale()

    def run():
        try:
            while True:
                with app.app_context(), force_locale(locale):
                    chunk = next(chunks, None)
                if chunk is None:
                    return
                yield chunk
        finally:
            chunks.close()

    return run()


@bp.get("/import/template.xlsx")
@organiser_required
def import_template():
    return download_response(
        survey.template_workbook(), XLSX_MIMETYPE, "needs-survey-template.xlsx"
    )


@bp.route("/import", methods=["GET", "POST"])
@organiser_required
def import_upload():
    form = UploadForm()
    if form.validate_on_submit():
        try:
            token = uploads.store(form.survey.data)
        except ValidationFailed as err:
            form.survey.errors = [*form.survey.errors, err.message]
        else:
            return redirect(url_for("dashboard.import_preview", token=token))
    return render_form_page("dashboard/import.html", form)


def _choices() -> dict[int, int]:
    """The template chosen per row (`template_<row>=<id>`); the service checks each id."""
    chosen = {}
    for name, value in request.form.items():
        row = name.removeprefix("template_")
        if row != name and as_id(row, INDEX) is not None and as_id(value) is not None:
            chosen[int(row)] = int(value)
    return chosen


@bp.route("/import/<token>", methods=["GET", "POST"])
@organiser_required
def import_preview(token: str):
    content = uploads.load(token)
    if content is None:
        abort(404)
    form = CommitForm()
    choices = _choices()
    if form.validate_on_submit() and request.form.get("confirm"):
        try:
            created = imports.commit_import(current_user, content, choices)
        except ValidationFailed as err:
            flash(err.message, "error")
        else:
            uploads.discard(token)
            flash(_("已导入 %(n)s 条需求（草稿）。", n=len(created)), "success")
            return redirect(url_for("dashboard.index"))
    result = imports.preview(current_user, content, choices)
    refused = result.errors or (request.method == "POST" and not result.ready)
    status = 422 if refused else 200
    return render_template("dashboard/preview.html", form=form, result=result), status
