"""重复需求: the similarity of each need in a group reads as a percentage (96%), not 0.963."""

import re

from tests.dashboard.test_duplicates import world  # noqa: F401  (the fixture)
from tests.factories import login
from tests.search_wiring import search_index  # noqa: F401  (fixture)


def test_similarity_reads_as_a_percentage(world, client):  # noqa: F811
    login(client, world["org"].email)
    page = client.get("/console/duplicates").get_data(as_text=True)
    cells = re.findall(r'<td class="num">([^<]*)</td>', page)
    assert cells and all(re.fullmatch(r"\d{1,3}%", cell) for cell in cells), cells


def test_gaps_best_similarity_reads_as_a_percentage(client, app, app_ctx, search_index):  # noqa: F811
    from tests.dashboard.test_gaps import world as gaps_world
    from tests.factories import make_user

    _covered, lonely, _offering = gaps_world.__wrapped__(app, app_ctx, search_index)
    login(client, make_user(role="organiser").email)
    page = client.get("/console/gaps").get_data(as_text=True)
    row = re.search(rf'href="/needs/{lonely.id}">.*?<td class="num">([^<]*)</td>', page, re.S)
    assert row and re.fullmatch(r"\d{1,3}%", row.group(1)), row and row.group(1)
