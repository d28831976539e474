"""The audit log's before → after table (templates/_audit.html): its 项目 column keeps each
name on one line, so that on a phone 原因 does not wrap to one character a line (the table
scrolls in its box instead)."""

import re

from tests.scenarios.test_curation_views import _organiser, _template


def test_audit_change_table_keeps_the_item_column_on_one_line(client, mini_taxonomy):
    _organiser(client)
    template = _template("T001")
    form = {
        "code": "T001",
        "industry_id": template.industry_id,
        "category_id": template.category_id,
        "stage": "production_ops",
        "title_zh": "坯布疵点在线检测",
        "title_en": "",
        "pain_point_zh": "人工验布漏检多",
        "data_zh": "",
        "example_zh": "",
        "kpis": "漏检率|%|down",
    }
    assert (
        client.post(f"/console/taxonomy/templates/{template.id}/edit", data=form).status_code == 302
    )
    html = client.get("/console/taxonomy/audit").get_data(as_text=True)
    assert '<div class="table-responsive">' in html
    assert '<th scope="col" class="text-nowrap">项目</th>' in html
    rows = re.findall(r'<tr><th scope="row"([^>]*)>([^<]+)</th>', html)
    assert rows and all('class="text-nowrap"' in attrs for attrs, _label in rows)
