"""Pair values come from the matching engine when it ranks the pair: the vision vendor beats
the dyeing one for a fabric-inspection need, its score and reasons reach the meeting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from matchmaker import clock
from matchmaker.extensions import db
from matchmaker.matchdays import operations, pairs
from tests.factories import ensure_taxonomy, make_need, make_offering, make_org, make_user
from tests.search_wiring import index_now, search_index  # noqa: F401  (fixture)

from .builders import make_day


@pytest.fixture
def indexed(app_ctx, search_index):  # noqa: F811
    templates = ensure_taxonomy()
    factory = make_org("factory")
    make_user(factory)
    need = make_need(
        factory, status="published", template=templates[0], title="坯布疵点视觉检测需求"
    )
    vision = make_offering(
        status="published", title="坯布疵点视觉检测系统",
        summary="验布机加装线阵相机，自动识别坯布疵点，漏检率低于 1%。", templates=[templates[0]],
    )  # fmt: skip
    dyeing = make_offering(
        status="published", title="染料配方智能配比",
        summary="根据来样颜色推荐染料配方，减少打样次数。", templates=[templates[2]],
    )  # fmt: skip
    index_now("need", need)
    index_now("offering", vision, dyeing)
    return factory, need, vision, dyeing


def test_engine_scores_rank_pairs_and_explain_them(indexed):
    factory, need, vision, dyeing = indexed
    day = make_day(slot_count=1, tables=1)
    from matchmaker.matchdays.models import MatchDayRegistration

    for org_id, kind, item in ((factory.id, "factory", need), (vision.organisation_id, "vendor", vision),
                               (dyeing.organisation_id, "vendor", dyeing)):  # fmt: skip
        db.session.add(MatchDayRegistration(match_day_id=day.id, organisation_id=org_id, kind=kind,
                                            item_ids=[item.id], slots=[0]))  # fmt: skip
    db.session.commit()
    regs = day.registrations
    scores = pairs.score_pairs(
        [r for r in regs if r.kind == "factory"], [r for r in regs if r.kind == "vendor"]
    )
    good, poor = (
        scores[factory.id, vision.organisation_id],
        scores[factory.id, dyeing.organisation_id],
    )
    assert good.match is not None and good.score > poor.score
    assert any(r["kind"] == "shared" for r in pairs.explain(good))
    day.registration_closes_at = clock.now() - timedelta(minutes=1)
    db.session.commit()
    organiser = make_user(make_org("organiser"), role="organiser")
    operations.run_schedule(organiser, day, time_limit=5)
    (meeting,) = operations.day_meetings(day)  # one slot, one table, one factory: the best vendor
    assert meeting.vendor_id == vision.organisation_id and meeting.reasons
    assert meeting.score == pytest.approx(good.score)
