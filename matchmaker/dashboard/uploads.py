"""Keep an uploaded survey file between its preview and its commit.

The file is stored under `<instance>/uploads/imports/<token>.xlsx`; the token is remembered
in the organiser's session, so only the one who uploaded it can preview or commit it, and
the rows are always read again from the stored file (never from what the browser sends).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets

from flask import session
from werkzeug.datastructures import FileStorage

from ..errors import ValidationFailed
from ..files.services import UploadPolicy, check_upload, upload_dir
from .importer import sheet_problem

POLICY = UploadPolicy(extensions=("xlsx",), max_bytes=5 * 1024 * 1024)
SESSION_KEY = "survey_imports"
KEEP = 5  # tokens remembered per session
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _path(token: str) -> str:
    folder = os.path.join(upload_dir(), "imports")
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, f"{token}.xlsx")


def store(storage: FileStorage) -> str:
    """Check (xlsx only, size limit, content sniffed, a readable workbook whose declared
    first sheet is within the survey's bounds) and keep the file; return its token."""
    _ext, content = check_upload(storage, POLICY)
    problem = sheet_problem(content)
    if problem:
        raise ValidationFailed(problem)
    token = secrets.token_hex(16)
    with open(_path(token), "wb") as handle:
        handle.write(content)
    tokens = [token, *session.get(SESSION_KEY, [])]
    for old in tokens[KEEP:]:
        discard(old)
    session[SESSION_KEY] = tokens[:KEEP]
    return token


def load(token: str) -> bytes | None:
    """The stored file of this session's token, else None."""
    if not _TOKEN.match(token) or token not in session.get(SESSION_KEY, []):
        return None
    try:
        with open(_path(token), "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def discard(token: str) -> None:
    if _TOKEN.match(token):
        with contextlib.suppress(FileNotFoundError):
            os.remove(_path(token))
    session[SESSION_KEY] = [t for t in session.get(SESSION_KEY, []) if t != token]
