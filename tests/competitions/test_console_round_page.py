"""The organiser's round page says the voucher policy in words (合同金额的 30%), not the stored
fraction (0.300), and leads back to 揭榜管理; an application page leads each reader back."""

from __future__ import annotations

import re
from decimal import Decimal

from matchmaker.extensions import db
from tests.factories import login

from .builders import awarded


def test_round_console_shows_the_voucher_share_as_a_percentage(client, app_ctx):
    scene = awarded()
    listing = scene["listing"]
    listing.round.voucher_share = Decimal("0.3")
    listing.round.voucher_cap = Decimal("50")
    db.session.commit()
    login(client, scene["organiser"].email)
    page = client.get(f"/rounds/console/{listing.round_id}").get_data(as_text=True)
    assert "场景券：合同金额的 30%，每家企业每年不超过 50 万元" in page
    assert "0.300" not in page
    assert 'href="/rounds/console"' in page


def test_an_application_page_leads_each_reader_back_where_they_came_from(client, app_ctx):
    from .builders import reviewed

    scene = reviewed()
    app = scene["apps"][0]
    readers = [
        (
            scene["experts"][0].email,
            f'href="/rounds/reviews/listings/{app.listing_id}">',
            "返回评审",
        ),
        (
            scene["organiser"].email,
            f'href="/rounds/console/listings/{app.listing_id}">',
            "返回榜单管理",
        ),
        (scene["leads"][0].email, 'href="/rounds/mine">', "返回我的揭榜"),
    ]
    for email, href, label in readers:
        login(client, email)
        page = client.get(f"/rounds/applications/{app.id}").get_data(as_text=True)
        assert re.search(re.escape(href) + r"<svg[^>]*>.*?</svg>" + label, page, re.S), label
        client.post("/logout")
