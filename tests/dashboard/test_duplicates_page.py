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
