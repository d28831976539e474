"""Jinja filters shared by every package's templates."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from markupsafe import Markup, escape

from .changes import person


def nl2br(text: str | None) -> Markup:
    """Plain text to HTML: escaped first, then line breaks become <br>."""
    return Markup("<br>\n").join(escape(text or "").split("\n"))


def readable_json(value: Any) -> str:
    """JSON for people to read in audit pages: Chinese kept as is (autoescaped by Jinja)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def colon() -> str:
    """The colon after a label: "：" in Chinese, ": " in English (never a full-width one)."""
    return _("：")


def init_app(app: Flask) -> None:
    app.add_template_global(colon, "colon")
    app.add_template_filter(nl2br, "nl2br")
    app.add_template_filter(readable_json, "readable_json")
    # "王主任（萧山区经信局）": who did something, in audit trails and version lists.
    app.add_template_global(person, "person_label")
