"""`flask search eval` and `flask search rebuild` through the CLI runner."""

import json
import os

from matchmaker import search
from matchmaker.search.app import service
from matchmaker.search.core.registry import DocumentSource
from matchmaker.search.store import store

from .conftest import NEEDS, OFFERINGS, TEMPLATES

FIXTURE = {
    "needs": [
        {"id": "n1", "title": "验布靠人工", "description": "布面疵点漏检多", "industry": "印染"},
        {"id": "n2", "title": "机泵停车", "description": "离心泵故障导致停车", "industry": "化工"},
        {"id": "n3", "title": "销量预测", "description": "面包门店销量预测", "industry": "食品"},
    ],
    "offerings": [
        {"id": "o1", "title": "织物疵点识别", "description": "相机识别布面疵点", "vendor": "甲"},
        {"id": "o2", "title": "振动预警", "description": "离心泵振动监测预测故障", "vendor": "乙"},
        {"id": "o3", "title": "需求预测", "description": "门店销量预测与补货", "vendor": "丙"},
        {"id": "o4", "title": "染料采购", "description": "布面印染染料集中采购", "vendor": "丁"},
    ],
    "qrels": {"n1": {"o1": 2, "o4": 0}, "n2": {"o2": 2}, "n3": {"o3": 2, "o1": 1}},
}
METRIC_KEYS = {"p@1", "mrr", "recall@5", "recall@10", "ndcg@10"}


def _write_fixture(tmp_path):
    path = tmp_path / "set.json"
    path.write_text(json.dumps(FIXTURE, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_eval_json_last_line(search_app, tmp_path):
    runner = search_app.test_cli_runner()
    result = runner.invoke(args=["search", "eval", _write_fixture(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    for name in ("hybrid", "dense", "lexical"):
        assert set(report[name]) == METRIC_KEYS
        assert all(0.0 <= v <= 1.0 for v in report[name].values())
    assert report["n_needs"] == 3 and report["n_offerings"] == 4
    assert report["hybrid"]["p@1"] == 1.0
    assert report["encoder"] == "tiny-char-bigram/64"
    assert "hybrid" in result.output.splitlines()[1]  # the table comes before the JSON line


def test_eval_leaves_database_and_index_alone(search_app, tmp_path):
    runner = search_app.test_cli_runner()
    runner.invoke(args=["search", "eval", _write_fixture(tmp_path)])
    assert store.current_version() == 0 and store.rows_since(-1) == []
    assert not os.path.exists(search_app.config["SEARCH_INDEX_DIR"])


def test_eval_fit_reports_the_other_half(search_app, tmp_path):
    runner = search_app.test_cli_runner()
    path = _write_fixture(tmp_path)
    result = runner.invoke(args=["search", "eval", path, "--json", "--fit"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["n_needs"] == 2  # odd ids report, even ids fit
    assert report["fit_half"]["n_needs"] == 1
    assert abs(sum(report["weights"].values()) - 1.0) < 1e-9


def test_eval_without_model(search_app, tmp_path):
    search_app.config["SEARCH_ENCODER_FACTORY"] = None
    runner = search_app.test_cli_runner()
    path = _write_fixture(tmp_path)
    failed = runner.invoke(args=["search", "eval", path, "--json"])
    assert failed.exit_code == 2 and "--encoder none" in failed.output
    lexical = runner.invoke(args=["search", "eval", path, "--json", "--encoder", "none"])
    assert lexical.exit_code == 0
    report = json.loads(lexical.output.strip().splitlines()[-1])
    assert report["dense"] is None and set(report["lexical"]) == METRIC_KEYS


def test_rebuild_syncs_sources_and_builds(search_app, encoder):
    service.index_documents([NEEDS[0]])
    sources = [
        DocumentSource("need", load_all=lambda: NEEDS[1:], load=lambda ids: []),
        DocumentSource("offering", load_all=lambda: OFFERINGS, load=lambda ids: []),
    ]
    search.init_app(search_app, sources=sources, templates=lambda: TEMPLATES)
    result = search_app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    summary = result.output.strip().splitlines()[-1]
    assert "2 needs, 5 offerings" in summary and "model tiny-char-bigram/64" in summary
    assert store.active_ids("need") == {"2", "3"}  # need 1 left its source
    engine = service.get_holder().ensure_fresh()
    assert "1" not in engine.collections["need"].positions
    again = search_app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert ", 0 encoded," in again.output


def test_rebuild_on_an_empty_database(search_app):
    result = search_app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "0 needs, 0 offerings" in result.output
    assert service.search_text("布面疵点").matches == []


def _second_set(tmp_path, need_id="m2", offering_id="p1"):
    """A second judged set whose offering would win n1's query if it were pooled with it."""
    data = {
        "needs": [{"id": need_id, "title": "印花错位", "description": "印花布对花不准"}],
        "offerings": [
            {"id": offering_id, "title": "验布靠人工 布面疵点漏检多", "description": "印花对花"}
        ],
        "qrels": {need_id: {offering_id: 2}},
    }
    path = tmp_path / "second.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_eval_reads_several_files_as_one_set(search_app, tmp_path):
    runner = search_app.test_cli_runner()
    args = ["search", "eval", _write_fixture(tmp_path), _second_set(tmp_path), "--json"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["n_needs"] == 4 and report["n_offerings"] == 5
    # each need meets only its own file's offerings: p1 (a copy of n1's words) is never
    # ranked for n1, so every need still finds its relevant offering first
    assert report["lexical"]["p@1"] == 1.0 and report["hybrid"]["p@1"] == 1.0
    fitted = runner.invoke(args=[*args, "--fit"])
    assert json.loads(fitted.output.strip().splitlines()[-1])["n_needs"] == 2  # n1, n3 (odd)


def test_eval_refuses_ids_repeated_across_files(search_app, tmp_path):
    runner = search_app.test_cli_runner()
    first = _write_fixture(tmp_path)
    result = runner.invoke(args=["search", "eval", first, _second_set(tmp_path, "n1")])
    assert result.exit_code == 2
    assert "ids repeat" in result.output
