"""Plain records exchanged with the feature packages: documents in, matches out.

Features build `Document`s from their own models and hand them to the search service; the
search core never sees an ORM object. Ids are strings inside search (features pass
`str(pk)`), so needs and offerings from any source fit the same index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KINDS = ("need", "offering")
_SENTENCE_END = re.compile(r"(?<=[。！？；;!?\n])")


@dataclass(frozen=True)
class Kpi:
    """A measurable indicator: a need's target or an offering's achieved value."""

    metric: str
    value: float | None = None
    unit: str = ""
    better: str | None = None  # "lower" | "higher" | None (unknown)


@dataclass(frozen=True)
class Document:
    kind: str
    id: str
    title: str
    text: str
    industry: str | None = None
    category: str | None = None
    template: str | None = None
    status: str | None = None
    town: str | None = None
    budget: float | None = None
    deployment: frozenset[str] = frozenset()
    kpis: tuple[Kpi, ...] = ()
    # Parts of `text` that are not the author's own wording (taxonomy names, tag lists, KPI
    # lines): indexed like the rest, never offered as "the closest wording" of a match.
    labels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown document kind {self.kind!r}")
        object.__setattr__(self, "id", str(self.id))
        object.__setattr__(self, "deployment", frozenset(self.deployment))
        object.__setattr__(self, "labels", tuple(str(x) for x in self.labels if x))

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.id)

    @property
    def full_text(self) -> str:
        """What gets encoded and indexed: the title, then the body."""
        return f"{self.title}。{self.text}" if self.title else self.text


@dataclass(frozen=True)
class Filters:
    """Hard filters, applied inside the search (never by dropping results after top-k).

    A document without a value for industry, town, budget or deployment passes that filter
    (an offering with no industry serves every industry); status is strict.
    """

    statuses: frozenset[str] | None = None
    industries: frozenset[str] | None = None
    towns: frozenset[str] | None = None
    max_budget: float | None = None
    min_budget: float | None = None
    deployment: frozenset[str] | None = None

    def accepts(self, doc: Document) -> bool:
        if self.statuses is not None and doc.status not in self.statuses:
            return False
        if self.industries is not None and doc.industry and doc.industry not in self.industries:
            return False
        if self.towns is not None and doc.town and doc.town not in self.towns:
            return False
        if doc.budget is not None:
            if self.max_budget is not None and doc.budget > self.max_budget:
                return False
            if self.min_budget is not None and doc.budget < self.min_budget:
                return False
        return not (self.deployment and doc.deployment and not (self.deployment & doc.deployment))


@dataclass(frozen=True)
class Template:
    """A demand-scenario template, handed in by the caller (the taxonomy owns them)."""

    code: str
    industry: str
    category: str
    title: str
    pain_point: str = ""
    example: str = ""

    @property
    def full_text(self) -> str:
        return "。".join(p for p in (self.title, self.pain_point, self.example) if p)

    @classmethod
    def from_mapping(cls, data: dict) -> Template:
        return cls(
            code=str(data["code"]),
            industry=str(data["industry"]),
            category=str(data["category"]),
            title=str(data.get("title", "")),
            pain_point=str(data.get("pain_point", "")),
            example=str(data.get("example", data.get("example_wording", ""))),
        )


@dataclass(frozen=True)
class SharedTaxonomy:
    level: str  # "template" | "category" | "industry"
    code: str
    inferred: bool  # True when a side had no code and the classifier supplied it


@dataclass(frozen=True)
class SentencePair:
    query_sentence: str
    match_sentence: str
    similarity: float
    terms: tuple[str, ...] = ()  # words both sentences contain (for highlighting)


@dataclass(frozen=True)
class KpiReason:
    metric: str
    target: Kpi
    achieved: Kpi
    meets_target: bool | None  # None when direction or values are unknown
    # The offering's own sentence about the indicator when it reports no value for it.
    statement: str = ""


@dataclass(frozen=True)
class Reasons:
    shared: tuple[SharedTaxonomy, ...] = ()
    sentence_pair: SentencePair | None = None
    kpis: tuple[KpiReason, ...] = ()


# Bands of the calibrated probability (thresholds in `confidence.BANDS`); pages translate.
BAND_LABELS = {"high": "高度匹配", "medium": "较匹配", "low": "可能相关"}


@dataclass
class Match:
    """One result. `score` is the calibrated probability (0..1) that the pair is relevant
    when a calibration is available, else the fused rank score; `band` is "high" |
    "medium" | "low" (None: uncalibrated). `document` is the matched document as indexed
    (its stored fields), from the same index state as the ranking."""

    kind: str
    id: str
    score: float
    components: dict[str, float]
    reasons: Reasons | None = None
    probability: float | None = None
    band: str | None = None
    fused: float | None = None
    document: Document | None = field(default=None, repr=False, compare=False)

    @property
    def band_label(self) -> str:
        return BAND_LABELS.get(self.band or "", "")

    @property
    def percent(self) -> int | None:
        return None if self.probability is None else int(round(self.probability * 100))


@dataclass
class SearchResult:
    matches: list[Match]
    dense_available: bool = True
    notices: list[str] = field(default_factory=list)  # e.g. "encoder_unavailable", "index_stale"


def split_sentences(text: str) -> list[str]:
    """Sentences and clauses of a Chinese text, stripped, without empty pieces."""
    parts = (p.strip(" 　\t\r\n。！？；;!?") for p in _SENTENCE_END.split(text))
    return [p for p in parts if len(p) >= 2]
