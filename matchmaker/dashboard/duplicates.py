"""Near-duplicate need clusters (from the matching engine) and merging them into one need.

A merge keeps the primary need the organiser picked; every other need of the cluster is closed
with `merged_into` pointing at the primary, so its factory becomes a co-demander (联合需求方)
of the primary. All of it (status changes, review trail, audit entry, notifications) is one
transaction; the merged needs leave the search index after the commit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..competitions import audit
from ..errors import InvalidTransition, ValidationFailed
from ..extensions import db
from ..needs import states as need_states
from ..needs.audience import need_link, owner_members
from ..needs.models import Need
from ..needs.services import close_as_merged
from ..notifications.services import notify
from ..paging import Page
from ..search.app import service

PER_PAGE = 20


@dataclass(frozen=True)
class Member:
    need: Need
    similarity: float  # the highest similarity to another need of the cluster


@dataclass(frozen=True)
class Cluster:
    members: list[Member]

    @property
    def ids(self) -> list[int]:
        return [m.need.id for m in self.members]


def clusters() -> list[Cluster]:
    """Clusters of published, unmerged needs, largest first; members by similarity."""
    return _members(service.scored_duplicate_clusters())


def clusters_page(page: int, per_page: int = PER_PAGE) -> Page:
    """One page of clusters (largest first); only this page's needs are loaded. The clusters
    come from the engine's candidate pairs, computed once per index version."""
    found = service.scored_duplicate_clusters()
    pages = max(1, math.ceil(len(found) / per_page))
    page = min(max(page, 1), pages)
    chunk = found[(page - 1) * per_page : page * per_page]
    return Page(_members(chunk), page, pages, len(found), per_page)


def _members(found: Sequence[tuple[list[str], dict[str, float]]]) -> list[Cluster]:
    wanted = {int(i) for ids, _ in found for i in ids}
    needs = {}
    if wanted:
        query = select(Need).where(Need.id.in_(wanted))
        needs = {n.id: n for n in db.session.scalars(query)}
    out = []
    for ids, best in found:
        members = [
            Member(needs[int(i)], best[i])
            for i in ids
            if int(i) in needs and needs[int(i)].status == need_states.PUBLISHED
        ]
        if len(members) > 1:
            out.append(Cluster(sorted(members, key=lambda m: (-m.similarity, m.need.id))))
    return out


def _cluster_of(need_id: int) -> set[int]:
    for ids in service.duplicate_clusters():
        if str(need_id) in ids:
            return {int(i) for i in ids}
    return set()


def _load(primary_id: int, member_ids: Sequence[int]) -> tuple[Need, list[Need]]:
    """The primary and the other members, after the checks that need no state."""
    members = set(member_ids)
    if primary_id not in members:
        raise ValidationFailed(_("主需求必须是该组中的一条需求。"))
    members.discard(primary_id)
    if not members:
        raise ValidationFailed(_("不能把需求合并到它自己。"))
    locked = select(Need).where(Need.id.in_(members | {primary_id})).order_by(Need.id)
    found = {n.id: n for n in db.session.scalars(locked.with_for_update(of=Need))}
    primary = found.pop(primary_id, None)
    others = list(found.values())
    if primary is None or len(others) != len(members):
        raise ValidationFailed(_("所选需求不存在，请刷新页面后重试。"))
    return primary, others


def _check(primary: Need, others: list[Need]) -> None:
    if primary.merged_into_id is not None or any(n.merged_into_id for n in others):
        raise InvalidTransition(_("所选需求中已有需求被合并过，请刷新页面后重试。"))
    if primary.status != need_states.PUBLISHED or any(
        n.status != need_states.PUBLISHED for n in others
    ):
        raise InvalidTransition(_("只能合并已发布的需求。"))
    if not {primary.id, *(n.id for n in others)} <= _cluster_of(primary.id):
        raise ValidationFailed(_("所选需求不在同一个重复需求组中，请刷新页面后重试。"))


def merge_needs(actor, primary_id: int, member_ids: Sequence[int]) -> list[Need]:
    """Merge the cluster `member_ids` into its member `primary_id`; returns the needs merged
    now (none when the same merge was already done: repeating it changes nothing)."""
    primary, others = _load(primary_id, member_ids)
    if all(n.merged_into_id == primary.id for n in others):
        return []
    _check(primary, others)
    for need in others:
        close_as_merged(actor, need, primary)
        notify(
            owner_members(need),
            "need_merged",
            _l("您的需求“%(title)s”已与相同需求合并", title=need.title),
            _l("主办方将其合并至“%(title)s”，贵单位成为该需求的联合需求方。", title=primary.title),
            need_link(primary),
        )
    notify(
        owner_members(primary),
        "need_merged",
        _l("相同需求已合并到您的需求“%(title)s”", title=primary.title),
        "",
        need_link(primary),
    )
    audit.record(actor, "need.merge", primary, after={"merged": [n.id for n in others]})
    db.session.commit()  # closing queued the merged needs' removal from the index
    return others
