"""Password hashing: werkzeug scrypt; a cheap PBKDF2 only when PASSWORD_HASH_FAST is set (tests)."""

from __future__ import annotations

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
MAX_LENGTH = 128
_FAST_METHOD = "pbkdf2:sha256:1000"
_STRONG_METHOD = "scrypt"
# Compared against when the e-mail is unknown, so that both paths cost about the same.
_DUMMY_HASHES: dict[str, str] = {}


def _method() -> str:
    fast = has_app_context() and current_app.config.get("PASSWORD_HASH_FAST", False)
    return _FAST_METHOD if fast else _STRONG_METHOD


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_method())


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        method = _method()
        if method not in _DUMMY_HASHES:
            _DUMMY_HASHES[method] = generate_password_hash("dummy-password", method=method)
        check_password_hash(_DUMMY_HASHES[method], password)
        return False
    return check_password_hash(password_hash, password)
