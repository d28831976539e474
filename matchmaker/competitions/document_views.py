"""The printable documents: a print-friendly page and the same document as a PDF."""

from __future__ import annotations

from flask import Response, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from . import documents
from .blueprint import bp
from .models import Award, Listing


def _listing_notice(listing_id: int) -> documents.Document:
    listing = db.get_or_404(Listing, listing_id)
    if not documents.can_read_notice(current_user, listing):
        abort(404)
    return documents.publicity_notice(listing)


def _award(award_id: int, check) -> Award:
    award = db.get_or_404(Award, award_id)
    if not check(current_user, award):
        abort(404)
    return award


def _page(document: documents.Document, pdf_url: str, back: tuple[str, str]):
    """The document as a page; `back` is (url, label) of the page it belongs to, so that the
    reader has a way on (the document page has no other link of its own)."""
    return render_template(
        "documents/page.html",
        body=document.template,
        doc_title=document.title,
        pdf_url=pdf_url,
        back_url=back[0],
        back_label=back[1],
        **document.context,
    )


def _award_back(award_id: int) -> tuple[str, str]:
    return url_for(".award_page", award_id=award_id), _("返回挂帅详情")


def _pdf(document: documents.Document) -> Response:
    response = Response(documents.render_pdf(document), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{document.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/listings/<int:listing_id>/publicity/notice")
def publicity_notice(listing_id: int):
    document = _listing_notice(listing_id)
    return _page(
        document,
        url_for(".publicity_notice_pdf", listing_id=listing_id),
        (url_for(".publicity_page", listing_id=listing_id), _("返回公示页面")),
    )


@bp.get("/listings/<int:listing_id>/publicity/notice.pdf")
def publicity_notice_pdf(listing_id: int):
    return _pdf(_listing_notice(listing_id))


@bp.get("/awards/<int:award_id>/notice")
@login_required
def award_notice(award_id: int):
    award = _award(award_id, documents.can_read_award_notice)
    return _page(
        documents.award_notice(award),
        url_for(".award_notice_pdf", award_id=award_id),
        _award_back(award_id),
    )


@bp.get("/awards/<int:award_id>/notice.pdf")
@login_required
def award_notice_pdf(award_id: int):
    return _pdf(documents.award_notice(_award(award_id, documents.can_read_award_notice)))


@bp.get("/awards/<int:award_id>/acceptance-report")
@login_required
def acceptance_report(award_id: int):
    award = _award(award_id, documents.can_read_acceptance_report)
    return _page(
        documents.acceptance_report(award),
        url_for(".acceptance_report_pdf", award_id=award_id),
        _award_back(award_id),
    )


@bp.get("/awards/<int:award_id>/acceptance-report.pdf")
@login_required
def acceptance_report_pdf(award_id: int):
    award = _award(award_id, documents.can_read_acceptance_report)
    return _pdf(documents.acceptance_report(award))
