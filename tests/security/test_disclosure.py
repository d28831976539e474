"""What the matrix's status codes cannot show: the content of exports and listings per role.

- The needs export holds exactly the needs the organiser's need pages open (factory A's own
  draft is 404 on /needs/<id>, so it is not in needs.csv / needs.xlsx).
- listing_summary (a summary_only need's listing) shows the need's KPI, on the page and through
  /api/v1 (listing and round), only to roles that may read the need's details: its owner and
  organisers, and a vendor once its organisation has signed the NDA.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from matchmaker.accounts.models import User
from matchmaker.extensions import db
from matchmaker.needs.engagement import accept_nda
from matchmaker.needs.models import Need

from .world import ANONYMOUS, ROLES, SUMMARY_KPI

READERS = ("factory_a", "organiser")
NEED_KEYS = ("need_draft", "need_submitted", "need_public", "need_summary", "need_invited")


def exported_ids(response, fmt: str) -> set[str]:
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.data)).active
        rows = [[str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    return {row[0] for row in rows[1:]}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_needs_export_holds_what_the_need_pages_open(world, client_as, fmt):
    client = client_as("organiser")
    ids = exported_ids(client.get(f"/console/exports/needs.{fmt}"), fmt)
    for key in NEED_KEYS:
        opens = client.get(world.path(f"/needs/{{{key}}}")).status_code == 200
        assert (str(world.ids[key]) in ids) == opens, key
    assert str(world.ids["need_draft"]) not in ids


def bearer(world, role) -> dict:
    return {"Authorization": f"Bearer {world.bearer[role]}"} if role in world.bearer else {}


def shows_kpi(world, client_as, role) -> dict[str, bool]:
    """Where `role` reads SUMMARY_KPI: the listing page, the API listing, the API round."""
    page = client_as(role).get(world.path("/rounds/listings/{listing_summary}"))
    api = client_as(ANONYMOUS)
    listing = api.get(world.path("/api/v1/listings/{listing_summary}"), headers=bearer(world, role))
    round_ = api.get(world.path("/api/v1/rounds/{round_open}"), headers=bearer(world, role))
    assert page.status_code == listing.status_code == round_.status_code == 200
    return {
        "page": SUMMARY_KPI in page.get_data(as_text=True),
        "api_listing": SUMMARY_KPI in json.dumps(listing.get_json(), ensure_ascii=False),
        "api_round": SUMMARY_KPI in json.dumps(round_.get_json(), ensure_ascii=False),
    }


@pytest.mark.parametrize("role", ROLES)
def test_summary_only_kpis_reach_only_the_need_readers(world, client_as, role):
    expected = role in READERS
    assert shows_kpi(world, client_as, role) == dict.fromkeys(
        ("page", "api_listing", "api_round"), expected
    )


def test_the_nda_opens_the_listing_kpis(world, client_as):
    vendor = db.session.get_one(User, world.user_id["vendor_a"])
    accept_nda(vendor, db.session.get_one(Need, world.ids["need_listed_summary"]))
    assert all(shows_kpi(world, client_as, "vendor_a").values())
    assert not any(shows_kpi(world, client_as, "vendor_b").values())
