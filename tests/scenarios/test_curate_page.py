"""The taxonomy console (/console/taxonomy/): every table says what its columns are, and on a
phone its rows stack under those names (table-stack) instead of squeezing six columns."""

import re

from tests.scenarios.test_curation_views import _organiser


def test_curation_tables_have_headers_and_stack_on_phones(client, mini_taxonomy):
    _organiser(client)
    html = client.get("/console/taxonomy/").get_data(as_text=True)
    tables = re.findall(r"<table([^>]*)>\s*<thead>(.*?)</thead>", html, re.S)
    assert len(tables) == 3 and all('class="table table-stack"' in attrs for attrs, _head in tables)
    assert "<th>英文名称</th>" in tables[0][1] and "<th>代码</th>" in tables[0][1]
    for label in ("名称", "英文名称", "状态", "编号", "场景", "行业"):
        assert f'data-label="{label}"' in html
