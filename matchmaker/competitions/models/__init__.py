"""The rounds' models, one file per part of the programme."""

from .applications import Application, ConsortiumMember, KpiCommitment, Milestone
from .audit import AuditEntry
from .awards import (
    Acceptance,
    Award,
    Measurement,
    MidtermReview,
    Objection,
    Rectification,
    VoucherPayment,
)
from .digest import DigestEntry
from .experts import AVAILABILITIES, ExpertProfile, expert_categories, expert_industries
from .questions import ListingQuestion
from .reviews import ExpertAssignment, ExpertRelation, ScoreSheet
from .rounds import Listing, ListingKpi, Round, listing_needs

__all__ = [
    "Acceptance",
    "Application",
    "AuditEntry",
    "DigestEntry",
    "AVAILABILITIES",
    "ExpertProfile",
    "expert_categories",
    "expert_industries",
    "Award",
    "ConsortiumMember",
    "ExpertAssignment",
    "ExpertRelation",
    "KpiCommitment",
    "Listing",
    "ListingKpi",
    "ListingQuestion",
    "Measurement",
    "Milestone",
    "MidtermReview",
    "Objection",
    "Rectification",
    "VoucherPayment",
    "Round",
    "ScoreSheet",
    "listing_needs",
]
