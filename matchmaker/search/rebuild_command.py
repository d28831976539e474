"""`flask search rebuild`: sync from the registered sources, re-encode what changed, rebuild.

Documents come from the app's document sources (`search.init_app`; stored documents a source no
longer lists are removed). Vectors are re-encoded only where the text or the model changed;
then the index is rebuilt from the stored vectors and saved, and the version moves so every
worker loads the new snapshot.
"""

from __future__ import annotations

import time

import click
from tqdm import tqdm

from ..extensions import db
from . import store
from .service import get_holder, get_sources


@click.command("rebuild")
def rebuild_command():
    """Re-encode changed documents and rebuild the index from the stored vectors."""
    started = time.perf_counter()
    holder = get_holder()
    encoder = holder.encoder
    if encoder is None:
        click.echo("encoder unavailable: the index is rebuilt for lexical ranking only", err=True)
    with tqdm(desc="encoding", unit="doc", total=0) as bar:
        encoded = _sync_sources(encoder, bar) + _encode_missing(encoder, bar)
    store.bump_version()
    db.session.commit()
    engine = holder.rebuild()
    counts = {kind: len(col) for kind, col in engine.collections.items()}
    dense = engine.collections["offering"].dense
    kind = "none" if dense is None else ("HNSW" if dense.is_hnsw else "flat")
    click.echo(
        f"rebuilt search index v{holder.version}: {counts.get('need', 0)} needs, "
        f"{counts.get('offering', 0)} offerings, {encoded} encoded, model {holder.fingerprint}, "
        f"dense index {kind}, {time.perf_counter() - started:.1f} s"
    )


def _progress(bar: tqdm):
    state = {"base": bar.n}

    def update(n: int, total: int) -> None:
        bar.total = state["base"] + total
        bar.update(n)

    return update


def _sync_sources(encoder, bar: tqdm) -> int:
    encoded = 0
    sources = get_sources()
    for kind in sources.kinds():
        docs = sources.load_documents(kind)
        before = bar.n
        if docs:
            store.save_documents(docs, encoder, progress=_progress(bar))
        encoded += bar.n - before
        gone = store.active_ids(kind) - {d.id for d in docs}
        if gone:
            store.mark_removed(kind, sorted(gone))
    return encoded


def _encode_missing(encoder, bar: tqdm) -> int:
    if encoder is None:
        return 0
    docs = [r.document for r in store.rows_since(-1) if r.active]
    count = store.store_vectors(docs, encoder, progress=_progress(bar))
    db.session.commit()
    return count
