"""The expert's score sheet: a way back to the review, each score labelled, a failed submit
summarised at the top with links and shown beside the score, and a submitted sheet read-only
without the 保存 / 提交 buttons."""

from __future__ import annotations

import re

from matchmaker.competitions import panel
from tests.factories import login, make_user

from .builders import SHEET, reviewed


def _expert_on(scene):
    expert = make_user(role="expert")
    panel.assign_expert(scene["organiser"], scene["listing"], expert)
    return expert


def test_a_failed_sheet_says_what_is_wrong_at_the_top_and_beside_the_score(client, app_ctx):
    scene = reviewed(n_apps=1, n_experts=0)
    expert = _expert_on(scene)
    login(client, expert.email)
    app = scene["apps"][0]
    response = client.post(
        f"/rounds/reviews/applications/{app.id}", data={"score_technical": "12", "submit": "1"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    summary = re.search(
        r'<div class="alert alert-danger error-summary" role="alert">(.*?)</div>', page, re.S
    )
    assert summary and '<a href="#score_technical">技术方案' in summary.group(1)
    assert re.search(
        r'<input class="form-control is-invalid" id="score_technical"[^>]*value="12(\.0)?"', page
    )
    assert '<label for="score_technical">技术方案</label>' in page
    assert f'href="/rounds/reviews/listings/{app.listing_id}"' in page
    assert 'name="submit"' in page and "readonly" not in page


def test_a_submitted_sheet_is_read_only(client, app_ctx):
    scene = reviewed(n_apps=1, n_experts=0)
    expert = _expert_on(scene)
    app = scene["apps"][0]
    panel.save_sheet(expert, app, SHEET, {}, submit=True)
    login(client, expert.email)
    page = client.get(f"/rounds/reviews/applications/{app.id}").get_data(as_text=True)
    assert "评分表已于" in page and "不能再修改" in page
    assert 'name="submit"' not in page and 'name="save"' not in page
    assert re.search(r'id="score_technical"[^>]*readonly', page)
