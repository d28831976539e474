"""Learning from use (issue 17): 不相关 / 已联系 on recommendations, one click, stored with who
and when; a 不相关 pair is hidden from that user with undo; organisers see the judgments; the
export is a judged set that `flask search eval` reads."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.needs import approval
from matchmaker.search.core.evalset import load_evalset
from matchmaker.search.store.models import MatchJudgment
from tests.factories import (
    ensure_taxonomy,
    login,
    logout,
    make_need,
    make_offering,
    make_org,
    make_user,
)
from tests.search_wiring import index_now, search_index  # noqa: F401  (fixture)


@pytest.fixture
def world(app_ctx, search_index):  # noqa: F811
    templates = ensure_taxonomy()
    owner = make_user(make_org("factory"))
    organiser = make_user(role="organiser")
    vendor = make_user(make_org("vendor"))
    vision = make_offering(
        vendor.organisation,
        status="published",
        title="坯布疵点视觉检测系统",
        summary="验布机加装线阵相机，自动识别坯布疵点，漏检率低于 1%。",
        templates=[templates[0]],
    )
    other = make_offering(
        status="published",
        title="布面疵点在线检测",
        summary="在验布机上加装相机，自动识别坯布疵点并打标，减少漏检。",
        templates=[templates[0]],
    )
    index_now("offering", vision, other)
    need = make_need(owner.organisation, status="submitted", template=templates[0])
    approval.approve_need(organiser, need)
    return need, owner, organiser, vendor, vision, other


def _judge(client, need_id, offering_id, verdict, **extra):
    url = f"/recommendations/{need_id}/{offering_id}/judgment"
    return client.post(url, data={"verdict": verdict, **extra})


def _rows():
    return list(db.session.scalars(select(MatchJudgment).order_by(MatchJudgment.id)))


def test_factory_hides_an_irrelevant_offering_and_undoes_it(world, client):
    need, owner, _, _, vision, other = world
    login(client, owner.email)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert f'action="/recommendations/{need.id}/{other.id}/judgment"' in page
    response = _judge(client, need.id, other.id, "irrelevant")
    assert response.status_code == 302 and response.location.endswith(f"/needs/{need.id}#matches")
    _judge(client, need.id, other.id, "irrelevant")  # sent twice: stored once
    (row,) = _rows()
    assert (row.user_id, row.side, row.verdict) == (owner.id, "need", "irrelevant")
    assert row.created_at is not None
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    matches = page[page.index('id="matches"') :]
    shown, hidden = matches.split("judged-hidden", 1)
    assert f"/solutions/{other.id}" not in shown and f"/solutions/{other.id}" in hidden
    assert "已隐藏 1 项您标记为“不相关”的推荐" in page
    _judge(client, need.id, other.id, "undo")
    assert _rows() == []
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "judged-hidden" not in page and f"/solutions/{other.id}" in page


def test_vendor_marks_contacted_and_hides_a_need(world, client):
    need, _, _, vendor, vision, _ = world
    login(client, vendor.email)
    page = client.get("/vendor/matching-needs").get_data(as_text=True)
    assert f'action="/recommendations/{need.id}/{vision.id}/judgment"' in page
    _judge(client, need.id, vision.id, "contacted")
    page = client.get("/vendor/matching-needs").get_data(as_text=True)
    assert "撤销" in page and f"/needs/{need.id}" in page
    _judge(client, need.id, vision.id, "irrelevant")  # the verdict changes, one row
    (row,) = _rows()
    assert (row.side, row.verdict) == ("offering", "irrelevant")
    page = client.get("/vendor/matching-needs").get_data(as_text=True)
    assert "已隐藏 1 项" in page and "暂无足够匹配的需求" in page


def test_who_may_judge_what(world, client):
    need, owner, organiser, vendor, vision, other = world
    login(client, vendor.email)
    assert _judge(client, need.id, other.id, "contacted").status_code == 403  # not its offering
    assert _judge(client, need.id, vision.id, "maybe").status_code == 422
    assert _judge(client, 999999, vision.id, "contacted").status_code == 404
    logout(client)
    login(client, organiser.email)
    assert _judge(client, need.id, vision.id, "contacted").status_code == 403
    intruder = make_user(make_org("factory"))
    logout(client)
    login(client, intruder.email)
    assert _judge(client, need.id, vision.id, "irrelevant").status_code == 403
    assert _rows() == []


def test_organisers_see_judgments_and_export_measures_them(world, client, app, tmp_path):
    need, owner, organiser, vendor, vision, other = world
    login(client, owner.email)
    _judge(client, need.id, vision.id, "contacted")
    _judge(client, need.id, other.id, "irrelevant")
    logout(client)
    login(client, organiser.email)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "推荐反馈" in page and owner.name in page and "已联系" in page
    assert 'action="/recommendations/' not in page  # organisers see, never judge
    out = tmp_path / "judged.json"
    result = app.test_cli_runner().invoke(args=["search", "judgments", "export", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 judgments: 1 contacted pairs, 1 irrelevant pairs" in result.output
    assert "refit weights: not yet" in result.output
    data = json.loads(out.read_text())
    assert data["qrels"] == {str(need.id): {str(vision.id): 2, str(other.id): 0}}
    evalset = load_evalset(str(out))
    assert [n.id for n in evalset.needs] == [str(need.id)]
    assert {o.id for o in evalset.offerings} == {str(vision.id), str(other.id)}
    evaluated = app.test_cli_runner().invoke(
        args=["search", "eval", str(out), "--encoder", "none", "--json"]
    )
    assert evaluated.exit_code == 0, evaluated.output
    assert json.loads(evaluated.output.strip().splitlines()[-1])
