"""The rounds' audit log (/rounds/console/audit) says what changed in the expert pool in words,
never the stored codes: 邮箱 / 可参与评审情况 / 时间有限, and names the expert."""

from __future__ import annotations

import re

import pytest

from matchmaker.competitions import experts
from matchmaker.extensions import db
from tests.factories import login, make_user

from .test_expert_pool import outbox, profile_data  # noqa: F401  (outbox keeps the mail here)

pytestmark = pytest.mark.usefixtures("app_ctx")


def test_expert_pool_entries_read_in_chinese(client, outbox):  # noqa: F811
    organiser = make_user(role="organiser", email="org@example.com")
    profile = experts.invite_expert(organiser, "zhou@example.com", profile_data())
    experts.update_profile(organiser, profile.user, profile_data(availability="limited"))
    db.session.commit()
    login(client, "org@example.com")
    page = client.get("/rounds/console/audit").get_data(as_text=True)
    rows = dict(
        re.findall(r'<th scope="row"[^>]*>([^<]+)</th><td>[^<]*</td><td>([^<]*)</td>', page)
    )
    assert rows.get("邮箱") == "zhou@example.com"
    assert rows.get("可参与评审情况") == "时间有限"
    assert "availability" not in page and "limited" not in page
    assert "专家 周教授" in page and "评审专家（已删除）" not in page
