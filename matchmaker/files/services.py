"""Accept an upload only if its extension, its sniffed content and its size agree with the policy.

Files are written under `<instance>/uploads/` by a random storage key (never the user's file
name); the original name is kept, sanitised, for downloads.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from ..errors import ValidationFailed
from ..extensions import db
from .models import Attachment

# extension → (content type, magic prefixes accepted)
KINDS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_OWNER = 10


@dataclass(frozen=True)
class UploadPolicy:
    extensions: tuple[str, ...] = ("pdf", "png", "jpg", "jpeg", "xlsx")
    max_bytes: int = DEFAULT_MAX_BYTES


def upload_dir() -> str:
    path = os.path.join(current_app.instance_path, "uploads")
    os.makedirs(path, exist_ok=True)
    return path


def check_upload(storage: FileStorage, policy: UploadPolicy) -> tuple[str, bytes]:
    """Return (extension, content) or raise ValidationFailed with a message for the user."""
    name = storage.filename or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = ", ".join(policy.extensions).upper()
    if ext not in policy.extensions or ext not in KINDS:
        raise ValidationFailed(
            _("不支持的文件类型：%(name)s。允许的类型：%(allowed)s。", name=name, allowed=allowed)
        )
    content = storage.stream.read(policy.max_bytes + 1)
    if len(content) > policy.max_bytes:
        raise ValidationFailed(
            _(
                "文件 %(name)s 超过 %(mb)s MB 的上限。",
                name=name,
                mb=policy.max_bytes // (1024 * 1024),
            )
        )
    if not content:
        raise ValidationFailed(_("文件 %(name)s 是空的。", name=name))
    if not any(content.startswith(magic) for magic in KINDS[ext][1]):
        raise ValidationFailed(_("文件 %(name)s 的内容与扩展名不符。", name=name))
    return ext, content


def save_upload(
    storage: FileStorage,
    owner_type: str,
    owner_id: int,
    uploaded_by_id: int | None,
    policy: UploadPolicy = UploadPolicy(),
) -> Attachment:
    """Validate and store one file; the Attachment row joins the caller's transaction."""
    ext, content = check_upload(storage, policy)
    key = f"{secrets.token_hex(16)}.{ext}"
    with open(os.path.join(upload_dir(), key), "wb") as fh:
        fh.write(content)
    filename = clean_filename(storage.filename or "") or f"file.{ext}"
    attachment = Attachment(
        owner_type=owner_type,
        owner_id=owner_id,
        filename=filename[:200],
        content_type=KINDS[ext][0],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        storage_key=key,
        uploaded_by_id=uploaded_by_id,
    )
    db.session.add(attachment)
    return attachment


def clean_filename(name: str) -> str:
    """The base name without path parts or control characters; Chinese names are kept."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return base.strip(" .")[:200]


def attachment_path(attachment: Attachment) -> str:
    return os.path.join(upload_dir(), attachment.storage_key)
