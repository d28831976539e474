"""The offering and vendor-profile forms use the shared error summary (_macros.form_errors):
after a failed submit, one box at the top links to each field, the message stays beside it."""

import re

from tests.factories import login
from tests.needs.test_error_summary import summary
from tests.solvers.test_offering_views import form


def test_failed_offering_form_has_a_summary_linking_to_each_field(client, tax, vendor):
    login(client, vendor.email)
    data = form(tax, title="", price_min="90", price_max="80")
    response = client.post("/vendor/offerings/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    box = summary(page)
    assert '<a href="#title">方案名称：此项为必填项。</a>' in box
    assert re.search(r'<a href="#price_max">[^<]*最高价不能低于最低价[^<]*</a>', box)
    assert page.index("error-summary") < page.index('name="title"')
    assert 'value="90"' in page  # what was typed stays


def test_a_bad_kpi_cell_is_marked_on_its_row_and_in_the_summary(client, tax, vendor):
    login(client, vendor.email)
    response = client.post("/vendor/offerings/new", data=form(tax, **{"kpis-0-unit": "u" * 31}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'<a href="#kpis-0-unit">第 1 行「单位」：[^<]+</a>', summary(page))
    assert re.search(r'class="form-control is-invalid" id="kpis-0-unit"', page)
    assert '<table class="kpi-rows table-inputs">' in page and '<td data-label="实施前">' in page


def test_failed_profile_form_has_a_summary(client, tax, vendor):
    login(client, vendor.email)
    response = client.post("/vendor/profile/edit", data={"introduction": "", "team_size": "很多"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'<a href="#team_size">[^<]+</a>', summary(page))
