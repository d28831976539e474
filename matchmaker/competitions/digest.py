"""The vendor digest: newly published needs that match a vendor's offerings, by e-mail.

Who: active members of approved vendors that have a published offering, whose
`digest_frequency` (我的账户 → 需求推荐邮件) is "daily" (the default) or "weekly"; "off" gets
nothing. When: `send_vendor_digests` runs every day at 08:00 Beijing time (00:00 UTC); a
daily member is due at each run, a weekly member once seven days have passed since the last
one (`digest_checked_at`; the first run makes a member due at once).

What: the needs published since the member's last check (the first time: the last day or
week) and still published, except invited-only ones, that one of the organisation's
published offerings matches with a score of at least `GOOD_MATCH_SCORE`, best first, each
with its link. Needs published in the last `INDEX_GRACE` are left for the next digest (the
indexing job may not have run yet). Nothing new → no mail (the check time still moves on).

Never the same need twice to the same member: each mailed need is a `DigestEntry` row
(unique per member and need) written in the same transaction as the outbox mail; a
concurrent run that wrote the same pair first makes this one roll back without mailing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import clock, jobs
from ..accounts.models import Organisation, User
from ..extensions import db
from ..needs import states as need_states
from ..needs.audience import need_link
from ..needs.models import Need
from ..notifications.outbox import queue_mail
from ..solvers.models import Offering
from ..solvers.queries import vendor_published_offerings
from ..solvers.search_documents import needs_for_offering
from .models import DigestEntry

log = logging.getLogger(__name__)

# The lower edge of the "较匹配" band on the fused match score (0–1, the score the pages show
# as 匹配度): a need reaches the digest when one of the vendor's offerings scores at least
# this. The only place the digest's threshold lives.
GOOD_MATCH_SCORE = 0.6
PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
SLACK = timedelta(hours=1)  # a run a little early still counts as the next day's / week's
INDEX_GRACE = timedelta(minutes=10)
PER_OFFERING = 100  # matches read per offering
MAX_ITEMS = 20  # needs in one mail (the rest come next time)


@dataclass(frozen=True)
class DigestItem:
    need_id: int
    title: str
    link: str  # site-relative
    score: float
    offering_title: str


@jobs.periodic(jobs.crontab(minute="0", hour="0"), label=_l("揭榜方推荐榜单邮件（每天 08:00）"))
def send_vendor_digests() -> int:
    """The daily run (08:00 Beijing time): every due member's digest; how many were mailed."""
    return run_digests()


def run_digests(now: datetime | None = None) -> int:
    now = now or clock.now()
    until = now - INDEX_GRACE
    sent = 0
    per_org: dict[int, list[tuple[float, Need, Offering]]] = {}
    for user in _due_members(now):
        since = user.digest_checked_at or (until - PERIODS[user.digest_frequency])
        matches = per_org.get(user.organisation_id)
        if matches is None:
            matches = per_org[user.organisation_id] = _matches(user.organisation)
        items = _new_items(user, matches, since, until)
        sent += _send(user, items, until)
    return sent


def _due_members(now: datetime) -> list[User]:
    query = (
        select(User)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(
            User.role == "vendor_member",
            User.active.is_(True),
            User.digest_frequency.in_(tuple(PERIODS)),
            Organisation.kind == "vendor",
            Organisation.status == "approved",
        )
        .order_by(User.id)
    )
    return [u for u in db.session.scalars(query) if _is_due(u, now)]


def _is_due(user: User, now: datetime) -> bool:
    last = user.digest_checked_at
    return last is None or now - last >= PERIODS[user.digest_frequency] - SLACK


def _matches(org: Organisation) -> list[tuple[float, Need, Offering]]:
    """(score, need, offering) for every good match of the organisation's offerings."""
    found: dict[int, tuple[float, int, Offering]] = {}
    for offering in vendor_published_offerings(org):
        for item in needs_for_offering(offering, k=PER_OFFERING).items:
            score = item.match.score
            need_id = int(item.match.id)
            if score >= GOOD_MATCH_SCORE and score > found.get(need_id, (-1.0,))[0]:
                found[need_id] = (score, need_id, offering)
    if not found:
        return []
    needs = db.session.scalars(
        select(Need).where(
            Need.id.in_(list(found)),
            Need.status == need_states.PUBLISHED,
            Need.confidentiality != "invited_only",
        )
    )
    return [(found[n.id][0], n, found[n.id][2]) for n in needs]


def _new_items(user: User, matches, since: datetime, until: datetime) -> list[DigestItem]:
    if not matches:
        return []
    mailed = set(
        db.session.scalars(select(DigestEntry.need_id).where(DigestEntry.user_id == user.id))
    )
    fresh = [
        (score, need, offering)
        for score, need, offering in matches
        if need.id not in mailed and need.published_at and since < need.published_at <= until
    ]
    fresh.sort(key=lambda m: (-m[0], m[1].id))
    return [DigestItem(n.id, n.title, need_link(n), s, o.title) for s, n, o in fresh[:MAX_ITEMS]]


def _send(user: User, items: list[DigestItem], checked_at: datetime) -> int:
    """One transaction per member: the entries, the mail and the new check time together."""
    user.digest_checked_at = checked_at
    if items:
        for item in items:
            db.session.add(DigestEntry(user_id=user.id, need_id=item.need_id))
        queue_mail(user.email, _subject(items), _body(user, items))
    try:
        db.session.commit()
    except IntegrityError:  # another run mailed one of these needs to this member meanwhile
        db.session.rollback()
        log.info("digest for user %s skipped: already sent by a concurrent run", user.id)
        return 0
    return 1 if items else 0


def _subject(items: list[DigestItem]) -> str:
    return _("%(n)d 项新发布的需求与您的方案较为匹配", n=len(items))


def _body(user: User, items: list[DigestItem]) -> str:
    base = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    lines = [_("%(name)s，您好：", name=user.name), ""]
    lines.append(_("以下需求是最近新发布的，与贵单位已发布的方案较为匹配："))
    lines.append("")
    for n, item in enumerate(items, start=1):
        lines.append(
            _(
                "%(n)d. %(title)s（匹配度 %(score)d，匹配方案：%(offering)s）",
                n=n,
                title=item.title,
                score=round(item.score * 100),
                offering=item.offering_title,
            )
        )
        lines.append(f"   {base}{item.link}")
    lines.append("")
    lines.append(
        _(
            "在“我的账户”中可以改为每周接收或不再接收：%(link)s",
            link=f"{base}/account#digest",
        )
    )
    return "\n".join(lines)
