"""适合我的榜单 shows 10 a page; a page number that is not a page is a 404."""

from matchmaker.solvers.search_documents import VendorMatches, page_of


def test_ten_a_page_and_bad_pages_are_none():
    result = VendorMatches(items=list(range(23)), notices=["index_stale"])
    first = page_of(result, None)
    assert first.items == list(range(10)) and first.pages == 3 and first.total == 23
    assert not first.has_prev and first.has_next
    last = page_of(result, "3")
    assert last.items == [20, 21, 22] and last.has_prev and not last.has_next
    assert last.notices == ["index_stale"]
    for bad in ("0", "4", "-1", "x", "1e3"):
        assert page_of(result, bad) is None
    assert page_of(VendorMatches([], []), None).pages == 1


def test_matching_page_404_beyond_the_last_page(client, app_ctx):
    from tests.factories import login, make_org, make_user

    vendor = make_user(make_org("vendor"))
    login(client, vendor.email)
    assert client.get("/vendor/matching-needs?page=2").status_code == 404
    assert client.get("/vendor/matching-needs?page=1").status_code == 200
