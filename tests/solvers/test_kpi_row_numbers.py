"""Issue 15, item 16: an offering's KPI error names the row the user sees on the form."""

from __future__ import annotations

from matchmaker.extensions import db
from matchmaker.solvers.models import Offering
from tests.factories import login

from .test_offering_views import form


def test_a_blank_first_kpi_row_does_not_renumber_the_second(client, tax, vendor):
    login(client, vendor.email)
    data = form(tax)
    data |= {f"kpis-0-{key}": "" for key in ("indicator", "before", "after", "unit", "direction")}
    data |= {
        "kpis-1-indicator": "漏检率",
        "kpis-1-before": "5",
        "kpis-1-after": "6",
        "kpis-1-unit": "%",
        "kpis-1-direction": "down",
    }
    response = client.post("/vendor/offerings/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "第 2 行：" in page and "第 1 行" not in page
    assert db.session.query(Offering).count() == 0
