"""Domain objects → response models. Visibility decisions come from the feature packages'
access rules; nothing here decides who may see what."""

from __future__ import annotations

from dataclasses import asdict

from ..competitions import disclosure
from ..competitions.models import Application, Listing, Round
from ..needs.access import can_see_details, owner_label
from ..needs.models import Need
from ..scenarios.models import Industry, ScenarioCategory, ScenarioTemplate
from ..search.core.documents import Document, Match
from ..solvers.models import Offering
from . import schemas as s


def industry(item: Industry) -> s.IndustryOut:
    return s.IndustryOut(id=item.id, code=item.code, name_zh=item.name_zh, name_en=item.name_en)


def category(item: ScenarioCategory) -> s.CategoryOut:
    return s.CategoryOut(
        id=item.id,
        code=item.code,
        name_zh=item.name_zh,
        name_en=item.name_en,
        description_zh=item.description_zh,
        description_en=item.description_en,
    )


def template(item: ScenarioTemplate) -> s.TemplateOut:
    fields = s.TemplateOut.model_fields
    return s.TemplateOut(**{name: getattr(item, name) for name in fields})


def _named(item) -> s.Named:
    return s.Named(id=item.id, code=item.code, name_zh=item.name_zh)


def need(user, item: Need) -> s.NeedOut:
    details = None
    if can_see_details(user, item):
        names = [n for n in s.NeedDetails.model_fields if n != "kpis"]
        details = s.NeedDetails(
            **{n: getattr(item, n) for n in names},
            kpis=[s.Kpi.model_construct(**k.as_record()) for k in item.kpis],
        )
    return s.NeedOut(
        id=item.id,
        title=item.title,
        status=item.status,
        confidentiality=item.confidentiality,
        owner=owner_label(user, item),
        industry=_named(item.industry),
        category=_named(item.category),
        template_code=item.template.code if item.template else None,
        town=item.town,
        budget_min=item.budget_min,
        budget_max=item.budget_max,
        vouchers=list(item.vouchers or []),
        delivery_months=item.delivery_months,
        delivery_date=item.delivery_date,
        version=item.version,
        created_at=item.created_at,
        published_at=item.published_at,
        details=details,
    )


def offering(item: Offering) -> s.OfferingOut:
    return s.OfferingOut(
        id=item.id,
        title=item.title,
        summary=item.summary,
        description=item.description,
        status=item.status,
        vendor=item.organisation.name,
        vendor_id=item.organisation_id,
        industries=[i.code for i in item.industries],
        categories=[c.code for c in item.categories],
        templates=[t.code for t in item.templates],
        tech_tags=item.tech_tags,
        deployment_modes=item.deployment_modes,
        kpis=[
            {
                "indicator": k.indicator,
                "before": k.before,
                "after": k.after,
                "unit": k.unit,
                "direction": k.direction,
            }
            for k in item.kpis
        ],
        price_min=item.price_min,
        price_max=item.price_max,
        delivery_weeks=item.delivery_weeks,
        published_at=item.published_at,
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
    kpis = None
    if shown.kpis is not None:
        kpis = [
            s.ListingKpiOut(
                indicator=k.indicator,
                baseline=k.baseline,
                target=k.target,
                unit=k.unit,
                direction=k.direction,
            )
            for k in shown.kpis
        ]
    return s.ListingOut(
        id=item.id,
        round_id=item.round_id,
        title=item.title,
        description=item.description,
        stage=item.stage,
        reward=float(item.reward) if item.reward is not None else None,
        budget=float(item.budget) if item.budget is not None else None,
        consortium_allowed=item.consortium_allowed,
        owners=shown.owners,
        kpis=kpis,
    )


def round_(user, item: Round) -> s.RoundOut:
    return s.RoundOut(
        id=item.id,
        name=item.name,
        rules=item.rules,
        opens_at=item.opens_at,
        closes_at=item.closes_at,
        is_open=item.is_open,
        quota=item.quota,
        max_leads=item.max_leads,
        listings=[listing(user, x) for x in item.listings],
    )


def application(item: Application) -> s.ApplicationOut:
    return s.ApplicationOut(
        id=item.id,
        listing_id=item.listing_id,
        organisation=item.organisation.name,
        offering_id=item.offering_id,
        status=item.status,
        approach=item.approach,
        price=float(item.price) if item.price is not None else None,
        submitted_at=item.submitted_at,
        rank=item.rank,
    )
