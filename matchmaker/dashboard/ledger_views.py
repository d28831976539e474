"""场景券台账 pages: /vouchers/ (a factory's own lines, organisers all), its CSV/XLSX export,
and the organiser's payment and 冲销 (reversal) forms. The rules live in `competitions.ledger`."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import clock
from ..auth import organiser_required
from ..competitions import ledger
from ..competitions import statuses as st
from ..competitions.forms import PaymentForm, ReversalForm
from ..competitions.models import Award, VoucherPayment
from ..csvfile import csv_response
from ..errors import DomainError
from ..extensions import db
from ..nav import add_nav_link
from ..numbers import int_arg
from .blueprint import download_response
from .spreadsheet import XLSX_MIMETYPE, Table, to_csv, to_xlsx

bp = Blueprint("ledger", __name__, url_prefix="/vouchers")

add_nav_link(
    "ledger.index",
    _l("场景券台账"),
    visible=lambda u: u.is_factory_member or u.is_organiser,
    order=47,
    icon="coin",
)


def _viewer_or_403() -> None:
    if not ledger.can_view(current_user):
        abort(403)


def _year() -> int | None:
    return int_arg(request.args, "year")


def render_ledger(
    status: int = 200,
    form: PaymentForm | None = None,
    award_id: int | None = None,
    reversal: ReversalForm | None = None,
    payment_id: int | None = None,
):
    """The ledger; after a refused form, that form (by award or payment) open with its errors."""
    year = _year()
    return render_template(
        "vouchers/index.html",
        summaries=ledger.summaries(current_user, year),
        years=ledger.years(current_user),
        year=year,
        form=form or PaymentForm(formdata=None),
        blank=PaymentForm(formdata=None),
        failed_award=award_id,
        reversal=reversal or ReversalForm(formdata=None),
        blank_reversal=ReversalForm(formdata=None),
        failed_payment=payment_id,
        reversal_text=ledger.reversal_text,
        today=clock.local_now().date().isoformat(),
        labels=st.VOUCHER_LABELS,
    ), status


@bp.get("/")
@login_required
def index():
    _viewer_or_403()
    return render_ledger()


def table(viewer, year: int | None) -> Table:
    header, rows = ledger.export_rows(viewer, year)
    return Table(str(_("场景券台账")), header, rows)


@bp.get("/ledger.<any(csv, xlsx):fmt>")
@login_required
def export(fmt: str):
    _viewer_or_403()
    sheet = table(current_user, _year())
    if fmt == "csv":
        return csv_response(to_csv(sheet), "voucher-ledger.csv")
    return download_response(to_xlsx(sheet), XLSX_MIMETYPE, "voucher-ledger.xlsx")


def _paid_on(text: str):
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


@bp.post("/awards/<int:award_id>/payments")
@organiser_required
def record_payment(award_id: int):
    award = db.get_or_404(Award, award_id)
    form = PaymentForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        _payment, created = ledger.record_payment(
            current_user,
            award,
            ledger.parse_amount(form.amount.data),
            _paid_on(form.paid_on.data),
            form.reference.data or "",
            form.note.data or "",
        )
    except DomainError as err:
        db.session.rollback()
        for name, messages in err.fields.items():
            getattr(form, name).errors = list(messages)
        flash(err.summary, "error")
        return render_ledger(err.status, form, award.id)
    if created:
        flash(_("兑付已登记，并通知了发榜企业。"), "success")
    else:
        flash(_("该凭证号的兑付已登记过，本次未重复登记。"), "info")
    return redirect(url_for("ledger.index", year=award.voucher_year, _anchor=f"award-{award.id}"))


@bp.post("/payments/<int:payment_id>/reverse")
@organiser_required
def reverse_payment(payment_id: int):
    """冲销: the payment stays on the ledger, marked reversed with the reason; twice is once."""
    payment = db.get_or_404(VoucherPayment, payment_id)
    award_id, year = payment.award_id, payment.award.voucher_year
    form = ReversalForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        done = ledger.reverse_payment(current_user, payment, form.reason.data or "")
    except DomainError as err:
        db.session.rollback()
        for name, messages in err.fields.items():
            getattr(form, name).errors = list(messages)
        flash(err.summary, "error")
        return render_ledger(err.status, reversal=form, payment_id=payment_id)
    if done:
        flash(_("兑付已冲销，不再计入已兑付；如需更正，请重新登记正确的兑付。"), "success")
    else:
        flash(_("该笔兑付已冲销；本次操作未作更改。"), "info")
    return redirect(url_for("ledger.index", year=year, _anchor=f"award-{award_id}"))
