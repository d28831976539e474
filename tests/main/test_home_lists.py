"""The home page's lists (最新需求, 通知公告, 揭榜中的榜单, 最新解决方案): every row is one link
whose title reads as a link, with a grey line under it, the same in all four."""

import re
from datetime import timedelta

from matchmaker import clock
from matchmaker.competitions import stages
from matchmaker.extensions import db
from matchmaker.notices.services import NoticeData, save_notice
from tests.competitions.builders import make_listing, make_round
from tests.factories import ensure_taxonomy, make_need, make_offering, make_org, make_user


def row(html: str, title: str) -> re.Match | None:
    """The list row whose title is `title`: an <a> around the title span and its grey line."""
    return re.search(
        r'<a class="list-group-item list-group-item-action" href="([^"]+)">\s*'
        rf'<span class="home-list-title">{re.escape(title)}</span>\s*'
        r'<span class="d-block text-secondary small">([^<]*)</span>\s*</a>',
        html,
    )


def test_every_home_list_row_is_a_visible_link(client, app_ctx):
    ensure_taxonomy()
    organiser = make_user(role="organiser", email="org-lists@example.com")
    need = make_need(make_org("factory"), status="published", title="织造车间能耗优化")
    round_ = make_round(organiser, name="萧山区第一批场景揭榜")
    listing = make_listing(organiser, round_, needs=[need], title="印花对花在线检测榜单")
    listing.stage = stages.ACCEPTING
    vendor = make_org("vendor", name="浙创工业软件有限公司")
    offering = make_offering(vendor, status="published", title="裁床智能排料系统")
    published = clock.now() - timedelta(minutes=1)
    notice = save_notice(organiser, NoticeData("第一批揭榜申报通知", "正文", publish_at=published))
    db.session.commit()

    html = client.get("/").get_data(as_text=True)
    found = row(html, "印花对花在线检测榜单")
    assert found, "the accepting listing is not a link row"
    assert found.group(1).endswith(f"/{listing.id}")
    assert "萧山区第一批场景揭榜" in found.group(2) and "截止" in found.group(2)
    found = row(html, "织造车间能耗优化")
    assert found and found.group(1).endswith(f"/needs/{need.id}")
    found = row(html, "裁床智能排料系统")
    assert found and found.group(1).endswith(f"/{offering.id}")
    assert found.group(2) == "浙创工业软件有限公司"
    found = row(html, "第一批揭榜申报通知")
    assert found and found.group(1).endswith(f"/{notice.id}")


def test_list_titles_are_styled_as_links(client):
    css = client.get("/static/css/app.css").get_data(as_text=True)
    assert re.search(r"\.home-list \.home-list-title \{[^}]*color: var\(--tblr-link-color\)", css)
    assert re.search(r"\.home-list \.list-group-item-action \{[^}]*min-height: 44px", css)
