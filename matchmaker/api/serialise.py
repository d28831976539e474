"""Domain objects → response models. Visibility decisions come from the feature packages'
access rules; nothing here decides who may see what."""

from __future__ import annotations

from dataclasses import asdict

from pydantic import BaseModel

from ..competitions import disclosure
from ..competitions.models import Application, Listing, Round
from ..needs.access import can_see_details, owner_label
from ..needs.models import Need
from ..scenarios.models import Industry, ScenarioCategory, ScenarioTemplate
from ..search.core.documents import Document, Match
from ..solvers.models import Offering
from . import schemas as s


def _from(model: type[BaseModel], item, **given):
    """`model` filled from `item`'s attributes of the same names; `given` supplies the fields
    whose value is not a plain attribute (labels, nested models, visibility decisions)."""
    fields = {name: getattr(item, name) for name in model.model_fields if name not in given}
    return model(**fields, **given)


def industry(item: Industry) -> s.IndustryOut:
    return _from(s.IndustryOut, item)


def category(item: ScenarioCategory) -> s.CategoryOut:
    return _from(s.CategoryOut, item)


def template(item: ScenarioTemplate) -> s.TemplateOut:
    return _from(s.TemplateOut, item)


def _named(item) -> s.Named:
    return _from(s.Named, item)


def need(user, item: Need) -> s.NeedOut:
    details = None
    if can_see_details(user, item):
        kpis = [s.Kpi.model_construct(**k.as_record()) for k in item.kpis]
        details = _from(s.NeedDetails, item, kpis=kpis)
    return _from(
        s.NeedOut,
        item,
        owner=owner_label(user, item),
        industry=_named(item.industry),
        category=_named(item.category),
        template_code=item.template.code if item.template else None,
        vouchers=list(item.vouchers or []),
        details=details,
    )


_OFFERING_KPI = ("indicator", "before", "after", "unit", "direction")


def offering(item: Offering) -> s.OfferingOut:
    return _from(
        s.OfferingOut,
        item,
        vendor=item.organisation.name,
        vendor_id=item.organisation_id,
        industries=[i.code for i in item.industries],
        categories=[c.code for c in item.categories],
        templates=[t.code for t in item.templates],
        kpis=[{name: getattr(k, name) for name in _OFFERING_KPI} for k in item.kpis],
    )


def match(document: Document, found: Match) -> s.MatchOut:
    return s.MatchOut(
        kind=document.kind,
        id=int(document.id),
        title=document.title,
        score=round(float(found.score), 6),
        band=found.band,
        reasons=asdict(found.reasons) if found.reasons is not None else None,
    )


def listing(user, item: Listing) -> s.ListingOut:
    shown = disclosure.for_viewer(user, item)
    kpis = None if shown.kpis is None else [_from(s.ListingKpiOut, k) for k in shown.kpis]
    return _from(s.ListingOut, item, owners=shown.owners, kpis=kpis)


def round_(user, item: Round) -> s.RoundOut:
    return _from(s.RoundOut, item, listings=[listing(user, x) for x in item.listings])


def application(item: Application) -> s.ApplicationOut:
    return _from(s.ApplicationOut, item, organisation=item.organisation.name)
