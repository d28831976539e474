"""Configuration from the environment.

Every setting has a safe default so that a fresh machine runs with SQLite under the
instance folder; production overrides through environment variables.

SECRET_KEY signs sessions, remember-me cookies and CSRF tokens:
- set in the environment (production: a long random value, the same on every host), it is used;
- not set (the embedded `make run`, a `flask` command), `resolve_secret_key` generates a random
  key into `<instance>/secret_key` (mode 0600) on the first start and reads it back on every
  later one, so sessions survive restarts and every gunicorn worker signs with the same key;
  the instance folder then holds a secret: keep it out of backups you share, delete the file
  to log everybody out;
- the old built-in placeholder (`dev-only-change-me`) or another well-known value is refused at
  start with a clear error, unless the app is in testing or debug mode.

Login and registration throttling (Flask-Limiter) counts in a storage that every worker
shares: Redis when REDIS_URL is set (or any limits storage in RATELIMIT_STORAGE_URI), else a
SQLite file in the instance folder (`matchmaker.ratelimit`), shared by the workers of one host.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULT_SECRET_KEY = "dev-only-change-me"
# Placeholders that must never sign a production session.
WELL_KNOWN_SECRET_KEYS = frozenset(
    {DEFAULT_SECRET_KEY, "dev", "change-me", "changeme", "secret", "secret-key", "test-secret"}
)
SECRET_KEY_FILE = "secret_key"


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    # None: generated into the instance folder on first start (module docstring).
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
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
    # Job queue (matchmaker/jobs): Redis at REDIS_URL, else SQLite at JOBS_SQLITE_PATH
    # (default <instance>/jobs.sqlite3); JOBS_IMMEDIATE runs tasks at once, in memory (tests).
    JOBS_SQLITE_PATH = os.environ.get("JOBS_SQLITE_PATH")
    JOBS_IMMEDIATE = _env_bool("JOBS_IMMEDIATE", False)
    # `flask db backup` and the daily backup task (matchmaker/backups.py).
    BACKUP_DIR = os.environ.get("BACKUP_DIR")  # default: <instance>/backups
    BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", 14))
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "matchmaker@localhost")
    # The site's address for links in mails sent by the worker (no request to take it from),
    # e.g. https://matchmaker.example.gov.cn; empty: site-relative links.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "")
    # The mail outbox (notifications/outbox.py): seconds per SMTP operation, mails per claim,
    # seconds before a dead worker's claim is taken back, the retry backoff (doubling from
    # MAIL_RETRY_SECONDS up to MAIL_RETRY_MAX_SECONDS) and the attempts before `failed`.
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", 10))
    MAIL_BATCH = int(os.environ.get("MAIL_BATCH", 20))
    MAIL_CLAIM_SECONDS = int(os.environ.get("MAIL_CLAIM_SECONDS", 300))
    MAIL_RETRY_SECONDS = int(os.environ.get("MAIL_RETRY_SECONDS", 60))
    MAIL_RETRY_MAX_SECONDS = int(os.environ.get("MAIL_RETRY_MAX_SECONDS", 3600))
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", 12))
    # Search settings (read by the search package through plain values, never `current_app`).
    SEARCH_MODEL = os.environ.get("SEARCH_MODEL", "multilingual-e5-small")
    SEARCH_MODEL_DIR = os.environ.get("SEARCH_MODEL_DIR")
    SEARCH_QUANTIZE = os.environ.get("SEARCH_QUANTIZE", "auto")
    # PyTorch threads per process; unset or 0: cores ÷ server workers, at least 1
    # (search.encoders.base.default_threads, computed when the model loads in the worker).
    SEARCH_THREADS = int(os.environ.get("SEARCH_THREADS") or 0) or None
    # Load the model and the index when a gunicorn worker boots (gunicorn.conf.py), never
    # on a user's first request.
    SEARCH_WARM_UP = _env_bool("SEARCH_WARM_UP", True)
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
    # Queued tasks run right after the commit, in memory (jobs.deferred / jobs.drain to look).
    JOBS_IMMEDIATE = True


def sqlite_default_uri(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "matchmaker.sqlite3")


class InsecureSecretKey(RuntimeError):
    """The app was started for real with a placeholder SECRET_KEY."""


def resolve_secret_key(app) -> None:
    """Fill in or check `app.config["SECRET_KEY"]` (see the module docstring)."""
    key = app.config.get("SECRET_KEY")
    if not key:
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    elif key in WELL_KNOWN_SECRET_KEYS and not (app.testing or app.debug):
        raise InsecureSecretKey(
            f"SECRET_KEY is the well-known placeholder {key!r}: anyone could forge sessions. "
            "Set SECRET_KEY to a long random value (python -c 'import secrets; "
            "print(secrets.token_hex(32))'), or unset it to use a key generated into "
            f"{Path(app.instance_path) / SECRET_KEY_FILE}."
        )


def instance_secret_key(instance_path: str) -> str:
    """The key in `<instance>/secret_key`, created (random, mode 0600) when missing. Several
    processes starting at once agree: the file is written aside and linked into place, and
    whoever links first wins."""
    path = Path(instance_path) / SECRET_KEY_FILE
    if not path.exists():
        _create_key_file(path)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise InsecureSecretKey(f"{path} holds no usable key; delete it to generate a new one.")
    return key


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.link(temp, path)
    except FileExistsError:
        pass  # another process was first: use its key
    finally:
        temp.unlink(missing_ok=True)
