"""What a listing (榜单) shows a viewer of the needs it carries: no more than each need's own
page shows the same viewer (`needs.access`).

- The 考核指标 are copied from the needs' KPIs, so they are shown only to a viewer who may see
  the details of every need of the listing (`can_see_details`): signed in, and for a
  summary_only need the NDA of the viewer's organisation; owners and organisers see them.
- Each owner is named as its need page names it (`owner_label`): a summary_only need's owner
  stays "某…企业" until the NDA; a need the viewer may not open at all stays anonymous.
- `locked` are the needs the viewer may open but whose details it may not see yet: the page
  links to them (log in, sign the NDA there).

The public page and `/api/v1/listings/<id>` both answer from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..needs.access import can_see, can_see_details, can_see_details_of_all, owner_label
from ..needs.models import Need
from .models import Listing, ListingKpi


@dataclass(frozen=True)
class ListingView:
    kpis: list[ListingKpi] | None  # None: hidden from this viewer
    owners: list[str]
    locked: list[Need]

    @property
    def kpis_visible(self) -> bool:
        return self.kpis is not None


def _owner_name(user, need: Need) -> str:
    return owner_label(user, need) if can_see(user, need) else need.anonymous_owner_name


def for_viewer(user, listing: Listing) -> ListingView:
    needs = list(listing.needs)
    visible = can_see_details_of_all(user, needs)
    return ListingView(
        kpis=list(listing.kpis) if visible else None,
        owners=list(dict.fromkeys(_owner_name(user, need) for need in needs)),
        locked=[n for n in needs if can_see(user, n) and not can_see_details(user, n)],
    )
