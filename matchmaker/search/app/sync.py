"""The one way a change of what is published reaches the index: `sync(kind, ids)`.

Every service that changes what a need or an offering publishes calls `sync` inside its
transaction: `needs.services.apply_transition` (approval, return, withdrawal, closing, the
close that an award or a merge makes) and the edit of a published need; the offering review
transition (approval, retirement). Nothing is encoded in the request: after the commit one
job goes to the queue (a rolled-back transaction queues nothing), and the worker's
`apply(kind, ids)` reads the committed state of those ids from the kind's document source,
stores and encodes the ones that belong in the index and removes the others. Each web
worker's index picks the change up on its next search (one `SELECT version`).

Because the job reads the state when it runs, jobs are idempotent and their order does not
matter: a retried or late job writes what is committed then, never an old state. Index
writers take turns on the index state row, so two jobs for one need cannot cross.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from flask_babel import lazy_gettext as _l

from ... import jobs
from ...extensions import db
from ..core.runtime import encoder_or_none
from ..store import store
from .service import get_sources

INDEX_RETRIES = 5  # a failed indexing job (encoder or database down) is tried again …
INDEX_RETRY_DELAY = 10  # … every 10 s; after that `flask search rebuild` catches up


def sync(kind: str, ids: Iterable) -> None:
    """Bring the index in step with these documents once the current transaction commits."""
    wanted = sorted({str(i) for i in ids})
    if wanted:
        _enqueue(kind, wanted)


def apply(kind: str, ids: Iterable) -> int:
    """Index the committed state of `ids` (the indexing job's body); the new index version."""
    wanted = sorted({str(i) for i in ids})
    encoder = encoder_or_none(current_app.config)  # loaded before the lock is taken
    try:
        store.lock_state()  # writers take turns and read fresh rows; the version moves only
        # when a row below changes
        docs = list(get_sources().source(kind).load(wanted))
        version = store.save_documents(docs, encoder, commit=False) if docs else 0
        gone = sorted(set(wanted) - {d.id for d in docs})
        if gone:
            version = store.mark_removed(kind, gone, commit=False)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return version or store.current_version()


# The names the queue knew these tasks by before the search package was split into core/store/app:
# index jobs waiting in a queue at the upgrade still run, and their failures can still be retried.
@jobs.task(
    retries=INDEX_RETRIES,
    retry_delay=INDEX_RETRY_DELAY,
    name="matchmaker.search.sync.index_documents_job",
    label=_l("更新搜索索引"),
)
def index_documents_job(kind: str, ids: list[str]) -> int:
    """The queued half of `sync`: `apply` in the worker (retried when it fails)."""
    return apply(kind, ids)


@jobs.periodic(
    jobs.crontab(minute="*/10"),
    at_start=True,
    name="matchmaker.search.sync.reconcile_index",
    label=_l("核对搜索索引（每 10 分钟）"),
)
def reconcile_index() -> int:
    """The safety net for a lost job (a worker killed while indexing, a queue that was down
    at the commit): every 10 minutes and when a worker starts, queue `apply` for the ids
    whose presence in the index differs from their source's (an edit lost that way waits
    for `flask search rebuild`). How many ids were out of step."""
    sources, wrong = get_sources(), 0
    for kind in sources.kinds():
        wanted = {d.id for d in sources.load_documents(kind)}
        stored = store.active_ids(kind)
        db.session.rollback()  # end the read transaction before writing
        differ = sorted(wanted ^ stored)
        if differ:
            apply(kind, differ)
            wrong += len(differ)
    return wrong


def _enqueue(kind: str, ids: list[str]) -> None:
    jobs.enqueue_after_commit(index_documents_job, kind, ids)
