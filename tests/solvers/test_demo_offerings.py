from sqlalchemy import func, select

from matchmaker.demo.district import VENDORS
from matchmaker.demo.offerings_data import OFFERINGS
from matchmaker.extensions import db
from matchmaker.scenarios.models import Industry, ScenarioCategory
from matchmaker.solvers.models import Offering, OfferingReview, VendorProfile
from matchmaker.solvers.queries import published_offerings


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_publishes_about_sixty_offerings_once(runner, app_ctx):
    runner.invoke(args=["taxonomy", "load"])
    result = runner.invoke(args=["demo", "load", "--password", "demo-secret-1"])
    assert result.exit_code == 0, result.output
    assert (
        f"{len(VENDORS)} vendor profiles and {len(OFFERINGS)} published offerings" in result.output
    )

    offerings = published_offerings()
    assert 55 <= len(offerings) == len(OFFERINGS) == count(Offering)
    categories = {c.code for o in offerings for c in o.categories}
    industries = {i.code for o in offerings for i in o.industries}
    assert categories == set(db.session.scalars(select(ScenarioCategory.code)))
    assert industries == set(db.session.scalars(select(Industry.code)))
    assert len(categories) == 10 and len(industries) == 15
    assert all(o.kpis and o.deployment_modes and o.price_min is not None for o in offerings)
    assert len({o.organisation_id for o in offerings}) == len(VENDORS)
    assert count(OfferingReview) == 2 * len(OFFERINGS)

    profiles = list(db.session.scalars(select(VendorProfile)))
    assert len(profiles) == len(VENDORS)
    assert all(1 <= len(p.case_studies) <= 2 for p in profiles)
    assert all(p.case_studies[0].template is not None for p in profiles)

    again = runner.invoke(args=["demo", "load", "--password", "demo-secret-1"])
    assert again.exit_code == 0 and "published offerings" not in again.output
    assert count(Offering) == len(OFFERINGS) and count(VendorProfile) == len(VENDORS)


def test_demo_vendor_texts_are_not_copied_from_templates(runner, app_ctx):
    runner.invoke(args=["taxonomy", "load"])
    runner.invoke(args=["demo", "load"])
    for offering in published_offerings():
        for template in offering.templates:
            assert template.example_zh not in offering.description
            assert offering.summary != template.pain_point_zh
