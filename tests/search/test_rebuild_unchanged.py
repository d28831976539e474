"""A rebuild (or an indexing job) that changes nothing writes nothing and keeps the version."""

import dataclasses

from sqlalchemy import select

from matchmaker import search
from matchmaker.extensions import db
from matchmaker.search.app import service, sync
from matchmaker.search.core.registry import DocumentSource
from matchmaker.search.core.snapshot import read_sidecar
from matchmaker.search.store import store
from matchmaker.search.store.models import SearchDocument
from tests.search_wiring import search_index  # noqa: F401  (fixture)

from .conftest import NEEDS, OFFERINGS, TEMPLATES


def _wire(app, needs, offerings=OFFERINGS):
    by_id = {d.id: d for d in needs}
    sources = [
        DocumentSource("need", load_all=lambda: list(needs), load=lambda ids: [
            by_id[i] for i in ids if i in by_id
        ]),
        DocumentSource("offering", load_all=lambda: list(offerings), load=lambda ids: []),
    ]  # fmt: skip
    search.init_app(app, sources=sources, templates=lambda: TEMPLATES)


def _rows():
    found = db.session.execute(
        select(SearchDocument.kind, SearchDocument.ref_id, SearchDocument.version)
    )
    return sorted(tuple(r) for r in found)


def _rebuild(app):
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def test_rebuild_with_nothing_changed_keeps_version_rows_and_snapshot(search_app, encoder):
    _wire(search_app, NEEDS)
    first = _rebuild(search_app)
    assert "rebuilt search index" in first and ", 8 written," in first
    version, rows = store.current_version(), _rows()
    snapshot = read_sidecar(search_app.config["SEARCH_INDEX_DIR"])
    encoded = encoder.encoded

    again = _rebuild(search_app)
    assert "unchanged search index" in again
    assert ", 0 encoded, 0 written, 0 removed," in again
    assert store.current_version() == version  # no worker reloads for nothing
    assert _rows() == rows  # not one row rewritten
    assert read_sidecar(search_app.config["SEARCH_INDEX_DIR"])["dir"] == snapshot["dir"]
    assert encoder.encoded == encoded


def test_rebuild_moves_the_version_once_for_what_changed(search_app, encoder):
    _wire(search_app, NEEDS)
    _rebuild(search_app)
    version, rows = store.current_version(), dict(((k, i), v) for k, i, v in _rows())
    edited = dataclasses.replace(NEEDS[1], text=NEEDS[1].text + "另需预测轴承寿命。")
    _wire(search_app, [NEEDS[0], edited])  # need 3 left its source, need 2 changed
    summary = _rebuild(search_app)
    assert ", 1 encoded, 1 written, 1 removed," in summary
    after = dict(((k, i), v) for k, i, v in _rows())
    moved = {key for key in after if after[key] != rows[key]}
    assert moved == {("need", "2"), ("need", "3")}
    assert store.current_version() == version + 1  # one version for the whole need kind
    assert service.get_holder().ensure_fresh().collections["need"].position("3") is None


def test_rebuild_rebuilds_a_missing_snapshot_without_moving_the_version(search_app, encoder):
    import shutil

    _wire(search_app, NEEDS)
    _rebuild(search_app)
    version = store.current_version()
    shutil.rmtree(search_app.config["SEARCH_INDEX_DIR"])
    summary = _rebuild(search_app)
    assert "rebuilt search index" in summary and ", 0 written," in summary
    assert store.current_version() == version
    assert read_sidecar(search_app.config["SEARCH_INDEX_DIR"])["version"] == version


def test_indexing_job_for_an_unchanged_need_keeps_the_version(search_app, encoder):
    _wire(search_app, NEEDS)
    service.index_documents(NEEDS + OFFERINGS)
    version, rows = store.current_version(), _rows()
    assert sync.apply("need", ["1", "2"]) == version
    assert store.current_version() == version and _rows() == rows
    edited = dataclasses.replace(NEEDS[0], title="验布靠人工（加急）")
    _wire(search_app, [edited, *NEEDS[1:]])
    assert sync.apply("need", ["1", "2"]) == version + 1
    changed = {(k, i) for k, i, v in _rows() if v == version + 1}
    assert changed == {("need", "1")}


def test_index_documents_again_is_a_no_op(search_app, encoder):
    first = service.index_documents(NEEDS)
    assert service.index_documents(NEEDS) == first == store.current_version()


def test_a_second_rebuild_of_the_apps_own_documents_writes_nothing(app, app_ctx, search_index):  # noqa: F811
    """With the app's own sources (payloads from the ORM: budgets, KPIs, deployment, taxonomy
    codes), a rebuild with nothing to encode rewrites no row and keeps the version."""
    from tests.factories import ensure_taxonomy, make_need, make_offering

    t001, _t002, t003 = ensure_taxonomy()
    make_need(status="published", template=t001, title="坯布疵点视觉检测")
    make_need(status="published", template=t003, title="加药量控制", budget_min=None)
    make_offering(
        status="published", templates=[t001], deployment=["on_prem", "cloud"],
        price_min=20, price_max=80,
    )  # fmt: skip
    assert "rebuilt search index" in _rebuild(app)
    version, rows = store.current_version(), _rows()
    again = _rebuild(app)
    assert "unchanged search index" in again
    assert ", 0 encoded, 0 written, 0 removed," in again
    assert store.current_version() == version and _rows() == rows
