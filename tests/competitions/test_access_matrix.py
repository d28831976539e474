"""Every GET page of the rounds against every role: the README's table, checked."""

from __future__ import annotations

import pytest

from matchmaker.competitions import panel
from tests.factories import login, make_org, make_user

from .builders import awarded

# role → expected status; "302" means the login page for the anonymous visitor.
PAGES = {
    "/rounds/": dict(
        anon=200, vendor=200, rival=200, factory=200, expert=200, outsider_expert=200, organiser=200
    ),
    "/rounds/{round}": dict(
        anon=200, vendor=200, rival=200, factory=200, expert=200, outsider_expert=200, organiser=200
    ),
    "/rounds/listings/{listing}": dict(
        anon=200, vendor=200, rival=200, factory=200, expert=200, outsider_expert=200, organiser=200
    ),
    "/rounds/listings/{listing}/publicity": dict(
        anon=200, vendor=200, rival=200, factory=200, expert=200, outsider_expert=200, organiser=200
    ),
    "/rounds/mine": dict(
        anon=302, vendor=200, rival=200, factory=403, expert=403, outsider_expert=403, organiser=403
    ),
    "/rounds/applications/{app}": dict(
        anon=302, vendor=200, rival=404, factory=404, expert=200, outsider_expert=404, organiser=200
    ),
    "/rounds/applications/{app}/edit": dict(
        anon=302, vendor=302, rival=404, factory=403, expert=403, outsider_expert=403, organiser=403
    ),
    "/rounds/listings/{listing}/apply": dict(
        anon=302, vendor=302, rival=302, factory=403, expert=403, outsider_expert=403, organiser=403
    ),
    "/rounds/reviews": dict(
        anon=302, vendor=403, rival=403, factory=403, expert=200, outsider_expert=200, organiser=403
    ),
    "/rounds/reviews/listings/{listing}": dict(
        anon=302, vendor=403, rival=403, factory=403, expert=200, outsider_expert=404, organiser=403
    ),
    "/rounds/reviews/applications/{app}": dict(
        anon=302, vendor=403, rival=403, factory=403, expert=200, outsider_expert=404, organiser=403
    ),
    "/rounds/awards/{award}": dict(
        anon=302, vendor=200, rival=404, factory=200, expert=404, outsider_expert=404, organiser=200
    ),
    "/rounds/console": dict(
        anon=302, vendor=403, rival=403, factory=403, expert=403, outsider_expert=403, organiser=200
    ),
    "/rounds/console/{round}": dict(
        anon=302, vendor=403, rival=403, factory=403, expert=403, outsider_expert=403, organiser=200
    ),
    "/rounds/console/new": dict(
        anon=302, vendor=403, rival=403, factory=403, expert=403, outsider_expert=403, organiser=200
    ),
    "/rounds/console/{round}/listings/new": dict(
        anon=302, vendor=403, rival=403, factory=403, expert=403, outsider_expert=403, organiser=200
    ),
    "/rounds/console/listings/{listing}": dict(
        anon=302, vendor=403, rival=403, factory=403, expert=403, outsider_expert=403, organiser=200
    ),
    "/rounds/console/listings/{listing}/kpis": dict(
        anon=302, vendor=403, rival=403, factory=403, expert=403, outsider_expert=403, organiser=200
    ),
    "/rounds/console/audit": dict(
        anon=302, vendor=403, rival=403, factory=403, expert=403, outsider_expert=403, organiser=200
    ),
    "/rounds/console/audit.csv": dict(
        anon=302, vendor=403, rival=403, factory=403, expert=403, outsider_expert=403, organiser=200
    ),
}
ROLES = ("anon", "vendor", "rival", "factory", "expert", "outsider_expert", "organiser")
# A factory that owns nothing here sees what the listing's owner sees, but not the award.
for _expected in PAGES.values():
    _expected["other_factory"] = _expected["factory"]
PAGES["/rounds/awards/{award}"]["other_factory"] = 404
ROLES = (*ROLES, "other_factory")


def _users(scene) -> dict:
    outsider = make_user(role="expert")
    return {
        "vendor": scene["leads"][0],
        "rival": scene["leads"][1],
        "factory": scene["owner"],
        "expert": scene["experts"][0],
        "outsider_expert": outsider,
        "organiser": scene["organiser"],
        "other_factory": make_user(make_org("factory")),
    }


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, app_ctx, role):
    scene = awarded()
    ids = {
        "round": scene["listing"].round_id,
        "listing": scene["listing"].id,
        "app": scene["apps"][0].id,
        "award": scene["award"].id,
    }
    assert panel.active_experts(scene["listing"]) == scene["experts"]
    if role != "anon":
        login(client, _users(scene)[role].email)
    wrong = []
    for pattern, expected in PAGES.items():
        url = pattern.format(**ids)
        status = client.get(url).status_code
        if status != expected[role]:
            wrong.append((url, status, expected[role]))
    assert wrong == []


def test_posts_by_the_wrong_people_change_nothing(client, app_ctx):
    scene = awarded()
    users = _users(scene)
    app, listing = scene["apps"][0], scene["listing"]
    milestone = app.milestones[0]
    cases = [
        ("rival", f"/rounds/applications/{app.id}/withdraw", 404),
        ("rival", f"/rounds/applications/{app.id}/submit", 404),
        ("outsider_expert", f"/rounds/reviews/applications/{app.id}", 404),
        ("outsider_expert", f"/rounds/reviews/listings/{listing.id}/recuse", 404),
        ("vendor", f"/rounds/console/listings/{listing.id}/act/start_delivery", 403),
        ("factory", f"/rounds/console/listings/{listing.id}/award", 403),
        ("other_factory", f"/rounds/milestones/{milestone.id}/confirm", 404),
        ("rival", f"/rounds/milestones/{milestone.id}/evidence", 404),
        ("expert", f"/rounds/awards/{scene['award'].id}/acceptance", 403),
    ]
    for role, url, expected in cases:
        login(client, users[role].email)
        assert client.post(url, data={"reason": "x", "note": "x"}).status_code == expected, url
        client.post("/logout")
    assert listing.stage == "awarded" and milestone.delivered_at is None
