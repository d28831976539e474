"""Matching engine: documents, encoders, FAISS and lexical indexes, fusion, reasons.

Three layers, each importing only the ones below it: `core` (pure: no Flask, no database, no
feature package), `store` (the database side and the per-process index holder) and `app` (the
Flask edge: `app.service`, the API the feature packages call, `app.sync` and the commands).
`init_app(app, sources=[…], templates=…)` (called by `create_app`) hands the search package
the feature packages' document sources; `sync(kind, ids)` (in `search.app.sync`) is the one
way a change of what is published reaches the index.
"""


def init_app(app, sources=(), templates=None) -> None:
    """Wire the app's document sources and template loader into search (see `service.init_app`)."""
    from .app.service import init_app as _init_app  # the Flask edge, imported only when wiring

    _init_app(app, sources, templates)
