"""How an audit entry reads to a person: who (name and organisation), what (a sentence), and a
before → after table in the page's language. Each domain keeps its own label registry (field
names, status and action labels) and hands it in; this module only knows plain values.

    rows = changes(before, after, label_of=FIELDS.get, value_of=value_text)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import clock

SYSTEM = _l("系统")
EMPTY = "—"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    """One audit entry as a person reads it."""

    id: int
    at: str  # local time, to the minute
    actor: str
    action: str
    sentence: str
    changes: list[Change] = field(default_factory=list)
    note: str = ""


def person(user) -> str:
    """ "王主任（萧山区经信局）": a user's name and organisation; the system when None."""
    if user is None:
        return str(SYSTEM)
    organisation = getattr(user, "organisation", None)
    if organisation is None:
        return user.name
    return _("%(name)s（%(organisation)s）", name=user.name, organisation=organisation.name)


def value_text(value: Any) -> str:
    """A stored value as plain text: 是/否, lists joined with 、, numbers without ".0"."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.datetime):
        return clock.local_minute(value)
    if isinstance(value, list | tuple):
        return _("、").join(value_text(v) for v in value)
    if isinstance(value, dict):
        return _("；").join(f"{k} {value_text(v)}" for k, v in value.items())
    return str(value)


def changes(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    label_of: Callable[[str], Any],
    value_of: Callable[[str, Any], str],
) -> list[Change]:
    """One row per key of either side (the before side's order first), each labelled by the
    domain's registry; a field that an edit left as it was is not listed (a key it does not name shows as stored: the plain-language test of the
    pages catches that; hiding it would hide part of the record)."""
    before, after = before or {}, after or {}
    rows = []
    for key in dict.fromkeys([*before, *after]):
        if key in before and key in after and before[key] == after[key]:
            continue  # an edit lists what it changed
        label = label_of(key) or key
        old = value_of(key, before[key]) if key in before else EMPTY
        new = value_of(key, after[key]) if key in after else EMPTY
        if old == new == EMPTY:
            continue  # an empty note on both sides says nothing
        rows.append(Change(str(label), old, new))
    return rows
