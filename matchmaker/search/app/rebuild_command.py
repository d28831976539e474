"""`flask search rebuild`: sync from the registered sources, re-encode what changed, rebuild.

Documents come from the app's document sources (`search.init_app`; stored documents a source no
longer lists are removed). Vectors are re-encoded only where the text or the model changed,
and only the rows whose payload, presence or vector changed are written, stamped with one new
version. A rebuild that finds nothing changed writes no row and leaves the version where it
was (no worker reloads anything); it saves the snapshot again only when the saved one is
missing, of another model or older than the database.
"""

from __future__ import annotations

import time

import click
from tqdm import tqdm

from ...extensions import db
from ..core.snapshot import read_sidecar
from ..store import store
from .service import get_holder, get_sources


@click.command("rebuild")
def rebuild_command():
    """Re-encode changed documents and rebuild the index from the stored vectors."""
    started = time.perf_counter()
    holder = get_holder()
    encoder = holder.encoder
    if encoder is None:
        click.echo("encoder unavailable: the index is rebuilt for lexical ranking only", err=True)
    before = store.current_version()
    db.session.rollback()
    with tqdm(desc="encoding", unit="doc", total=0) as bar:
        written, removed, encoded = _sync_sources(encoder, bar)
        encoded += _encode_missing(encoder, bar)
    version = store.current_version()
    db.session.rollback()
    if version == before and _snapshot_current(holder, version):
        engine = holder.ensure_fresh()
        action = "unchanged"
    else:
        engine = holder.rebuild()
        action = "rebuilt"
    counts = {kind: len(col) for kind, col in engine.collections.items()}
    dense = engine.collections["offering"].dense
    kind = "none" if dense is None else ("HNSW" if dense.is_hnsw else "flat")
    click.echo(
        f"{action} search index v{holder.version}: {counts.get('need', 0)} needs, "
        f"{counts.get('offering', 0)} offerings, {encoded} encoded, {written} written, "
        f"{removed} removed, model {holder.fingerprint}, dense index {kind}, "
        f"{time.perf_counter() - started:.1f} s"
    )


def _snapshot_current(holder, version: int) -> bool:
    meta = read_sidecar(holder.index_dir)
    return bool(meta) and meta.get("model") == holder.fingerprint and meta["version"] == version


def _progress(bar: tqdm):
    state = {"base": bar.n}

    def update(n: int, total: int) -> None:
        bar.total = state["base"] + total
        bar.update(n)

    return update


def _sync_sources(encoder, bar: tqdm) -> tuple[int, int, int]:
    """Per kind, in one transaction: the changed documents written, the gone ones removed."""
    written = removed = encoded = 0
    sources = get_sources()
    for kind in sources.kinds():
        docs = sources.load_documents(kind)
        try:
            store.lock_state()
            version, rows = None, 0
            if docs:
                taken, rows, texts = store.write_documents(
                    docs, encoder, progress=_progress(bar), commit=False
                )
                written, encoded = written + rows, encoded + texts
                version = taken if rows else None
            gone = store.active_ids(kind) - {d.id for d in docs}
            if gone:
                store.mark_removed(kind, sorted(gone), commit=False, version=version)
                removed += len(gone)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
    return written, removed, encoded


def _encode_missing(encoder, bar: tqdm) -> int:
    """Vectors of the current model for active rows that have none (e.g. after a model change);
    their rows are stamped with a new version so every worker applies the vectors."""
    if encoder is None:
        return 0
    docs = [r.document for r in store.rows_since(-1) if r.active]
    try:
        keys = store.encode_vectors(docs, encoder, progress=_progress(bar))
        if keys:
            store.touch(sorted(keys), commit=False)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return len(keys)
