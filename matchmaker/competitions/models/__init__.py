"""The rounds' models, one file per part of the programme."""

from .applications import Application, ConsortiumMember, KpiCommitment, Milestone
from .audit import AuditEntry
from .awards import Acceptance, Award, Measurement, MidtermReview, Objection
from .digest import DigestEntry
from .questions import ListingQuestion
from .reviews import ExpertAssignment, ExpertRelation, ScoreSheet
from .rounds import Listing, ListingKpi, Round, listing_needs

__all__ = [
    "Acceptance",
    "Application",
    "AuditEntry",
    "DigestEntry",
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
    "Round",
    "ScoreSheet",
    "listing_needs",
]
