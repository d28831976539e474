"""Configuration from the environment.

Every setting has a safe default so that a fresh machine runs with SQLite under the
instance folder; production overrides through environment variables.
"""

from __future__ import annotations

import os
from pathlib import Path


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-change-me")
    # None means: SQLite file in the instance folder (resolved in create_app).
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_Hans_CN", "en")
    WTF_CSRF_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Behind HTTPS set SESSION_COOKIE_SECURE=true: cookies go over HTTPS only, and HSTS is sent.
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted
    # (werkzeug ProxyFix); 0 = none, the app is reached directly.
    TRUST_PROXY = int(os.environ.get("TRUST_PROXY", 0))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 20 * 1024 * 1024))
    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    # /api/v1 budget per token (per client address without one), Flask-Limiter syntax.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/minute")
    API_ADDRESS_LIMIT = os.environ.get("API_ADDRESS_LIMIT", "600/minute")  # whatever the tokens
    # Seconds a worker keeps an anonymous page (hall, need page) while its content is
    # unchanged (matchmaker/pagecache.py); 0 = off.
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 30))
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "matchmaker@localhost")
    # Search settings (read by the search package through plain values, never `current_app`).
    SEARCH_MODEL = os.environ.get("SEARCH_MODEL", "multilingual-e5-small")
    SEARCH_MODEL_DIR = os.environ.get("SEARCH_MODEL_DIR")
    SEARCH_QUANTIZE = os.environ.get("SEARCH_QUANTIZE", "auto")
    SEARCH_THREADS = int(os.environ.get("SEARCH_THREADS", os.cpu_count() or 1))
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR")  # default: <instance>/search-index
    # Exact IndexFlatIP below this many vectors, HNSW at or above (on the next rebuild).
    SEARCH_HNSW_THRESHOLD = int(os.environ.get("SEARCH_HNSW_THRESHOLD", 50_000))
    # Changes a worker applies from the database before it re-saves the snapshot; more
    # pending changes than this are not applied inside a request (the index is then stale).
    # BLAS threads for query-time products (see search.runtime.limit_blas_threads).
    SEARCH_BLAS_THREADS = int(os.environ.get("SEARCH_BLAS_THREADS", 1))
    SEARCH_SNAPSHOT_LAG = int(os.environ.get("SEARCH_SNAPSHOT_LAG", 1000))
    # Console gap analysis: an offering can serve a need from this dense (cosine) similarity
    # on; the lexical cosine threshold applies when the encoder is unavailable (README).
    CONSOLE_GAP_MIN_SIMILARITY = float(os.environ.get("CONSOLE_GAP_MIN_SIMILARITY", 0.92))
    CONSOLE_GAP_MIN_LEXICAL = float(os.environ.get("CONSOLE_GAP_MIN_LEXICAL", 0.2))


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    # Off: tests rebuild their databases under a frozen clock, where two worlds can share a
    # content stamp; tests/main/test_pagecache.py turns it on.
    PAGE_CACHE_SECONDS = 0
    # Fast password hashing in tests only.
    PASSWORD_HASH_FAST = True


def sqlite_default_uri(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "matchmaker.sqlite3")
