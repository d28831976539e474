from matchmaker.solvers.profiles import profile_of
from tests.factories import login

XSS = "<script>alert(1)</script>"


def profile_form(tax, **overrides):
    data = {
        "introduction": "专注纺织品表面缺陷检测。",
        "qualifications": ["high_tech", "little_giant"],
        "team_size": "45",
        "rd_staff": "30",
        "founded_year": "2016",
        "industry_ids": [str(tax.industries["textile"].id)],
        "service_areas": "宁围街道",
        "website": "https://example.com",
        "case_studies-0-customer_type": "大型纺织企业",
        "case_studies-0-template_id": str(tax.templates["T001"].id),
        "case_studies-0-work_done": "部署在线验布",
        "case_studies-0-result": "漏检率从5%降至0.8%",
        "case_studies-0-year": "2024",
        "case_studies-1-customer_type": "",
    }
    data.update(overrides)
    return data


def test_vendor_edits_profile_and_public_page_shows_it(client, tax, vendor):
    login(client, vendor.email)
    assert client.get("/vendor/profile").status_code == 200
    form_page = client.get("/vendor/profile/edit").get_data(as_text=True)
    assert "case_studies-1-customer_type" in form_page  # blank rows to add a case study
    response = client.post("/vendor/profile/edit", data=profile_form(tax))
    assert response.status_code == 302
    profile = profile_of(vendor.organisation)
    assert [c.customer_type for c in profile.case_studies] == ["大型纺织企业"]
    html = client.get(f"/vendors/{vendor.organisation_id}").get_data(as_text=True)
    assert (
        "漏检率从5%降至0.8%" in html and "专精特新“小巨人”" in html and "坯布疵点视觉检测" in html
    )
    again = client.get("/vendor/profile/edit").get_data(as_text=True)
    assert 'value="大型纺织企业"' in again and "case_studies-2-customer_type" in again


def test_invalid_profile_is_422_and_keeps_input(client, tax, vendor):
    login(client, vendor.email)
    data = profile_form(tax, rd_staff="60", **{"case_studies-0-work_done": ""})
    response = client.post("/vendor/profile/edit", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "研发人员数不能多于团队总人数" in html and "案例 1：请填写实施内容" in html
    assert 'value="60"' in html and profile_of(vendor.organisation) is None


def test_profile_text_is_escaped(client, tax, vendor):
    login(client, vendor.email)
    data = profile_form(tax, introduction=XSS, **{"case_studies-0-result": XSS})
    client.post("/vendor/profile/edit", data=data)
    html = client.get(f"/vendors/{vendor.organisation_id}").get_data(as_text=True)
    assert XSS not in html and "&lt;script&gt;" in html


def test_unchecking_every_box_clears_the_choices(client, tax, vendor):
    login(client, vendor.email)
    client.post("/vendor/profile/edit", data=profile_form(tax))
    data = profile_form(tax)
    del data["qualifications"], data["industry_ids"]
    assert client.post("/vendor/profile/edit", data=data).status_code == 302
    profile = profile_of(vendor.organisation)
    assert profile.qualifications == [] and profile.industries == []
