"""The need form's "智能识别": classification suggestions the factory confirms with "采用",
near-duplicate published needs (never an invited_only one), the typed text kept; and the
duplicate hint on the owner's draft page before submitting."""

from __future__ import annotations

import pytest

from tests.factories import (
    KPI_ROW,
    ensure_taxonomy,
    login,
    make_need,
    make_org,
    make_user,
    need_fields,
)
from tests.search_wiring import index_now, search_index  # noqa: F401  (fixture)

TYPED = {
    "title": "坯布疵点视觉检测",
    "goal": "验布时自动识别坯布疵点，减少漏检",
    "pain_point": "人工验布漏检多",
    "template_id": "0",
}


@pytest.fixture
def owner(app_ctx, search_index):  # noqa: F811
    ensure_taxonomy()
    return make_user(make_org("factory"))


def _published(templates, **fields):
    need = make_need(status="published", template=templates[0], **fields)
    index_now("need", need)
    return need


def test_identify_suggests_templates_and_keeps_the_input(owner, client):
    login(client, owner.email)
    response = client.post("/needs/new?template=other", data=TYPED | {"identify": "智能识别"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "最接近的场景模板" in page and "置信度" in page
    assert page.index("坯布疵点视觉检测（") < page.index("染料配方智能配比（")
    assert "验布时自动识别坯布疵点，减少漏检" in page  # what the user typed stays


def test_use_template_fills_the_taxonomy(owner, client):
    templates = ensure_taxonomy()
    login(client, owner.email)
    data = TYPED | {"use_template": str(templates[0].id)}
    page = client.post("/needs/new?template=other", data=data).get_data(as_text=True)
    assert f'<option selected value="{templates[0].id}">' in page


def _typed_like_factory_need(template) -> dict:
    fields = need_fields(template)
    data = {name: str(fields[name]) for name in ("title", "goal", "pain_point", "current_process")}
    data |= {"industry_id": str(template.industry_id), "category_id": str(template.category_id)}
    data |= {"template_id": str(template.id), "data_sources": fields["data_sources"]}
    data |= {"constraints": fields["constraints"], "identify": "1"}
    data |= {f"kpis-0-{key}": str(value) for key, value in KPI_ROW.items()}
    return data


def test_identify_lists_near_duplicates_but_not_invited_only(owner, client):
    templates = ensure_taxonomy()
    twin = _published(templates)
    secret = _published(templates, confidentiality="invited_only")
    login(client, owner.email)
    data = _typed_like_factory_need(templates[0])
    page = client.post("/needs/new?template=other", data=data).get_data(as_text=True)
    assert "已有相似的已发布需求" in page and f"/needs/{twin.id}" in page
    assert f"/needs/{secret.id}" not in page


def test_draft_page_warns_of_duplicates(owner, client):
    templates = ensure_taxonomy()
    twin = _published(templates)
    draft = make_need(owner.organisation, status="draft", template=templates[0])
    login(client, owner.email)
    page = client.get(f"/needs/{draft.id}").get_data(as_text=True)
    assert "相似的已发布需求" in page and f"/needs/{twin.id}" in page


def test_identify_saves_nothing(owner, client):
    from sqlalchemy import func, select

    from matchmaker.extensions import db
    from matchmaker.needs.models import Need

    login(client, owner.email)
    client.post("/needs/new?template=other", data=TYPED | {"identify": "1"})
    assert db.session.scalar(select(func.count()).select_from(Need)) == 0
