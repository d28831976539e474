"""Unbound Flask extensions; bound to an app in `create_app`."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

from . import ratelimit  # registers the matchmaker+sqlite storage scheme with `limits`

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in and out, on every backend (SQLite keeps them as naive UTC).

    A naive datetime is refused: it would silently mean different moments on different
    servers. Use `matchmaker.clock.now()` and convert form input from Asia/Shanghai first.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime},
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()


class SharedLimiter(Limiter):
    """Flask-Limiter whose counts every worker shares: RATELIMIT_STORAGE_URI if set, else
    Redis at REDIS_URL, else a SQLite file in the instance folder (`matchmaker.ratelimit`);
    never the per-process memory storage unless a config asks for `memory://` (tests)."""

    def init_app(self, app: Flask) -> None:
        if not app.config.get("RATELIMIT_STORAGE_URI"):
            shared = app.config.get("REDIS_URL") or ratelimit.storage_uri(app.instance_path)
            app.config["RATELIMIT_STORAGE_URI"] = shared
        super().init_app(app)


limiter = SharedLimiter(key_func=get_remote_address, default_limits=[])
