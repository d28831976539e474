from sqlalchemy import func, select

from matchmaker.demo.district import FACTORIES
from matchmaker.extensions import db
from matchmaker.needs.models import Need, NeedReview
from matchmaker.scenarios.models import ScenarioTemplate

INDUSTRY_OF = dict(enumerate((industry for _name, industry, _town in FACTORIES), start=1))


def test_demo_load_creates_about_sixty_published_needs_once(runner, app_ctx):
    assert runner.invoke(args=["taxonomy", "load"]).exit_code == 0
    result = runner.invoke(args=["demo", "load", "--password", "demo-secret-1"])
    assert result.exit_code == 0, result.output
    needs = db.session.scalars(select(Need)).all()
    published = [n for n in needs if n.status == "published"]
    assert 55 <= len(published) <= 65
    assert len({n.industry_id for n in published}) == 15
    assert len({n.category_id for n in published}) == 10
    assert {n.status for n in needs} >= {"published", "submitted", "draft", "returned"}
    assert any(n.confidentiality == "summary_only" for n in published)
    for need in needs:
        template = db.session.get(ScenarioTemplate, need.template_id)
        assert template is not None and template.industry_id == need.industry_id
        assert need.owner.town and need.town == need.owner.town
        index = int(need.owner.members[0].email[len("factory") : len("factory") + 2])
        assert INDUSTRY_OF[index] == template.industry.code
        assert need.kpis and need.budget_min <= need.budget_max
    assert len({n.budget_min for n in published}) > 10  # varied wording and numbers

    def reviews(action):
        query = select(func.count()).select_from(NeedReview)
        return db.session.scalar(query.where(NeedReview.action == action))

    # every approved need is still published, except those an awarded listing closed
    assert reviews("approve") == len(published) + reviews("close") and reviews("close") > 0

    again = runner.invoke(args=["demo", "load", "--password", "demo-secret-1"])
    assert again.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Need)) == len(needs)
