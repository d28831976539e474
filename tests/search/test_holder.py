"""Index holders over the database: catch-up, reload between workers, crash recovery."""

import os

from matchmaker.extensions import db
from matchmaker.search.app import service
from matchmaker.search.core.documents import Document
from matchmaker.search.core.snapshot import read_sidecar
from matchmaker.search.store import store
from matchmaker.search.store.holder import IndexHolder

from .conftest import NEEDS, OFFERINGS, TEMPLATES


def other_worker(app, encoder, **kw):
    """A second process's holder: same database and index directory, its own memory."""
    return IndexHolder(app.config["SEARCH_INDEX_DIR"], lambda: encoder, lambda: TEMPLATES, **kw)


def top_ids(engine, kind="need", doc_id="2"):
    from matchmaker.search.core.matching import match_for

    return [m.id for m in match_for(engine, kind, doc_id, k=5).matches]


def test_index_documents_and_match(search_app, encoder):
    service.index_documents(NEEDS + OFFERINGS)
    # each document once, and the templates once (their vectors feed the profile component)
    assert encoder.encoded == len(NEEDS + OFFERINGS) + len(TEMPLATES)
    result = service.match_for("need", 2, k=3)
    assert result.matches[0].id == "11" and result.notices == []
    assert service.classify("离心泵振动故障预测").category.code == "maintenance"
    assert service.search_text("门店销量预测", kinds=["offering"], k=1).matches[0].id == "12"


def test_unchanged_text_is_not_reencoded(search_app, encoder):
    service.index_documents(NEEDS + OFFERINGS)
    before = encoder.encoded
    same_text = Document("need", "2", NEEDS[1].title, NEEDS[1].text, status="closed")
    service.index_documents([same_text])
    assert encoder.encoded == before
    service.index_documents([Document("need", "2", "新的标题", "新的描述文字")])
    assert encoder.encoded == before + 1


def test_other_worker_follows_the_version(search_app, encoder):
    service.index_documents(NEEDS + OFFERINGS)
    worker = other_worker(search_app, encoder)
    assert top_ids(worker.ensure_fresh())[0] == "11"
    service.remove("offering", ["11"])
    assert "11" not in top_ids(worker.ensure_fresh())
    service.index_documents(
        [Document("offering", "20", "泵振动预警", "离心泵压缩机振动监测预测故障")]
    )
    engine = worker.ensure_fresh()
    assert top_ids(engine)[0] == "20"
    assert worker.version == store.current_version()


def test_crash_between_vector_write_and_index_save(search_app, encoder):
    service.index_documents(NEEDS + OFFERINGS)
    saved = read_sidecar(search_app.config["SEARCH_INDEX_DIR"])
    # A writer commits rows and vectors, then dies before any index catches up or saves.
    store.save_documents(
        [Document("offering", "30", "泵群健康", "离心泵压缩机振动预测故障")], encoder
    )
    assert read_sidecar(search_app.config["SEARCH_INDEX_DIR"])["version"] == saved["version"]
    restarted = other_worker(search_app, encoder)
    engine = restarted.ensure_fresh()
    assert "30" in top_ids(engine)
    assert restarted.version == store.current_version()
    assert len(engine.collections["offering"]) == len(OFFERINGS) + 1


def test_unreadable_snapshot_is_rebuilt_from_stored_vectors(search_app, encoder):
    service.index_documents(NEEDS + OFFERINGS)
    meta = read_sidecar(search_app.config["SEARCH_INDEX_DIR"])
    pkl = os.path.join(search_app.config["SEARCH_INDEX_DIR"], meta["dir"], "engine.pkl")
    with open(pkl, "wb") as fh:
        fh.write(b"truncated")
    encoded = encoder.encoded
    worker = other_worker(search_app, encoder)
    assert top_ids(worker.ensure_fresh())[0] == "11"
    # rebuilt from the stored vectors: no document encoded, only the templates (not stored)
    assert encoder.encoded == encoded + len(TEMPLATES)


def test_snapshot_round_trip(search_app, encoder):
    service.index_documents(NEEDS + OFFERINGS)
    holder = service.get_holder()
    holder.save()
    meta = read_sidecar(holder.index_dir)
    assert meta["model"] == encoder.fingerprint and meta["dim"] == encoder.dim
    assert meta["count"] == {"need": 3, "offering": 5} and meta["version"] == holder.version
    loaded = other_worker(search_app, encoder)
    assert loaded.ensure_fresh() is not None and loaded.loaded_dir == meta["dir"]
    assert top_ids(loaded.engine, "need", "1") == top_ids(holder.engine, "need", "1")


def test_snapshot_without_template_vectors_is_rebuilt(search_app, encoder):
    # a snapshot saved before the template-space profile: its classifier has no vectors
    service.index_documents(NEEDS + OFFERINGS)
    holder = service.get_holder()
    holder.engine.classifier.vectors = None
    holder.save()
    meta = read_sidecar(holder.index_dir)
    worker = other_worker(search_app, encoder)
    engine = worker.ensure_fresh()
    assert engine.classifier.vectors is not None and read_sidecar(holder.index_dir) != meta
    _, query = engine.stored_query("need", "2")
    assert "profile" in engine.rank("offering", query, None, k=3).components


def test_too_many_pending_changes_wait_for_a_snapshot(search_app, encoder):
    service.index_documents(NEEDS + OFFERINGS)
    worker = other_worker(search_app, encoder, snapshot_lag=1)
    worker.ensure_fresh()
    extra = [Document("offering", str(40 + i), f"方案{i}", "离心泵振动预测") for i in range(3)]
    for doc in extra:
        store.save_documents([doc], encoder)
    engine = worker.ensure_fresh()
    assert worker.stale and "40" not in engine.collections["offering"].positions
    service.get_holder().ensure_fresh()  # the writer's process catches up and saves
    service.get_holder().save()
    engine = worker.ensure_fresh()
    assert not worker.stale and "42" in engine.collections["offering"].positions


def test_without_encoder_results_say_so(search_app):
    search_app.config["SEARCH_ENCODER_FACTORY"] = None
    search_app.config["SEARCH_MODEL_DIR"] = "/nonexistent"
    service.index_documents(NEEDS + OFFERINGS)
    result = service.match_for("need", 2, k=2)
    assert result.matches[0].id == "11"
    assert "encoder_unavailable" in result.notices


def test_workers_load_the_snapshot_of_a_rebuild(search_app, encoder):
    service.index_documents(NEEDS + OFFERINGS)
    worker = other_worker(search_app, encoder)
    worker.ensure_fresh()
    before = worker.loaded_dir
    store.bump_version()  # a rebuild that wrote rows moved the version before building
    db.session.commit()
    worker.ensure_fresh()  # the version moved but no snapshot yet: keep serving
    assert worker.loaded_dir == before and worker.engine is not None
    service.get_holder().rebuild()
    worker.ensure_fresh()
    assert worker.loaded_dir == read_sidecar(worker.index_dir)["dir"] != before
    assert worker.version == store.current_version()
