"""Administrative database helpers for scratch and test databases (never used by requests)."""

from __future__ import annotations

from sqlalchemy import Engine, MetaData, text


def drop_everything(engine: Engine) -> None:
    """Remove every table (and, on PostgreSQL, every type) so migrations start from nothing."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        return
    meta = MetaData()
    meta.reflect(bind=engine)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("PRAGMA foreign_keys=OFF"))
        meta.drop_all(bind=conn)
