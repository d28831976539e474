"""The hall and the need page run a fixed number of SQL statements, however many needs,
owners, templates or KPI rows there are (no N+1 can come back unnoticed)."""

from __future__ import annotations

import pytest

from matchmaker.extensions import db
from matchmaker.needs.models import NeedKpi
from tests.factories import ensure_taxonomy, login, make_need, make_org, make_user
from tests.sql_statements import counted

# Ceilings measured when written: the hall 5 (count, page, industries, categories, towns);
# the need page 1 for a visitor, 11 for a vendor (user, need, owner, template, KPIs, NDA,
# follow, attachments, unread count, the visit counter read and written). A change that
# needs more must say why here. +1 each for the round a need is listed in (hall cards and the
# need page's stepper: one query for the whole page, competitions.need_stage.need_listings).
HALL_CEILING = 6
NEED_CEILING = 13


def publish_needs(n: int) -> list:
    templates = ensure_taxonomy()
    needs = []
    for i in range(n):
        owner = make_org("factory", name=f"需求方{i:02d}有限公司")
        need = make_need(
            owner, status="published", template=templates[i % len(templates)], title=f"需求{i:02d}"
        )
        need.kpis += [
            NeedKpi(position=2 + k, indicator=f"指标{k}", target=1.0, unit="%", direction="up")
            for k in range(i % 4)
        ]
        needs.append(need)
    db.session.commit()
    return needs


def statements_for(client, path: str) -> int:
    client.get(path)  # warm: per-process caches (taxonomy names) are not what is counted
    with counted() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("path", ["/needs/", "/needs/?sort=budget&industry=1"])
def test_hall_statements_do_not_grow_with_needs(app_ctx, client, path):
    publish_needs(2)
    few = statements_for(client, path)
    publish_needs(18)
    many = statements_for(client, path)
    assert few == many <= HALL_CEILING


def test_need_page_statements_do_not_grow_with_kpis_or_viewers_rows(app_ctx, client):
    first, *_, last = publish_needs(8)  # the last has 4 KPI rows, the first one
    assert len(last.kpis) > len(first.kpis)
    anonymous = [statements_for(client, f"/needs/{n.id}") for n in (first, last)]
    vendor = make_user(make_org("vendor"))
    login(client, vendor.email)
    as_vendor = [statements_for(client, f"/needs/{n.id}") for n in (first, last)]
    assert anonymous[0] == anonymous[1] <= NEED_CEILING
    assert as_vendor[0] == as_vendor[1] <= NEED_CEILING
