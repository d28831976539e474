"""The search API the features call (inside an app context).

Writes go to the database first (documents, and vectors of changed texts), then this
process's index catches up; other workers catch up on their next search call. Reads check
the index version once per call. Returned `SearchResult.notices` say when dense ranking was
unavailable ("encoder_unavailable") or the index lags behind ("index_stale").
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence

import numpy as np
from flask import current_app

from ...extensions import db
from ..core.classify import Classification, IndustryClassifier
from ..core.documents import Document, Filters, SearchResult, Template
from ..core.duplicates import DUPLICATE_THRESHOLD, Duplicate, similarity_matrix
from ..core.duplicates import duplicate_clusters as _clusters
from ..core.duplicates import near_duplicates as _near
from ..core.duplicates import scored_clusters as _scored_clusters
from ..core.matching import Neighbours, classify_text
from ..core.matching import match_for as _match_for
from ..core.matching import match_many as _match_many
from ..core.matching import neighbours_many as _neighbours_many
from ..core.matching import reasons_for as _reasons_for
from ..core.matching import search_text as _search_text
from ..core.registry import DocumentSource, Sources, TemplateLoader
from ..core.runtime import encoder_or_none, limit_blas_threads
from ..store import store, textcache
from ..store.holder import IndexHolder

log = logging.getLogger(__name__)
EXTENSION_KEY = "matchmaker.search"
SOURCES_KEY = "matchmaker.search.sources"
INDEX_STALE = "index_stale"


def init_app(
    app, sources: Sequence[DocumentSource] = (), templates: TemplateLoader | None = None
) -> None:
    """Give the app its document sources and template loader (from `create_app`; calling it
    again replaces them). Nothing is loaded or encoded here."""
    app.extensions[SOURCES_KEY] = Sources(sources, templates)


def get_sources() -> Sources:
    """This app's sources (none when `init_app` was not called)."""
    return current_app.extensions.get(SOURCES_KEY) or Sources()


def get_holder() -> IndexHolder:
    """This app's index holder, created on first use (never at import or app creation)."""
    app = current_app._get_current_object()
    holder = app.extensions.get(EXTENSION_KEY)
    if holder is None:
        config = app.config
        limit_blas_threads(config.get("SEARCH_BLAS_THREADS", 1))
        index_dir = config.get("SEARCH_INDEX_DIR") or os.path.join(
            app.instance_path, "search-index"
        )
        holder = IndexHolder(
            index_dir,
            encoder=lambda: encoder_or_none(config),
            templates=lambda: get_sources().load_templates(),
            hnsw_threshold=config.get("SEARCH_HNSW_THRESHOLD", 50_000),
            snapshot_lag=config.get("SEARCH_SNAPSHOT_LAG", 1000),
        )
        app.extensions[EXTENSION_KEY] = holder
    return holder


def index_documents(docs: Sequence[Document]) -> int:
    """Store (and encode where the text changed) then index; returns the new version."""
    holder = get_holder()
    version = store.save_documents(list(docs), holder.encoder)
    holder.ensure_fresh()
    return version


def remove(kind: str, ids: Sequence) -> int:
    holder = get_holder()
    version = store.mark_removed(kind, [str(i) for i in ids])
    holder.ensure_fresh()
    return version


def match_for(
    kind: str,
    doc_id,
    k: int = 10,
    filters: Filters | None = None,
    with_reasons: bool = True,
    floor: bool = True,
) -> SearchResult | None:
    """Documents of the other kind for a stored one; `floor=False` keeps the results below
    the calibrated floor too (analyses that need the best score even when it is poor)."""
    holder = get_holder()
    found = _match_for(holder.ensure_fresh(), kind, str(doc_id), k, filters, with_reasons, floor)
    return _flag(holder, found)


def match_many(
    kind: str, doc_ids: Sequence, k: int = 10, filters: Filters | None = None, floor: bool = True
) -> tuple[dict[str, SearchResult], int]:
    """`match_for` without reasons for many stored documents: one version check and one
    batched ranking. (results by id — ids not indexed are absent —, the index version used)."""
    holder = get_holder()
    engine = holder.ensure_fresh()
    found = _match_many(engine, kind, [str(i) for i in doc_ids], k, filters, floor)
    for result in found.values():
        _flag(holder, result)
    return found, holder.version


def neighbours_many(
    kind: str, doc_ids: Sequence, k: int = 10, filters: Filters | None = None
) -> tuple[dict[str, Neighbours], int]:
    """Each stored document's top k of the other kind as ids and similarities (no `Match`
    objects; nothing left out below the calibrated floor): for figures over every document.
    One version check and one batched ranking; (results by id, the index version used)."""
    holder = get_holder()
    engine = holder.ensure_fresh()
    found = _neighbours_many(engine, kind, [str(i) for i in doc_ids], k, filters)
    if holder.stale:
        for result in found.values():
            result.notices.append(INDEX_STALE)
    return found, holder.version


def add_reasons(kind: str, doc_id, matches) -> None:
    """Explain matches of a stored document that were ranked with `with_reasons=False`."""
    _reasons_for(get_holder().ensure_fresh(), kind, str(doc_id), matches)


def stored_document(kind: str, doc_id) -> Document | None:
    """The indexed document (its stored fields) of a live id, or None. Matches carry theirs
    (`Match.document`): fetching each back with this costs a version check per hit."""
    return stored_documents(kind, [doc_id]).get(str(doc_id))


def stored_documents(kind: str, doc_ids: Sequence) -> dict[str, Document]:
    """The indexed documents of the live ids among `doc_ids`, by id (one version check; none
    and no index load when `doc_ids` is empty)."""
    if not doc_ids:
        return {}
    col = get_holder().ensure_fresh().collections[kind]
    positions = {str(i): col.position(str(i)) for i in doc_ids}
    return {i: col.docs[pos] for i, pos in positions.items() if pos is not None}


def search_text(
    text: str, kinds: Sequence[str] = ("need", "offering"), k: int = 10, filters=None
) -> SearchResult:
    holder = get_holder()
    engine = holder.ensure_fresh()
    return _flag(holder, _search_text(engine, holder.encoder, text, kinds, k, filters))


def classify(text: str) -> Classification:
    holder = get_holder()
    return classify_text(holder.ensure_fresh(), _cached(holder.encoder), text)


def industry_classifier(templates: Sequence[Template]) -> IndustryClassifier:
    """A classifier of texts among one industry's templates at a time (the survey import's,
    when a row names no template): lexical only, it needs neither the index nor the encoder;
    fitted on its first use. Use one for a batch of texts."""
    return IndustryClassifier(templates)


def near_duplicates(
    text: str, k: int = 10, threshold: float = DUPLICATE_THRESHOLD, exclude: Sequence = ()
) -> list[Duplicate]:
    holder = get_holder()
    engine = holder.ensure_fresh()
    encoder = _cached(holder.encoder)
    return _near(engine, encoder, text, "need", k, threshold, [str(e) for e in exclude])


def remember_text(text: str) -> bool:
    """Encode a long free text (a saved draft need) once and store its vector, so the pages
    that compare it (near-duplicates) never encode it again; never raises."""
    try:
        encoder = get_holder().encoder
        return encoder is not None and textcache.remember(encoder, text)
    except Exception:  # noqa: BLE001  (a cache must not fail the save)
        db.session.rollback()
        log.exception("storing a text vector failed")
        return False


def _cached(encoder):
    return textcache.CachedEncoder(encoder) if encoder is not None else None


def duplicate_clusters(
    ids: Sequence | None = None, threshold: float = DUPLICATE_THRESHOLD
) -> list[list[str]]:
    if ids is None:
        return [c for c, _ in scored_duplicate_clusters(threshold)]
    engine = get_holder().ensure_fresh()
    return _clusters(engine, "need", [str(i) for i in ids], threshold)


def scored_duplicate_clusters(
    threshold: float = DUPLICATE_THRESHOLD,
) -> list[tuple[list[str], dict[str, float]]]:
    """Clusters among all indexed needs with each member's highest similarity to another,
    largest first; computed once per index version and threshold in this process (the
    version moves whenever a need is published, changed or leaves)."""
    holder = get_holder()
    engine = holder.ensure_fresh()
    key = (holder.version, id(engine), threshold)
    cached = getattr(holder, "_duplicate_clusters", None)
    if cached is None or cached[0] != key:
        col = engine.collections["need"]
        positions = np.flatnonzero(col.alive)
        cached = (key, _scored_clusters(col, positions, threshold))
        holder._duplicate_clusters = cached
    return cached[1]


def duplicate_similarities(ids: Sequence) -> list[list[float]]:
    """Pairwise similarities of indexed needs (e.g. one cluster), in the order given."""
    engine = get_holder().ensure_fresh()
    return similarity_matrix(engine, "need", [str(i) for i in ids]).tolist()


def _flag(holder: IndexHolder, result: SearchResult | None) -> SearchResult | None:
    if result is not None and holder.stale:
        result.notices.append(INDEX_STALE)
    return result


def warm_up(app) -> None:
    """Load the encoder (and run it once), the index and the lexical model in this process.

    Called by gunicorn's `post_worker_init` hook, so a worker answers its first request with
    everything in memory. Off with SEARCH_WARM_UP=false; any failure is logged and the worker
    starts anyway (search then loads on first use, as before)."""
    if not app.config.get("SEARCH_WARM_UP", True):
        return
    started = time.monotonic()
    try:
        with app.app_context():
            holder = get_holder()
            encoder = holder.encoder
            if encoder is not None:
                encoder.encode_queries(["预热"])
            engine = holder.ensure_fresh()
            engine.lexical.transform(["预热"])
    except Exception:  # noqa: BLE001  (a worker must boot even without a usable index)
        log.exception("search warm-up failed; the index will load on first use")
        return
    log.info("search warm-up done in %.1f s", time.monotonic() - started)
