"""The vendor side's public service API (views, the demo, and later the API and matching use it).

from matchmaker.solvers.services import published_offerings, offering_document
docs = [offering_document(o) for o in published_offerings()]
"""

from __future__ import annotations

from .documents import offering_document
from .offerings import (
    OfferingData,
    create_offering,
    offering_attachment,
    offering_attachments,
    remove_attachment,
    update_offering,
)
from .profiles import ProfileData, profile_of, save_profile
from .queries import (
    Filters,
    directory_page,
    organisation_offerings,
    parse_filters,
    parse_page,
    profiles_by_org,
    published_counts,
    published_offerings,
    review_queue,
    vendor_directory_page,
    vendor_published_offerings,
)
from .review import (
    approve_offering,
    reject_offering,
    retire_offering,
    return_offering,
    submit_offering,
)

__all__ = [
    "Filters",
    "OfferingData",
    "ProfileData",
    "approve_offering",
    "create_offering",
    "directory_page",
    "offering_attachment",
    "offering_attachments",
    "offering_document",
    "organisation_offerings",
    "parse_filters",
    "parse_page",
    "profile_of",
    "profiles_by_org",
    "published_counts",
    "published_offerings",
    "reject_offering",
    "remove_attachment",
    "retire_offering",
    "return_offering",
    "review_queue",
    "save_profile",
    "submit_offering",
    "update_offering",
    "vendor_directory_page",
    "vendor_published_offerings",
]
