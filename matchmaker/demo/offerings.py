"""Demo vendor profiles (with case studies) and published offerings for the 25 demo vendors.

Idempotent: a vendor that already has a profile keeps it, and an offering is skipped when its
vendor already has one with that title. Offerings go through `create_offering` (so they pass
the same validation as the form) and are then published with a seeded history (submitted by
the vendor, approved by the organiser the next day) — without notifications, so that no demo
mail is sent. Their dates spread over the past year (timeline.py), most in its first months.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..scenarios.models import ScenarioTemplate
from ..search.app.sync import sync
from ..solvers import states
from ..solvers.models import Offering, OfferingReview
from ..solvers.offerings import OfferingData, create_offering
from ..solvers.profiles import ProfileData, profile_of, save_profile
from .accounts import demo_organisations
from .district import DISTRICT, VENDORS
from .offerings_data import CUSTOMER_TYPES, OFFERINGS, PROFILES, Demo
from .timeline import OFFERINGS_POWER, OFFERINGS_SPAN, days_ago, spread

OTHER_QUALIFICATION = "合同能源管理（EMC）服务商备案"


def load_offerings(organiser) -> int:
    """Create what is missing; returns the number of offerings created."""
    templates = {t.code: t for t in db.session.scalars(select(ScenarioTemplate))}
    vendors = demo_organisations("vendor")
    if not templates or not vendors:
        return 0
    profiles = offerings = 0
    when = {id(demo): spread(k, len(OFFERINGS), OFFERINGS_SPAN, OFFERINGS_POWER)
            for k, demo in enumerate(OFFERINGS)}  # fmt: skip
    for index, org in enumerate(vendors, start=1):
        mine = [demo for demo in OFFERINGS if demo.vendor == index]
        member = org.members[0]
        if profile_of(org) is None:
            first = when[id(mine[0])] if mine else days_ago(OFFERINGS_SPAN[-1])
            with clock.frozen(first - timedelta(days=2)):
                save_profile(member, org, _profile(index, org, mine, templates))
            profiles += 1
        for demo in mine:
            if not _has_title(org.id, demo.title):
                with clock.frozen(when[id(demo)]):
                    offering = create_offering(member, _data(demo, templates))
                _publish(offering, member, organiser, when[id(demo)])
                offerings += 1
    if profiles or offerings:
        click.echo(f"demo: created {profiles} vendor profiles and {offerings} published offerings")
    return offerings


def _has_title(org_id: int, title: str) -> bool:
    query = select(Offering.id).where(Offering.organisation_id == org_id, Offering.title == title)
    return db.session.scalar(query) is not None


def _data(demo: Demo, templates: dict) -> OfferingData:
    return OfferingData(
        title=demo.title,
        summary=demo.summary,
        description=demo.description,
        tech_tags=list(demo.tech),
        deployment_modes=list(demo.deployment),
        template_ids=[templates[code].id for code in demo.templates],
        kpis=[
            {"indicator": k[0], "before": k[1], "after": k[2], "unit": k[3], "direction": k[4]}
            for k in demo.kpis
        ],
        price_min=demo.price[0],
        price_max=demo.price[1],
        delivery_weeks=demo.weeks,
        references_text="可提供项目验收报告与客户证明，欢迎到现场参观。",
    )


def _publish(offering: Offering, member, organiser, created: datetime) -> None:
    """Submitted an hour after it was written, approved the next working day."""
    submitted, approved = created + timedelta(hours=1), created + timedelta(days=1, hours=3)
    for action, actor, before, after, at in (
        (states.SUBMIT, member, states.DRAFT, states.SUBMITTED, submitted),
        (states.APPROVE, organiser, states.SUBMITTED, states.PUBLISHED, approved),
    ):
        offering.reviews.append(
            OfferingReview(
                action=action, from_status=before, to_status=after, actor_id=actor.id, at=at
            )
        )
    offering.status, offering.submitted_at = states.PUBLISHED, submitted
    offering.published_at = offering.updated_at = approved
    sync("offering", [offering.id])  # as the review transition does
    db.session.commit()


def _result(kpi) -> str:
    indicator, before, after, unit, direction = kpi
    verb = "降至" if direction == "down" else "提升至"
    return f"{indicator}从{before:g}{unit}{verb}{after:g}{unit}"


def _profile(index: int, org, mine: list[Demo], templates: dict) -> ProfileData:
    qualifications, team, rd, founded = PROFILES[index]
    name, town, speciality = VENDORS[index - 1]
    industries = list(dict.fromkeys(templates[d.templates[0]].industry for d in mine))
    cases = [
        {
            "customer_type": CUSTOMER_TYPES[templates[demo.templates[0]].industry.code],
            "template_id": templates[demo.templates[0]].id,
            "work_done": f"实施“{demo.title}”：{demo.summary}",
            "result": _result(demo.kpis[0]),
            "year": clock.local_now().year - 1 - (index + i) % 4,
        }
        for i, demo in enumerate(mine[: 1 + index % 2])
    ]
    return ProfileData(
        introduction=(
            f"{name}成立于{founded}年，专注{speciality}。"
            f"团队 {team} 人，其中研发 {rd} 人，"
            f"服务{'、'.join(i.name_zh for i in industries)}等行业的制造企业，"
            "提供从现场勘查、数据采集、模型开发到部署运维的一站式服务。"
        ),
        qualifications=list(qualifications),
        qualification_note=OTHER_QUALIFICATION if "other" in qualifications else "",
        team_size=team,
        rd_staff=rd,
        founded_year=founded,
        industry_ids=[i.id for i in industries],
        service_areas=f"{town}及{DISTRICT}全域",
        contact_name=org.contact_name,
        contact_phone=org.contact_phone,
        contact_email=org.contact_email,
        case_studies=cases,
    )
