"""Jinja filters shared by every package's templates."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
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


def highlight(text: str | None, terms: Iterable[str] | None) -> Markup:
    """Plain text with each of `terms` wrapped in <mark>: the text is escaped piece by piece,
    so nothing in it (or in a term) can become markup; longer terms win over shorter ones."""
    text = text or ""
    wanted = sorted({t for t in terms or () if t and t.strip()}, key=len, reverse=True)
    if not wanted:
        return Markup(escape(text))
    pattern = re.compile("|".join(re.escape(t) for t in wanted), re.IGNORECASE)
    out, last = [], 0
    for found in pattern.finditer(text):
        out.append(escape(text[last : found.start()]))
        out.append(Markup("<mark>%s</mark>") % found.group(0))
        last = found.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def init_app(app: Flask) -> None:
    app.add_template_filter(highlight, "highlight")
    app.add_template_global(colon, "colon")
    app.add_template_filter(nl2br, "nl2br")
    app.add_template_filter(readable_json, "readable_json")
    # "王主任（萧山区经信局）": who did something, in audit trails and version lists.
    app.add_template_global(person, "person_label")
