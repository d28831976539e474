import pytest

from matchmaker import clock
from matchmaker.errors import NotAllowed, ValidationFailed
from matchmaker.solvers.profiles import ProfileData, profile_of, save_profile
from tests.factories import make_org, make_user


def case(**values):
    base = {
        "customer_type": "大型纺织企业",
        "template_id": "",
        "work_done": "部署 12 台验布机的在线检测",
        "result": "漏检率从5%降至0.8%",
        "year": "2024",
    }
    base.update(values)
    return base


def data(tax, **overrides) -> ProfileData:
    values = {
        "introduction": "专注纺织品表面缺陷检测。",
        "qualifications": ["high_tech", "specialised"],
        "team_size": "45",
        "rd_staff": "30",
        "founded_year": "2016",
        "industry_ids": [str(tax.industries["textile"].id)],
        "service_areas": "宁围街道、盈丰街道",
        "website": "https://example.com",
        "contact_email": "sales@example.com",
        "case_studies": [case(template_id=str(tax.templates["T001"].id))],
    }
    values.update(overrides)
    return ProfileData(**values)


def test_save_and_replace_profile(tax, vendor):
    profile = save_profile(vendor, vendor.organisation, data(tax))
    assert profile_of(vendor.organisation) is profile
    assert (profile.team_size, profile.rd_staff, profile.founded_year) == (45, 30, 2016)
    assert [i.code for i in profile.industries] == ["textile"]
    assert profile.case_studies[0].template.code == "T001"
    blank = {k: "" for k in case()}
    save_profile(vendor, vendor.organisation, data(tax, case_studies=[blank, case(year="")]))
    assert len(profile.case_studies) == 1 and profile.case_studies[0].year is None


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"rd_staff": "50"}, "rd_staff", "不能多于"),
        ({"team_size": "abc"}, "team_size", "请输入整数"),
        ({"founded_year": "1800"}, "founded_year", "之间"),
        ({"founded_year": str(clock.local_now().year + 1)}, "founded_year", "之间"),
        ({"website": "javascript:alert(1)"}, "website", "http"),
        ({"contact_email": "not-an-email"}, "contact_email", "邮箱"),
        ({"qualifications": ["other"]}, "qualification_note", "其他"),
        ({"qualifications": ["nobel"]}, "qualifications", "无效"),
        ({"industry_ids": ["x"]}, "industry_ids", "无效"),
        ({"case_studies": [case(work_done="")]}, "case_studies", "案例 1：请填写实施内容"),
        ({"case_studies": [case(customer_type="")]}, "case_studies", "请填写客户类型"),
        ({"case_studies": [case(template_id="999999")]}, "case_studies", "场景模板无效"),
        ({"case_studies": [case(year="明年")]}, "case_studies", "年份"),
    ],
)
def test_profile_errors(tax, vendor, overrides, field, message):
    with pytest.raises(ValidationFailed) as err:
        save_profile(vendor, vendor.organisation, data(tax, **overrides))
    assert list(err.value.fields) == [field]
    assert any(message in m for m in err.value.fields[field]), err.value.fields


def test_only_members_edit_their_own_profile(tax, vendor, other_vendor, organiser):
    factory_member = make_user(make_org("factory"))
    for actor in (other_vendor, organiser, factory_member):
        with pytest.raises(NotAllowed):
            save_profile(actor, vendor.organisation, data(tax))
    assert profile_of(vendor.organisation) is None
