"""Issue 15, item 15: one pending submission per milestone; a resend is idempotent.

A script that re-sent a milestone's evidence left the factory 1,763 notifications. Now a
second submit while the first waits for confirmation changes nothing (no new evidence, no new
notification), also when both arrive at once.
"""

from __future__ import annotations

import io
import threading

import pytest

from matchmaker.competitions import delivery, stageflow
from matchmaker.competitions.models import Milestone
from matchmaker.errors import InvalidTransition
from matchmaker.extensions import db
from matchmaker.files.models import Attachment
from matchmaker.notifications.models import Notification
from tests.factories import login, logout

from .builders import awarded

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def in_delivery():
    scene = awarded()
    stageflow.move(scene["organiser"], scene["listing"], "start_delivery")
    db.session.commit()
    scene["milestone"] = scene["award"].application.milestones[0]
    return scene


def _notices(user, kind="milestone_delivered") -> list[Notification]:
    return db.session.query(Notification).filter_by(user_id=user.id, kind=kind).all()


def _evidence(milestone) -> int:
    return (
        db.session.query(Attachment)
        .filter_by(owner_type="milestone", owner_id=milestone.id)
        .count()
    )


def test_a_resend_while_pending_changes_nothing_and_notifies_nobody(app_ctx):
    scene = in_delivery()
    lead, milestone = scene["leads"][0], scene["milestone"]
    assert delivery.deliver_milestone(lead, milestone, "数据集已交付") is True
    first = milestone.delivered_at
    for _n in range(3):
        assert delivery.deliver_milestone(lead, milestone, "再交一次") is False
    db.session.refresh(milestone)
    assert milestone.evidence_note == "数据集已交付" and milestone.delivered_at == first
    (notice,) = _notices(scene["owner"])
    assert notice.repeats == 1 and notice.link.endswith(f"#milestone-{milestone.id}")


def test_a_confirmed_milestone_refuses_new_evidence(app_ctx):
    scene = in_delivery()
    lead, milestone = scene["leads"][0], scene["milestone"]
    delivery.deliver_milestone(lead, milestone, "完成")
    delivery.confirm_milestone(scene["owner"], milestone)
    with pytest.raises(InvalidTransition):
        delivery.deliver_milestone(lead, milestone, "再交一次")


def test_the_loser_of_a_race_records_nothing(app_ctx, monkeypatch):
    """The second request passed the "not yet delivered" check before the first committed:
    the conditional UPDATE, not the check, decides, and the loser changes nothing."""
    scene = in_delivery()
    lead, milestone = scene["leads"][0], scene["milestone"]
    real_claim = delivery._claim

    def first_request_commits_in_between(target, note):
        monkeypatch.setattr(delivery, "_claim", real_claim)
        assert delivery.deliver_milestone(lead, db.session.get(Milestone, target.id), "先到")
        return real_claim(target, note)

    monkeypatch.setattr(delivery, "_claim", first_request_commits_in_between)
    assert delivery.deliver_milestone(lead, milestone, "后到") is False
    db.session.refresh(milestone)
    assert milestone.evidence_note == "先到"
    assert len(_notices(scene["owner"])) == 1


def test_double_post_of_the_evidence_form(client, app_ctx):
    scene = in_delivery()
    milestone, award = scene["milestone"], scene["award"]
    login(client, scene["leads"][0].email)
    url = f"/rounds/milestones/{milestone.id}/evidence"
    form = {"note": "数据集已交付"}
    first = client.post(url, data={**form, "files": (io.BytesIO(PNG), "a.png")})
    second = client.post(url, data={**form, "files": (io.BytesIO(PNG), "b.png")})
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    page = client.get(f"/rounds/awards/{award.id}").get_data(as_text=True)
    assert "正在等待发榜单位确认；本次提交未作更改" in page
    assert f'action="{url}"' not in page  # no resend form while the submission is pending
    assert _evidence(milestone) == 1
    (notice,) = _notices(scene["owner"])
    assert notice.repeats == 1
    logout(client)
    login(client, scene["owner"].email)
    assert client.post(f"/rounds/milestones/{milestone.id}/confirm").status_code == 302
    db.session.refresh(milestone)
    assert milestone.confirmed_at is not None


def test_concurrent_submits_record_one(app, app_ctx):
    """Two requests at once (threads, own connections on PostgreSQL): one recorded, one no-op."""
    scene = in_delivery()
    lead_id, milestone_id = scene["leads"][0].id, scene["milestone"].id
    owner = scene["owner"]
    if db.engine.dialect.name != "postgresql":
        # In-memory SQLite is one shared connection: run the two requests one after the other.
        outcomes = [_submit_in_own_context(app, lead_id, milestone_id, n) for n in range(2)]
    else:
        outcomes = _race(app, lead_id, milestone_id)
    assert sorted(outcomes) == [False, True]
    db.session.expire_all()
    assert len(_notices(owner)) == 1


def _submit_in_own_context(app, lead_id, milestone_id, n, barrier=None):
    from matchmaker.accounts.models import User

    with app.app_context():
        lead, milestone = db.session.get(User, lead_id), db.session.get(Milestone, milestone_id)
        if barrier is not None:  # both have read "not delivered yet" before either writes
            barrier.wait(timeout=10)
        try:
            return delivery.deliver_milestone(lead, milestone, f"第 {n} 次")
        finally:
            db.session.remove()


def _race(app, lead_id, milestone_id) -> list[bool]:
    barrier = threading.Barrier(2)
    outcomes: list = []

    def run(n):
        try:
            outcomes.append(_submit_in_own_context(app, lead_id, milestone_id, n, barrier))
        except Exception as err:  # noqa: BLE001 - surfaced by the assertion below
            outcomes.append(err)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes
