"""The need form refuses NaN, ±inf and absurd numbers with a Chinese message on the field; the
typed text stays in the form and nothing is stored. The services refuse them too, whatever
the entry point."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from matchmaker.errors import ValidationFailed
from matchmaker.extensions import db
from matchmaker.needs import services
from matchmaker.needs.models import Need
from tests.factories import KPI_ROW, login, need_fields

from .test_views import form_data, owner, templates  # noqa: F401  (fixtures)

NOT_FINITE = ("-inf", "inf", "NaN", "-1e309", "1e309", "Infinity")


@pytest.mark.parametrize("typed", NOT_FINITE)
@pytest.mark.parametrize("field", ["kpis-0-target", "kpis-0-baseline"])
def test_kpi_values_must_be_finite(client, owner, templates, field, typed):  # noqa: F811
    login(client, owner.email)
    response = client.post(
        "/needs/new?template=T001", data=form_data(templates[0], **{field: typed})
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请输入数字（不接受 NaN 或无穷大）。" in page
    assert f'value="{typed}"' in page
    assert db.session.scalar(select(func.count(Need.id))) == 0


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("kpis-0-target", "1e13", "应在 -1000000000000 到 1000000000000 之间。"),
        ("budget_max", "99999999999999999999", "应在 0 到 10000000 之间。"),
        ("budget_min", "-5", "应在 0 到 10000000 之间。"),
        ("delivery_months", "9223372036854775808", "应在 1 到 60 之间。"),
    ],
)
def test_numbers_outside_a_sane_range_are_refused(
    client,
    owner,  # noqa: F811
    templates,  # noqa: F811
    field,
    typed,
    message,
):
    login(client, owner.email)
    response = client.post(
        "/needs/new?template=T001", data=form_data(templates[0], **{field: typed})
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page and f'value="{typed}"' in page
    assert db.session.scalar(select(func.count(Need.id))) == 0


@pytest.mark.parametrize("value", [float("-inf"), float("nan"), 1e300])
def test_the_service_refuses_them_whatever_the_entry_point(owner, templates, value):  # noqa: F811
    with pytest.raises(ValidationFailed) as raised:
        services.create_need(owner, need_fields(), [{**KPI_ROW, "target": value}])
    assert "kpis" in raised.value.fields
    with pytest.raises(ValidationFailed) as raised:
        services.create_need(owner, need_fields(budget_max=10**20), [KPI_ROW])
    assert "budget_max" in raised.value.fields
