"""/console/jobs (issue 21, item 6): the queue's state for organisers and an idempotent retry."""

from __future__ import annotations

import json

from matchmaker import jobs
from matchmaker.extensions import db
from matchmaker.jobs.models import JobFailure, JobScheduleRun
from matchmaker.notifications.models import OutboxMail
from tests.factories import login, make_org, make_user

CALLS: list = []


@jobs.task(label="测试任务")
def _flaky(value):
    CALLS.append(value)
    if value == "boom":
        raise RuntimeError("坏了")


def _organiser(client):
    user = make_user(role="organiser", email="org@example.com")
    login(client, "org@example.com")
    return user


def test_a_failed_job_is_listed_with_its_error_and_retried_once(app_ctx, client):
    CALLS.clear()
    _organiser(client)
    _flaky.enqueue("boom")  # immediate in tests: it runs, fails, and is recorded
    (failure,) = db.session.query(JobFailure).all()
    assert failure.task_name == _flaky.name and json.loads(failure.args) == ["boom"]
    html = client.get("/console/jobs").get_data(as_text=True)
    assert "RuntimeError: 坏了" in html and "重新排队" in html and "揭榜窗口按时开启和截止" in html
    failure.args = json.dumps(["fixed"])
    db.session.commit()
    for _n in range(2):  # a double click runs it once
        response = client.post(f"/console/jobs/failures/{failure.id}/retry")
        assert response.status_code == 302
    assert CALLS == ["boom", "fixed"]
    db.session.refresh(failure)
    assert failure.status == "retried" and failure.retried_at is not None
    assert "已经重新排队" in client.get("/console/jobs").get_data(as_text=True)


def test_periodic_runs_and_mail_problems_are_shown(app_ctx, client):
    _organiser(client)
    db.session.add(
        JobScheduleRun(
            task_name="matchmaker.backups.daily_backup",
            status="error",
            error="BackupError: pg_dump failed",
            runs=3,
        )
    )
    db.session.add(
        OutboxMail(
            message_id="<1@x>",
            recipient="a@example.com",
            subject="已通过",
            status="failed",
            last_error="550 No such user",
        )
    )
    db.session.commit()
    html = client.get("/console/jobs").get_data(as_text=True)
    assert "数据库备份（每天 03:00）" in html and "BackupError: pg_dump failed" in html
    assert "550 No such user" in html and "重新发送" in html


def test_the_console_needs_an_organiser(app_ctx, client):
    make_user(make_org("factory"), email="f@example.com")
    login(client, "f@example.com")
    assert client.get("/console/jobs").status_code == 403
