"""Imports every feature's models so that Alembic and `db.metadata` see the whole schema."""

# Feature packages add their models module here as they land.
from .scenarios import models as scenarios_models  # noqa: F401
from .accounts.models import Organisation, User  # noqa: F401
