"""What users say about recommendations (不相关 / 已联系), stored to learn from use.

The database edge of the feedback loop: record or undo a verdict (twice = once), the pairs a
user hid, the judgments of a need for its organisers, and the export in the judged-set
format that `flask search eval` reads (`evalset.py`), built from the documents exactly as
the index stores them. Permission checks are the caller's (`main.judgments`).

Grades in the export: 已联系 → 2 (the user acted on it), 不相关 → 0; when users disagree
about a pair the highest grade wins. Needs whose judgments are all 不相关 are exported but
do not count in the metrics (`evaluation.mean_metrics` skips needs without a relevant pair).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ..core.payload import from_payload
from .models import MatchJudgment, SearchDocument

SIDES = ("need", "offering")
VERDICTS = ("irrelevant", "contacted")
GRADES = {"contacted": 2, "irrelevant": 0}
# Enough to refit (README, matching / learning from use): weights once this many needs have a
# 已联系 pair (halves of 125: nDCG@10 noise about ±0.03); calibration once there are this
# many 已联系 and this many 不相关 pairs (≥ 50 per band for its reliability figures).
REFIT_WEIGHTS_NEEDS = 250
REFIT_CALIBRATION_PAIRS = 200


def record(user_id: int, need_id: int, offering_id: int, side: str, verdict: str | None) -> bool:
    """Set (or with `verdict` None, remove) the user's verdict on a pair; True if it changed."""
    if side not in SIDES or (verdict is not None and verdict not in VERDICTS):
        raise ValueError("unknown side or verdict")
    key = {"user_id": user_id, "need_id": need_id, "offering_id": offering_id, "side": side}
    row = db.session.scalar(select(MatchJudgment).filter_by(**key))
    if verdict is None:
        if row is None:
            return False
        db.session.execute(delete(MatchJudgment).filter_by(**key))
        db.session.commit()
        return True
    if row is not None and row.verdict == verdict:
        return False
    now = datetime.now(UTC)
    if row is None:
        db.session.add(MatchJudgment(**key, verdict=verdict, created_at=now, updated_at=now))
    else:
        row.verdict, row.updated_at = verdict, now
    try:
        db.session.commit()
    except IntegrityError:  # the same click arrived twice at once: the other one stored it
        db.session.rollback()
        return False
    return True


def verdicts(user_id: int, side: str, need_id: int | None = None) -> dict[tuple[int, int], str]:
    """The user's verdicts on one side, by (need id, offering id); one need's when given."""
    query = select(MatchJudgment).filter_by(user_id=user_id, side=side)
    if need_id is not None:
        query = query.filter_by(need_id=need_id)
    return {(j.need_id, j.offering_id): j.verdict for j in db.session.scalars(query)}


def for_need(need_id: int) -> list[MatchJudgment]:
    query = select(MatchJudgment).filter_by(need_id=need_id)
    return list(db.session.scalars(query.order_by(MatchJudgment.updated_at.desc())))


@dataclass
class Export:
    data: dict
    judgments: int
    contacted: int
    irrelevant: int
    needs_with_contact: int

    @property
    def enough_for_weights(self) -> bool:
        return self.needs_with_contact >= REFIT_WEIGHTS_NEEDS

    @property
    def enough_for_calibration(self) -> bool:
        return min(self.contacted, self.irrelevant) >= REFIT_CALIBRATION_PAIRS


def export() -> Export:
    """Every judgment as a judged set: the judged needs, every offering the index holds
    (active ones: the candidates the live platform ranks) plus the judged ones, and qrels."""
    rows = list(db.session.scalars(select(MatchJudgment).order_by(MatchJudgment.id)))
    qrels: dict[str, dict[str, int]] = {}
    for row in rows:
        grades = qrels.setdefault(str(row.need_id), {})
        offering = str(row.offering_id)
        grades[offering] = max(grades.get(offering, 0), GRADES[row.verdict])
    judged_offerings = {o for grades in qrels.values() for o in grades}
    needs = _documents("need", set(qrels), active_only=False)
    offerings = _documents("offering", judged_offerings, active_only=True)
    known = {n["id"] for n in needs}
    qrels = {need: grades for need, grades in qrels.items() if need in known}
    pairs = [g for grades in qrels.values() for g in grades.values()]
    return Export(
        data={"needs": needs, "offerings": offerings, "qrels": qrels},
        judgments=len(rows),
        contacted=sum(1 for g in pairs if g > 0),
        irrelevant=sum(1 for g in pairs if g == 0),
        needs_with_contact=sum(1 for grades in qrels.values() if any(grades.values())),
    )


def _documents(kind: str, ids: set[str], active_only: bool) -> list[dict]:
    query = select(SearchDocument).where(SearchDocument.kind == kind)
    out = []
    for row in db.session.scalars(query.order_by(SearchDocument.id)):
        if row.ref_id in ids or (active_only and row.active):
            doc = from_payload(row.payload)
            item = {"id": doc.id, "title": doc.title, "description": doc.text}
            if kind == "need":
                item["industry"] = doc.industry or ""
            out.append(item)
    return out
