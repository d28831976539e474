"""Public pages: the offering directory, an offering, the vendor directory, a vendor."""

from __future__ import annotations

from flask import abort, render_template, request
from sqlalchemy import select

from ..accounts.models import Organisation
from ..extensions import db
from ..files.downloads import send_attachment
from ..scenarios.models import Industry, ScenarioCategory
from . import offerings, profiles, queries
from .blueprint import bp, ordered_active, visible_offering_or_404


def _filter_context() -> dict:
    filters = queries.parse_filters(request.args)
    return {
        "filters": filters,
        "industries": ordered_active(Industry),
        "categories": ordered_active(ScenarioCategory),
    }


@bp.get("/solutions/")
def directory():
    context = _filter_context()
    page = queries.directory_page(context["filters"], queries.parse_page(request.args.get("page")))
    return render_template("solvers/directory.html", page=page, **context)


@bp.get("/solutions/<int:offering_id>")
def offering(offering_id: int):
    item = visible_offering_or_404(offering_id)
    return render_template(
        "solvers/offering.html",
        offering=item,
        attachments=offerings.offering_attachments(item),
        profile=profiles.profile_of(item.organisation),
    )


@bp.get("/solutions/<int:offering_id>/files/<int:attachment_id>")
def attachment(offering_id: int, attachment_id: int):
    item = visible_offering_or_404(offering_id)
    found = offerings.offering_attachment(item, attachment_id)
    if found is None:
        abort(404)
    return send_attachment(found)


@bp.get("/vendors/")
def vendors():
    context = _filter_context()
    page = queries.vendor_directory_page(
        context["filters"], queries.parse_page(request.args.get("page"))
    )
    org_ids = [org.id for org in page.items]
    return render_template(
        "solvers/vendors.html",
        page=page,
        profiles=queries.profiles_by_org(org_ids),
        counts=queries.published_counts(org_ids),
        **context,
    )


@bp.get("/vendors/<int:org_id>")
def vendor(org_id: int):
    org = db.first_or_404(
        select(Organisation).where(
            Organisation.id == org_id,
            Organisation.kind == "vendor",
            Organisation.status == "approved",
        )
    )
    return render_template(
        "solvers/vendor.html",
        org=org,
        profile=profiles.profile_of(org),
        offerings=queries.vendor_published_offerings(org),
    )
