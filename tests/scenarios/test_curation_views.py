from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.scenarios.models import ScenarioTemplate, TaxonomyChange
from tests.factories import login, make_org, make_user


def _template(code):
    return db.session.scalar(select(ScenarioTemplate).where(ScenarioTemplate.code == code))


def _organiser(client):
    user = make_user(role="organiser", email="org@example.com")
    login(client, "org@example.com")
    return user


def test_anonymous_is_sent_to_login(client, mini_taxonomy):
    response = client.get("/console/taxonomy/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_factory_member_is_forbidden(client, mini_taxonomy):
    make_user(make_org("factory"), email="f@example.com")
    login(client, "f@example.com")
    assert client.get("/console/taxonomy/").status_code == 403
    assert (
        client.post(f"/console/taxonomy/templates/{_template('T001').id}/retire").status_code == 403
    )


def test_organiser_edits_with_errors_kept(client, mini_taxonomy):
    actor = _organiser(client)
    template = _template("T001")
    form = {
        "code": "T001",
        "industry_id": template.industry_id,
        "category_id": template.category_id,
        "stage": "production_ops",
        "title_zh": "坯布疵点在线检测",
        "title_en": "",
        "pain_point_zh": "我输入的痛点",
        "data_zh": "",
        "example_zh": "",
        "kpis": "漏检率|%|sideways",
    }
    response = client.post(f"/console/taxonomy/templates/{template.id}/edit", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "第 1 行：方向应为“上升”（up）或“下降”（down）。" in html and "我输入的痛点" in html
    form["kpis"] = "漏检率|%|down"
    response = client.post(f"/console/taxonomy/templates/{template.id}/edit", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    assert _template("T001").title_zh == "坯布疵点在线检测"
    change = db.session.scalars(select(TaxonomyChange).where(TaxonomyChange.action == "edit")).one()
    assert change.actor_id == actor.id and change.before["title_zh"] == "坯布疵点视觉检测"


def test_organiser_merges_and_retires_through_forms(client, mini_taxonomy):
    _organiser(client)
    old, new = _template("T002"), _template("T001")
    response = client.post(
        "/console/taxonomy/merge", data={"source_id": old.id, "target_id": old.id}
    )
    assert response.status_code == 422
    response = client.post(
        "/console/taxonomy/merge", data={"source_id": old.id, "target_id": new.id, "note": "重复"}
    )
    assert response.status_code == 302
    response = client.post(
        f"/console/taxonomy/templates/{_template('T003').id}/retire", data={"note": "过时"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert [_template(c).status for c in ("T001", "T002", "T003")] == [
        "active",
        "merged",
        "retired",
    ]
    html = client.get("/console/taxonomy/audit").get_data(as_text=True)
    assert "merge" in html and "过时" in html


def test_create_template_page(client, mini_taxonomy):
    _organiser(client)
    assert client.get("/console/taxonomy/templates/new").status_code == 200
    base = _template("T001")
    response = client.post(
        "/console/taxonomy/templates/new",
        data={
            "code": "T050",
            "industry_id": base.industry_id,
            "category_id": base.category_id,
            "stage": "production_ops",
            "title_zh": "新场景",
            "kpis": "良率|%|up",
        },
    )
    assert response.status_code == 302
    assert _template("T050").kpis == [{"name_zh": "良率", "unit": "%", "direction": "up"}]


def test_edit_post_without_the_kpi_field_keeps_the_kpis(client, mini_taxonomy):
    """Regression: a POST without `kpis` validated the stored list as text and answered 500."""
    _organiser(client)
    template = _template("T001")
    kpi_names = [k["name_zh"] for k in template.kpis]
    form = {
        "code": "T001",
        "industry_id": template.industry_id,
        "category_id": template.category_id,
        "stage": "production_ops",
        "title_zh": "坯布疵点在线检测",
    }
    response = client.post(f"/console/taxonomy/templates/{template.id}/edit", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    assert [k["name_zh"] for k in _template("T001").kpis] == kpi_names == ["漏检率"]
    assert _template("T001").title_zh == "坯布疵点在线检测"


def _new_template_form(base, **overrides) -> dict:
    form = {
        "code": "T060",
        "industry_id": base.industry_id,
        "category_id": base.category_id,
        "stage": "production_ops",
        "title_zh": "新场景",
        "kpis": "良率|%|up",
    }
    form.update(overrides)
    return form


def test_kpi_directions_the_hint_offers_are_accepted(client, mini_taxonomy):
    """Regression (issue 15, item 16): the hint offers 下降 but the form refused it."""
    _organiser(client)
    page = client.get("/console/taxonomy/templates/new").get_data(as_text=True)
    assert "方向填“上升”或“下降”" in page and "或 down" not in page
    kpis = "漏检率|%|下降\n良率｜%｜上升\n节拍|秒|DOWN\n产量|件|Up"
    response = client.post(
        "/console/taxonomy/templates/new", data=_new_template_form(_template("T001"), kpis=kpis)
    )
    assert response.status_code == 302
    assert [k["direction"] for k in _template("T060").kpis] == ["down", "up", "down", "up"]


def test_bad_kpi_lines_say_what_is_wrong(client, mini_taxonomy):
    _organiser(client)
    base = _template("T001")
    response = client.post(
        "/console/taxonomy/templates/new", data=_new_template_form(base, kpis="良率|%")
    )
    assert response.status_code == 422
    assert "第 1 行：格式不正确，应为 名称|单位|方向。" in response.get_data(as_text=True)


def test_stage_is_required_with_no_preselected_default(client, mini_taxonomy):
    """Regression (issue 15, item 16): 环节 silently defaulted to 工厂建设."""
    _organiser(client)
    page = client.get("/console/taxonomy/templates/new").get_data(as_text=True)
    start = page.index('name="stage"')
    options = page[start : page.index("</select>", start)]
    assert "selected" not in options and '<option value="">请选择环节</option>' in options
    form = _new_template_form(_template("T001"), title_zh="保留我的输入")
    del form["stage"]
    response = client.post("/console/taxonomy/templates/new", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请选择环节。" in html and "保留我的输入" in html
    response = client.post(
        "/console/taxonomy/templates/new", data=_new_template_form(_template("T001"), stage="")
    )
    assert response.status_code == 422
    assert db.session.scalars(select(ScenarioTemplate).filter_by(code="T060")).first() is None
