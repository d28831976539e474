"""Serving stored attachments: the one way every page hands a file back.

An attachment belongs to one object (`owner_type`, `owner_id`); a download route first finds
the owner the viewer may see (its own rule), then asks here for the attachment *of that owner*,
so an id guessed from another object is a 404, never a leak.
"""

from __future__ import annotations

from flask import abort, send_file

from ..extensions import db
from .models import Attachment
from .services import attachment_path


def owned_or_404(owner_type: str, owner_id: int, attachment_id: int) -> Attachment:
    """Attachment `attachment_id` if it belongs to that owner, else 404."""
    item = db.session.get(Attachment, attachment_id)
    if item is None or item.owner_type != owner_type or item.owner_id != owner_id:
        abort(404)
    return item


def send_attachment(item: Attachment):
    """The file as a download under its uploaded name (never rendered inline)."""
    return send_file(
        attachment_path(item),
        mimetype=item.content_type,
        as_attachment=True,
        download_name=item.filename,
    )
