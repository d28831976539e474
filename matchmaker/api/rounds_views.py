"""揭榜挂帅 rounds and listings (public, as on /rounds/: a listing's KPIs and owners as the
caller may see its needs, `competitions.disclosure`) and applications (those the caller
may see by `matchmaker.competitions.access`)."""

from __future__ import annotations

from ..competitions import access, ledger, questions, rounds
from ..competitions.applications import organisation_applications
from ..competitions.models import Application, Listing, Round
from ..errors import NotFound
from ..extensions import db
from . import serialise
from .blueprint import TAGS, actor, api, respond, signed_in_actor
from .schemas import (
    ApplicationList,
    ApplicationOut,
    ApplicationPath,
    ListingOut,
    ListingPath,
    QuestionList,
    QuestionOut,
    RoundList,
    RoundOut,
    RoundPath,
    VoucherLedger,
    VoucherLineOut,
    VoucherPaymentOut,
    VoucherQuery,
    VoucherSummaryOut,
)

TAG = [TAGS["rounds"]]


def _get(model, object_id: int):
    item = db.session.get(model, object_id)
    if item is None:
        raise NotFound()
    return item


@api.get("/rounds", tags=TAG, responses={200: RoundList})
def list_rounds():
    return respond(RoundList(items=[serialise.round_(actor(), r) for r in rounds.all_rounds()]))


@api.get("/rounds/<int:round_id>", tags=TAG, responses={200: RoundOut})
def get_round(path: RoundPath):
    return respond(serialise.round_(actor(), _get(Round, path.round_id)))


@api.get("/listings/<int:listing_id>", tags=TAG, responses={200: ListingOut})
def get_listing(path: ListingPath):
    return respond(serialise.listing(actor(), _get(Listing, path.listing_id)))


@api.get("/listings/<int:listing_id>/questions", tags=TAG, responses={200: QuestionList})
def list_listing_questions(path: ListingPath):
    item = _get(Listing, path.listing_id)
    return respond(
        QuestionList(
            items=[
                QuestionOut(
                    id=q.id,
                    question=q.body,
                    asked_at=q.asked_at,
                    answer=q.answer,
                    answered_at=q.answered_at,
                    private=q.answer_private,
                )
                for q in questions.visible(actor(), item)
            ]
        )
    )


@api.get("/applications", tags=TAG, responses={200: ApplicationList})
def list_applications():
    """The applications of the caller's organisation (as lead or consortium member)."""
    user = signed_in_actor()
    found = organisation_applications(user.organisation_id) if user.organisation_id else []
    return respond(ApplicationList(items=[serialise.application(a) for a in found]))


@api.get("/applications/<int:application_id>", tags=TAG, responses={200: ApplicationOut})
def get_application(path: ApplicationPath):
    """One application: its team, organisers, and its assigned, non-recused experts; else 404."""
    user = signed_in_actor()
    application = db.session.get(Application, path.application_id)
    if application is None or not access.can_view_application(user, application):
        raise NotFound()
    return respond(serialise.application(application))


def _voucher_line(award) -> VoucherLineOut:
    return VoucherLineOut(
        award_id=award.id,
        listing_id=award.listing_id,
        listing_title=award.listing.title,
        vendor=award.application.organisation.name,
        amount=float(award.voucher_amount),
        status=award.voucher_status,
        paid=float(award.paid_amount),
        payments=[_voucher_payment(p) for p in award.payments],
    )


def _voucher_payment(payment) -> VoucherPaymentOut:
    """One payment, reversed ones included (marked, with who, when and why)."""
    reverser = payment.reversed_by
    return VoucherPaymentOut(
        amount=float(payment.amount),
        paid_on=payment.paid_on,
        reference=payment.reference,
        reversed=payment.reversed_at is not None,
        reversed_at=payment.reversed_at,
        reversed_by=reverser.name if reverser is not None and payment.reversed_at else None,
        reversal_reason=payment.reversal_reason,
    )


@api.get("/vouchers", tags=TAG, responses={200: VoucherLedger})
def voucher_ledger(query: VoucherQuery):
    """场景券台账 as on /vouchers/: 403 for callers other than factory members and organisers."""
    user = signed_in_actor()
    items = [
        VoucherSummaryOut(
            enterprise=s.enterprise,
            year=s.year,
            cap=float(s.cap),
            committed=float(s.committed),
            payable=float(s.payable),
            paid=float(s.paid),
            remaining=float(s.remaining),
            lines=[_voucher_line(a) for a in s.lines],
        )
        for s in ledger.summaries(user, query.year)
    ]
    return respond(VoucherLedger(items=items))
