"""The one source of "now" for domain code, so that tests can freeze time.

Domain code calls `clock.now()` (an aware UTC datetime) instead of `datetime.now()`.
Tests use `clock.frozen(dt)` or `clock.set(dt)`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
_frozen: datetime | None = None


def now() -> datetime:
    return _frozen if _frozen is not None else datetime.now(UTC)


def local_now() -> datetime:
    return now().astimezone(LOCAL_TZ)


def set(moment: datetime | None) -> None:  # noqa: A001 - mirrors freezegun's vocabulary
    global _frozen
    if moment is not None and moment.tzinfo is None:
        raise ValueError("clock.set needs an aware datetime")
    _frozen = moment


@contextlib.contextmanager
def frozen(moment: datetime) -> Iterator[None]:
    previous = _frozen
    set(moment)
    try:
        yield
    finally:
        set(previous)


def local_minute(moment: datetime | None) -> str:
    """A stored time as people here read it: Beijing time to the minute ("2026-05-03 14:05").
    A naive value is UTC (how SQLite hands back what was stored)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def days_until(moment: datetime, reference: datetime | None = None) -> int:
    """Whole calendar days from today to `moment`'s day, both in Beijing time (0 = today or
    past); a naive `moment` is UTC (as SQLite hands it back)."""
    reference = reference or now()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    today = reference.astimezone(LOCAL_TZ).date()
    return max(0, (moment.astimezone(LOCAL_TZ).date() - today).days)


def local_midnight(day: date) -> datetime:
    """The start of a Beijing-time calendar day, as an aware UTC datetime (for "since / until"
    filters whose days people pick in their own time)."""
    return datetime.combine(day, time(), LOCAL_TZ).astimezone(UTC)
