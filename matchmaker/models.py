"""Imports every feature's models so that Alembic and `db.metadata` see the whole schema."""

# Feature packages add their models module here as they land.
from .search import models as search_models  # noqa: F401
