"""A match comes back with its documents: no database round trip per hit."""

from matchmaker.main.search_page import run_search
from matchmaker.search.app import service
from tests.sql_statements import counted

from .conftest import NEEDS, offering

MANY = [
    offering(100 + i, f"布面疵点在线检测方案{i}", f"线阵相机识别织物疵点，自动评分定级，第{i}版。",
             status="published")
    for i in range(14)
]  # fmt: skip


def test_a_match_for_ten_checks_the_version_once_and_fetches_no_hit(search_app):
    service.index_documents(NEEDS + MANY)
    service.match_for("need", 1, k=10)  # the index is loaded (and built) before counting
    with counted() as seen:
        result = service.match_for("need", 1, k=10, floor=False)
        docs = [m.document for m in result.matches]
    assert len(result.matches) == 10
    assert [d.id for d in docs] == [m.id for m in result.matches]
    assert all(d.kind == "offering" and d.title for d in docs)
    assert len(seen) == 1, seen  # the index version; not one more per hit


def test_the_search_page_reads_its_hits_from_the_matches(search_app):
    service.index_documents(NEEDS + MANY)
    service.match_for("need", 1, k=10)
    with counted() as seen:
        page = run_search("布面疵点检测")
    assert page.hits and all(h.document.id == h.match.id for h in page.hits)
    assert len(seen) == 1, seen
