"""`access.visible_needs` (the SQL rule of the hall, the need page's loader and the exports)
admits exactly the needs `access.can_see` admits, for every kind of viewer."""

from __future__ import annotations

import itertools

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from matchmaker.accounts.models import AnonymousUser
from matchmaker.extensions import db
from matchmaker.needs.access import can_see, visible_in_hall, visible_needs
from matchmaker.needs.choices import CONFIDENTIALITY, STATUSES
from matchmaker.needs.models import Need, NeedInvitation
from tests.factories import make_need, make_org, make_user


@pytest.fixture
def viewers(app_ctx):
    factory, other_factory, vendor = make_org("factory"), make_org("factory"), make_org("vendor")
    owner = make_user(factory)
    organiser = make_user(role="organiser")
    for status, level in itertools.product(STATUSES, CONFIDENTIALITY):
        for author in (owner, organiser):
            make_need(factory, status, author, confidentiality=level)
    invited = db.session.scalars(select(Need).where(Need.confidentiality == "invited_only"))
    for need in invited:
        db.session.add(
            NeedInvitation(need_id=need.id, organisation_id=vendor.id, invited_by_id=owner.id)
        )
    db.session.commit()
    return {
        "anonymous": AnonymousUser(),
        "owner": owner,
        "colleague_inactive": make_user(factory, active=False),
        "other_factory": make_user(other_factory),
        "invited_vendor": make_user(vendor),
        "other_vendor": make_user(make_org("vendor")),
        "expert": make_user(role="expert"),
        "organiser": organiser,
        "admin": make_user(role="admin"),
    }


def test_the_query_rule_is_the_page_rule(viewers):
    needs = list(db.session.scalars(select(Need).order_by(Need.id)))
    assert len(needs) == 36
    for name, viewer in viewers.items():
        shown = set(db.session.scalars(select(Need.id).where(visible_needs(viewer))))
        expected = {need.id for need in needs if can_see(viewer, need)}
        assert shown == expected, name
        in_hall = set(db.session.scalars(select(Need.id).where(visible_in_hall(viewer))))
        assert in_hall == {n.id for n in needs if n.id in expected and n.is_published}, name


def test_organisers_see_no_factory_draft(viewers):
    query = select(Need).where(visible_needs(viewers["organiser"]), Need.status == "draft")
    drafts = list(db.session.scalars(query))
    assert drafts and all(need.author.is_organiser for need in drafts)


def test_a_plain_anonymous_mixin_is_anonymous(viewers):
    shown = set(db.session.scalars(select(Need.id).where(visible_needs(AnonymousUserMixin()))))
    assert shown == set(
        db.session.scalars(select(Need.id).where(visible_needs(viewers["anonymous"])))
    )
