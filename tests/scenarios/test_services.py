import copy

import pytest
from sqlalchemy import select, text

from matchmaker.errors import InvalidTransition, NotAllowed, ValidationFailed
from matchmaker.extensions import db
from matchmaker.scenarios import services
from matchmaker.scenarios.loader import load_taxonomy
from matchmaker.scenarios.models import ScenarioCategory, ScenarioTemplate, TaxonomyChange

from .mini import MINI


def template(code):
    return db.session.scalar(select(ScenarioTemplate).where(ScenarioTemplate.code == code))


def test_load_is_idempotent_and_keeps_curation(mini_taxonomy, organiser):
    assert services.taxonomy_stats() == {"industries": 2, "categories": 2, "scenarios": 3}
    services.update_template(organiser, template("T001"), {"title_zh": "坯布疵点在线检测"})
    again = load_taxonomy(MINI)
    assert again.created == {"industries": 0, "categories": 0, "scenarios": 0}
    assert services.taxonomy_stats() == {"industries": 2, "categories": 2, "scenarios": 3}
    assert template("T001").title_zh == "坯布疵点在线检测"
    load_taxonomy(MINI, update=True)
    assert template("T001").title_zh == "坯布疵点视觉检测"


def test_load_adds_new_entries(mini_taxonomy):
    data = copy.deepcopy(MINI)
    data["templates"].append({**data["templates"][0], "code": "T004", "title_zh": "新场景"})
    result = load_taxonomy(data)
    assert result.created["scenarios"] == 1
    assert services.taxonomy_stats()["scenarios"] == 4


def test_load_refuses_foreign_stage_list(app_ctx):
    data = copy.deepcopy(MINI)
    data["stages"] = [{"code": "somewhere"}]
    with pytest.raises(ValueError):
        load_taxonomy(data)


def test_only_organisers_curate(mini_taxonomy, outsider):
    with pytest.raises(NotAllowed):
        services.retire_template(outsider, template("T001"))
    with pytest.raises(NotAllowed):
        services.update_template(outsider, template("T001"), {"title_zh": "x"})


def test_create_validates_and_audits(mini_taxonomy, organiser):
    vision = db.session.scalar(select(ScenarioCategory).where(ScenarioCategory.code == "vision"))
    base = {
        "code": "T001",
        "industry_id": template("T001").industry_id,
        "category_id": vision.id,
        "stage": "production_ops",
        "title_zh": "重复编号",
        "kpis": [],
    }
    with pytest.raises(ValidationFailed) as err:
        services.create_template(organiser, base)
    assert "code" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        services.create_template(
            organiser,
            {
                **base,
                "code": "T010",
                "stage": "nowhere",
                "kpis": [{"name_zh": "良率", "direction": "sideways"}],
            },
        )
    assert set(err.value.fields) == {"stage", "kpis"}
    created = services.create_template(organiser, {**base, "code": "T010"})
    assert created.position == 3
    actions = db.session.scalars(select(TaxonomyChange.action)).all()
    assert "create" in actions


def test_retire_and_restore(mini_taxonomy, organiser):
    services.retire_template(organiser, template("T002"), "与T001重复")
    assert services.taxonomy_stats()["scenarios"] == 2
    with pytest.raises(InvalidTransition):
        services.retire_template(organiser, template("T002"))
    services.restore_template(organiser, template("T002"))
    assert template("T002").status == "active"
    notes = db.session.scalars(
        select(TaxonomyChange.note).where(TaxonomyChange.action == "retire")
    ).all()
    assert notes == ["与T001重复"]


def test_reorder_within_category(mini_taxonomy, organiser):
    services.move(organiser, template("T002"), -1)
    order = [t.code for t in services.active_templates(category_id=template("T001").category_id)]
    assert order == ["T002", "T001"]
    services.move(organiser, template("T002"), -1)  # already first: nothing changes
    order = [t.code for t in services.active_templates(category_id=template("T001").category_id)]
    assert order == ["T002", "T001"]


@pytest.fixture
def referencing_tables(app_ctx):
    statements = [
        "CREATE TABLE probe_need (id INTEGER PRIMARY KEY, template_id INTEGER "
        "REFERENCES scenario_templates(id))",
        "CREATE TABLE probe_link (offering_id INTEGER, template_id INTEGER REFERENCES scenario_templates(id), "
        "PRIMARY KEY (offering_id, template_id))",
    ]
    for statement in statements:
        db.session.execute(text(statement))
    db.session.commit()
    yield
    db.session.rollback()
    db.session.execute(text("DROP TABLE probe_need"))
    db.session.execute(text("DROP TABLE probe_link"))
    db.session.commit()


def test_merge_repoints_every_reference(mini_taxonomy, organiser, referencing_tables):
    old, new = template("T002"), template("T001")
    db.session.execute(
        text(f"INSERT INTO probe_need VALUES (1, {old.id}), (2, {new.id}), (3, {old.id})")
    )
    db.session.execute(
        text(f"INSERT INTO probe_link VALUES (10, {old.id}), (10, {new.id}), (11, {old.id})")
    )
    db.session.commit()
    moved = services.merge_templates(organiser, old, new, "重复")
    assert moved["probe_need.template_id"] == 2
    needs = (
        db.session.execute(text("SELECT template_id FROM probe_need ORDER BY id")).scalars().all()
    )
    assert needs == [new.id, new.id, new.id]
    links = db.session.execute(
        text("SELECT offering_id, template_id FROM probe_link ORDER BY offering_id")
    ).all()
    assert [tuple(row) for row in links] == [(10, new.id), (11, new.id)]
    assert old.status == "merged" and old.merged_into_id == new.id
    assert services.taxonomy_stats()["scenarios"] == 2


def test_merge_refuses_self_and_inactive(mini_taxonomy, organiser):
    with pytest.raises(ValidationFailed):
        services.merge_templates(organiser, template("T001"), template("T001"))
    services.retire_template(organiser, template("T003"))
    with pytest.raises(InvalidTransition):
        services.merge_templates(organiser, template("T003"), template("T001"))


def test_update_group_retires_a_category(mini_taxonomy, organiser):
    category = db.session.scalar(select(ScenarioCategory).where(ScenarioCategory.code == "process"))
    with pytest.raises(ValidationFailed):
        services.update_group(organiser, category, {"name_zh": " "})
    services.update_group(organiser, category, {"name_zh": "工艺优化", "active": False})
    assert services.taxonomy_stats()["categories"] == 1


def test_editing_kpis_keeps_their_english_names(mini_taxonomy, organiser):
    services.update_template(
        organiser,
        template("T001"),
        {
            "kpis": [
                {"name_zh": "漏检率", "unit": "%", "direction": "down"},
                {"name_zh": "误检率", "unit": "%", "direction": "down"},
            ]
        },
    )
    kpis = template("T001").kpis
    assert kpis[0]["name_en"] == "Miss rate"
    assert "name_en" not in kpis[1]


def test_audit_page_shows_chinese_readably(client, mini_taxonomy, organiser):
    from tests.factories import login, make_user

    services.update_template(organiser, template("T001"), {"title_zh": "坯布疵点在线检测"})
    make_user(role="organiser", email="o@example.com")
    login(client, "o@example.com")
    html = client.get("/console/taxonomy/audit").get_data(as_text=True)
    assert "坯布疵点在线检测" in html and "\\u" not in html
