import json

from matchmaker.extensions import db
from matchmaker.scenarios.models import ScenarioTemplate


def test_shipped_taxonomy_loads_idempotently(runner, app_ctx):
    first = runner.invoke(args=["taxonomy", "load"])
    assert first.exit_code == 0, first.output
    stats = runner.invoke(args=["taxonomy", "stats", "--json"])
    assert json.loads(stats.output.strip().splitlines()[-1]) == {
        "industries": 15,
        "categories": 10,
        "scenarios": 104,
    }
    second = runner.invoke(args=["taxonomy", "load"])
    assert "'scenarios': 0" in second.output.split("updated")[0]
    assert db.session.query(ScenarioTemplate).count() == 104


def test_stats_follow_curation(runner, app_ctx):
    runner.invoke(args=["taxonomy", "load"])
    db.session.query(ScenarioTemplate).filter_by(code="T104").one().status = "retired"
    db.session.commit()
    stats = json.loads(runner.invoke(args=["taxonomy", "stats", "--json"]).output.strip())
    assert stats["scenarios"] == 103
