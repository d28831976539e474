from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..nav import add_nav_link
from . import services

bp = Blueprint("notifications", __name__, url_prefix="/inbox")

add_nav_link(
    "notifications.inbox",
    _l("消息"),
    visible=lambda user: user.is_authenticated,
    order=850,
    section="account",
    icon="bell",
)


@bp.get("/")
@login_required
def inbox():
    return render_template(
        "notifications/inbox.html", items=services.inbox(current_user.id), form=FlaskForm()
    )


@bp.post("/read")
@bp.post("/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int | None = None):
    if FlaskForm().validate_on_submit():
        services.mark_read(current_user.id, notification_id)
    return redirect(url_for("notifications.inbox"))


def unread_badge() -> dict:
    """Context processor: the unread count for the header."""
    if current_user and current_user.is_authenticated:
        return {"unread_notifications": services.unread_count(current_user.id)}
    return {"unread_notifications": 0}
