"""Test builders shared by every package's tests.

    org = make_org("factory")                 # approved factory with a valid credit code
    user = make_user(org)                      # factory_member, password DEFAULT_PASSWORD
    organiser = make_user(role="organiser")    # in the organiser organisation
    login(client, user.email)                  # asserts the login succeeded

Builders commit (tests run against real transactions) and need an app context, which the
`app_ctx` fixture provides; they are usable inside `with app.app_context():` as well.
"""

from __future__ import annotations

import itertools

from matchmaker import clock
from matchmaker.accounts.credit_code import make_credit_code
from matchmaker.accounts.models import MEMBER_ROLE_FOR_KIND, Organisation, User
from matchmaker.accounts.passwords import hash_password
from matchmaker.accounts.services import organiser_organisation
from matchmaker.extensions import db

DEFAULT_PASSWORD = "secret-pass-1"
_counter = itertools.count(1)


def credit_code(n: int | None = None) -> str:
    """A distinct valid 统一社会信用代码 per call (a Foshan-style 9144060… prefix)."""
    n = next(_counter) if n is None else n
    return make_credit_code(f"91440606{n:09d}")


def make_org(kind: str = "factory", approved: bool = True, **fields) -> Organisation:
    if kind == "organiser":
        org = organiser_organisation()
        db.session.commit()
        return org
    n = next(_counter)
    values = {
        "name": f"测试机构{n}",
        "credit_code": credit_code(n),
        "contact_name": "张三",
        "contact_phone": "13800138000",
        "contact_email": f"org{n}@example.com",
        "district": "萧山区",
        "town": "瓜沥镇",
        "status": "approved" if approved else "pending",
    }
    values.update(fields)
    org = Organisation(kind=kind, **values)
    db.session.add(org)
    db.session.commit()
    return org


def make_user(
    org: Organisation | None = None,
    role: str | None = None,
    password: str = DEFAULT_PASSWORD,
    **fields,
) -> User:
    """A user; role defaults from the organisation's kind; organisers join the organiser org."""
    if role is None:
        role = MEMBER_ROLE_FOR_KIND[org.kind] if org is not None else "expert"
    if org is None and role == "organiser":
        org = make_org("organiser")
    if org is None and role in MEMBER_ROLE_FOR_KIND.values():
        org = make_org("factory" if role == "factory_member" else "vendor")
    n = next(_counter)
    values = {"email": f"user{n}@example.com", "name": f"用户{n}", "email_verified_at": clock.now()}
    values.update(fields)
    user = User(role=role, organisation=org, password_hash=hash_password(password), **values)
    db.session.add(user)
    db.session.commit()
    return user


def login(client, email: str, password: str = DEFAULT_PASSWORD, next_url: str | None = None):
    """Log in through the real form; returns the response (a 302 on success)."""
    url = "/login" + (f"?next={next_url}" if next_url else "")
    response = client.post(url, data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def logout(client):
    return client.post("/logout")


# --- needs -------------------------------------------------------------------------------


def ensure_taxonomy():
    """The three-template MINI taxonomy, loaded once per test (tables are emptied after each)."""
    from sqlalchemy import select

    from matchmaker.scenarios.loader import load_taxonomy
    from matchmaker.scenarios.models import ScenarioTemplate
    from tests.scenarios.mini import MINI

    if db.session.scalar(select(ScenarioTemplate.id).limit(1)) is None:
        load_taxonomy(MINI)
    return list(db.session.scalars(select(ScenarioTemplate).order_by(ScenarioTemplate.code)))


def need_fields(template=None, **overrides) -> dict:
    """Valid content fields for the needs services (template defaults to the first one)."""
    template = template or ensure_taxonomy()[0]
    fields = {
        "title": "坯布疵点视觉检测需求",
        "industry_id": template.industry_id,
        "category_id": template.category_id,
        "template_id": template.id,
        "other_description": "",
        "goal": "在验布机上部署视觉检测，漏检率低于 2%。",
        "pain_point": "人工验布漏检多。",
        "current_process": "12 名验布工三班倒。",
        "data_sources": ["camera", "erp"],
        "data_volume": "每天约 2TB 图像",
        "data_labelled": "partly",
        "data_description": "",
        "budget_min": 30,
        "budget_max": 60,
        "vouchers": ["scenario"],
        "delivery_months": 6,
        "delivery_date": None,
        "town": "衙前镇",
        "constraints": ["on_premise"],
        "constraints_note": "",
        "confidentiality": "public",
    }
    fields.update(overrides)
    return fields


KPI_ROW = {"indicator": "漏检率", "baseline": 10.0, "target": 2.0, "unit": "%", "direction": "down"}


def make_need(org=None, status: str = "draft", author=None, template=None, **fields):
    """A need written straight to the database in `status` (published ones get published_at)."""
    from matchmaker import clock
    from matchmaker.needs.models import Need, NeedKpi

    org = org or make_org("factory")
    values = need_fields(template, **fields)
    need = Need(owner_id=org.id, author_id=getattr(author, "id", None), status=status, **values)
    need.kpis = [NeedKpi(position=1, **KPI_ROW)]
    if status != "draft":
        need.submitted_at = clock.now()
    if status == "published":
        need.published_at = clock.now()
        need.version = 1
    db.session.add(need)
    db.session.commit()
    return need


def make_offering(org: Organisation | None = None, status: str = "draft", **fields):
    """An offering of `org` (a new approved vendor by default) in `status`, written directly.

    Taxonomy links: `categories`, `templates`, `industries` (lists of model objects);
    `tech` and `deployment` (lists of codes; deployment defaults to on_prem).
    """
    from matchmaker import clock
    from matchmaker.solvers.models import Offering

    org = org or make_org("vendor")
    n = next(_counter)
    links = {key: fields.pop(key, []) for key in ("categories", "templates", "industries")}
    tech = fields.pop("tech", [])
    deployment = fields.pop("deployment", ["on_prem"])
    values = {"title": f"测试方案{n}", "summary": f"测试方案{n}的简介", "status": status}
    values.update(fields)
    offering = Offering(organisation=org, **values, **links)
    offering.set_codes("tech", tech)
    offering.set_codes("deployment", deployment)
    if status in ("submitted", "published"):
        offering.submitted_at = clock.now()
    if status == "published":
        offering.published_at = clock.now()
    db.session.add(offering)
    db.session.commit()
    return offering
