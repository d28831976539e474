"""When things happened in the demo district, counted back from today (`clock.now()`), so that
the demo reads the same on any day it is loaded:

- about 13 months ago the organiser, the experts and the member organisations registered;
- over the past 12 months vendors published their offerings (most in the first months) and
  factories their needs (more each month, as a programme gathers pace); each need was
  approved a day after it was submitted, and every need a round lists is older than the round;
- the review queue (submitted, returned, draft) holds needs of the last two weeks;
- the rounds (see rounds.py): one 10 months ago whose listings are accepted and in delivery,
  one that closed two weeks ago (awarded, in publicity, under review), one accepting
  applications now and one announced for next month.

Moments are Beijing office hours: a day counts back from today's date in Asia/Shanghai.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from .. import clock

ACCOUNTS_DAYS_AGO = 400  # the first registration; the others follow over the next days
NEEDS_SPAN = (360, 8)  # published needs: from 360 to 8 days ago …
NEEDS_POWER = 0.7  # … more of them lately
OFFERINGS_SPAN = (370, 20)  # offerings: from 370 to 20 days ago …
OFFERINGS_POWER = 1.3  # … most of them early


def days_ago(days: float, hour: int = 10, minute: int = 0) -> datetime:
    """`days` days before today, at hour:minute Beijing time (an aware UTC datetime);
    a negative `days` is in the future."""
    today = clock.local_now().date()
    day = today - timedelta(days=round(days))
    return datetime.combine(day, time(hour, minute), tzinfo=clock.LOCAL_TZ).astimezone(UTC)


def spread(k: int, count: int, span: tuple[int, int], power: float) -> datetime:
    """The moment of the k-th (0-based) of `count` records spread over `span` (days ago, from
    the first to the last record); power < 1 puts more of them near the end, > 1 near the start.
    Office hours vary with k, so that two records rarely share a minute."""
    first, last = span
    share = (k / (count - 1)) ** power if count > 1 else 0.0
    return days_ago(first - (first - last) * share, hour=9 + k % 8, minute=(k * 17) % 60)
