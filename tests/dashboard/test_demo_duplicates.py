"""The demo district has one near-duplicate pair for the console's duplicate clusters."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.dashboard import duplicates
from matchmaker.demo.needs import NEAR_DUPLICATES
from matchmaker.extensions import db
from matchmaker.needs.models import Need
from tests.search_wiring import search_index  # noqa: F401  (fixture)


def test_demo_needs_include_a_near_duplicate_pair_that_clusters(runner, app_ctx, search_index):  # noqa: F811
    assert runner.invoke(args=["taxonomy", "load"]).exit_code == 0
    result = runner.invoke(args=["demo", "load", "--password", "demo-secret-1"])
    assert result.exit_code == 0, result.output
    [(industry_code, _rank)] = NEAR_DUPLICATES
    published = db.session.scalars(select(Need).where(Need.status == "published")).all()
    by_template: dict[int, list[Need]] = {}
    for need in published:
        by_template.setdefault(need.template_id, []).append(need)
    [pair] = [needs for needs in by_template.values() if len(needs) > 1]
    assert {n.industry.code for n in pair} == {industry_code}
    assert len({n.owner_id for n in pair}) == 2
    clusters = [sorted(c.ids) for c in duplicates.clusters()]
    assert sorted(n.id for n in pair) in clusters
