"""数据导出: each download is a button (a 44 px tap target on phones) named in words, with a
plain note on the two formats instead of 带 BOM 的 UTF-8."""

import re

from tests.factories import login, make_user


def test_each_download_is_a_button_named_in_words(client, app_ctx):
    login(client, make_user(role="organiser").email)
    page = client.get("/console/exports").get_data(as_text=True)
    buttons = re.findall(
        r'<a class="btn export-link" href="/console/exports/(\w+)\.(csv|xlsx)">', page
    )
    assert len(buttons) == 8 and {fmt for _name, fmt in buttons} == {"csv", "xlsx"}
    assert "Excel 表格</a>" in page and "BOM" not in page
