"""Request and response models of the API (pydantic). flask-openapi3 validates requests with
them and builds the OpenAPI 3.1 document from them; responses are built through them too, so
what is sent is what the document says."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ..numbers import KPI_VALUE, MONEY, MONEY_INT, bounded_int, finite_float
from ..solvers.vocab import DEPLOYMENT_MODES, TECH_TAGS

# No NUL characters: PostgreSQL refuses them in text.
NO_NUL = r"^[^\x00]*$"


def text(max_length: int, min_length: int = 0):
    return Annotated[
        str, StringConstraints(max_length=max_length, min_length=min_length, pattern=NO_NUL)
    ]


Code = text(40)
TechTag = Literal[tuple(TECH_TAGS)]  # type: ignore[valid-type]
DeploymentMode = Literal[tuple(DEPLOYMENT_MODES)]  # type: ignore[valid-type]
Number = finite_float(KPI_VALUE)  # a KPI value: NaN, ±Infinity and 1e309 are refused
Money = bounded_int(MONEY_INT)  # 万元
Price = finite_float(MONEY)  # 万元
RowId = Annotated[int, Field(ge=1, le=2**31 - 1)]  # a row's id (INTEGER columns)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- errors -------------------------------------------------------------------------------


class ErrorDetail(BaseModel):
    code: str = Field(description="machine-readable, e.g. not_found, validation_failed")
    message: str = Field(description="human-readable, in the request's language")
    fields: dict[str, list[str]] = Field(description="per-field messages (validation errors)")


class ErrorBody(BaseModel):
    error: ErrorDetail


# ---- paging -------------------------------------------------------------------------------


class PageQuery(BaseModel):
    page: int = Field(1, ge=1, le=100_000, description="1-based page number")
    per_page: int = Field(20, ge=1, le=100, description="items per page (at most 100)")


class Links(BaseModel):
    self: str
    first: str
    last: str
    next: str | None
    prev: str | None


class PageMeta(BaseModel):
    page: int
    per_page: int
    total: int
    pages: int
    links: Links


# ---- taxonomy -----------------------------------------------------------------------------


class IndustryOut(BaseModel):
    id: int
    code: str
    name_zh: str
    name_en: str


class CategoryOut(IndustryOut):
    description_zh: str
    description_en: str


class TemplateOut(BaseModel):
    id: int
    code: str
    industry_id: int
    category_id: int
    stage: str
    title_zh: str
    title_en: str
    pain_point_zh: str
    data_zh: str
    example_zh: str
    kpis: list[dict[str, Any]]


class IndustryList(BaseModel):
    items: list[IndustryOut]


class CategoryList(BaseModel):
    items: list[CategoryOut]


class TemplateList(BaseModel):
    items: list[TemplateOut]


class TemplateQuery(BaseModel):
    industry: int | None = Field(None, ge=1, le=2**31 - 1, description="industry id")
    category: int | None = Field(None, ge=1, le=2**31 - 1, description="category id")


# ---- needs --------------------------------------------------------------------------------

Voucher = Literal["scenario", "compute", "data", "model", "enablement"]


class NeedListQuery(PageQuery):
    industry: int | None = Field(None, ge=1, le=2**31 - 1, description="industry id")
    category: int | None = Field(None, ge=1, le=2**31 - 1, description="category id")
    town: text(100) | None = None
    budget_min: Money | None = None
    budget_max: Money | None = None
    voucher: Voucher | None = None
    within: int | None = Field(None, ge=1, le=120, description="delivery within N months")
    q: text(100) | None = Field(None, description="keyword in titles (and public text)")
    sort: Literal["newest", "budget_high", "budget_low"] = "newest"


class Kpi(Strict):
    indicator: text(100, 1)
    baseline: Number | None = None
    target: Number
    unit: text(30) = ""
    direction: Literal["up", "down"]


class NeedIn(Strict):
    title: text(200)
    industry_id: int = Field(ge=1, le=2**31 - 1)
    category_id: int = Field(ge=1, le=2**31 - 1)
    template_id: int | None = Field(None, ge=1, le=2**31 - 1, description="null = 其他")
    other_description: text(2000) = ""
    goal: text(5000) = ""
    pain_point: text(5000) = ""
    current_process: text(5000) = ""
    data_sources: list[text(30)] = Field(default_factory=list, max_length=20)
    data_volume: text(200) = ""
    data_labelled: Literal["yes", "partly", "no"] = "no"
    data_description: text(5000) = ""
    budget_min: Money | None = None
    budget_max: Money | None = None
    vouchers: list[Voucher] = Field(default_factory=list, max_length=5)
    delivery_months: int | None = Field(None, ge=1, le=120)
    delivery_date: date | None = None
    town: text(100) = ""
    constraints: list[text(30)] = Field(default_factory=list, max_length=10)
    constraints_note: text(2000) = ""
    confidentiality: Literal["public", "summary_only", "invited_only"] = "public"
    kpis: list[Kpi] = Field(default_factory=list, max_length=20)
    submit: bool = Field(False, description="submit for review at once")


class NeedPath(BaseModel):
    need_id: int = Field(ge=1, le=2**31 - 1)


class Named(BaseModel):
    id: int
    code: str
    name_zh: str


class NeedDetails(BaseModel):
    other_description: str
    goal: str
    pain_point: str
    current_process: str
    data_sources: list[str]
    data_volume: str
    data_labelled: str
    data_description: str
    constraints: list[str]
    constraints_note: str
    kpis: list[Kpi]


class NeedOut(BaseModel):
    id: int
    title: str
    status: str
    confidentiality: str
    owner: str = Field(description="the factory, or 某<行业>企业 before the NDA")
    industry: Named
    category: Named
    template_code: str | None
    town: str
    budget_min: int | None
    budget_max: int | None
    vouchers: list[str]
    delivery_months: int | None
    delivery_date: date | None
    version: int
    created_at: datetime
    published_at: datetime | None
    details: NeedDetails | None = Field(
        description="null when the caller may see the summary only (anonymous, no NDA)"
    )


class NeedPage(PageMeta):
    items: list[NeedOut]


# ---- offerings ----------------------------------------------------------------------------


class OfferingListQuery(PageQuery):
    industry: Code | None = Field(None, description="industry code")
    category: Code | None = Field(None, description="category code")
    tech: TechTag | None = Field(None, description="technology tag")
    deployment: DeploymentMode | None = Field(None, description="deployment mode")


class OfferingKpi(Strict):
    indicator: text(100, 1)
    before: Number | None = None
    after: Number | None = None
    unit: text(30) = ""
    direction: Literal["up", "down"]


class OfferingIn(Strict):
    title: text(200)
    summary: text(500) = ""
    description: text(10000) = ""
    tech_tags: list[TechTag] = Field(default_factory=list, max_length=20)
    deployment_modes: list[DeploymentMode] = Field(default_factory=list, max_length=10)
    category_ids: list[RowId] = Field(default_factory=list, max_length=10)
    template_ids: list[RowId] = Field(default_factory=list, max_length=50)
    industry_ids: list[RowId] = Field(default_factory=list, max_length=20)
    kpis: list[OfferingKpi] = Field(default_factory=list, max_length=20)
    kpi_note: text(2000) = ""
    price_min: Price | None = None
    price_max: Price | None = None
    delivery_weeks: int | None = Field(None, ge=1, le=520)
    references_text: text(5000) = ""


class OfferingPath(BaseModel):
    offering_id: int = Field(ge=1, le=2**31 - 1)


class OfferingOut(BaseModel):
    id: int
    title: str
    summary: str
    description: str
    status: str
    vendor: str
    vendor_id: int
    industries: list[str]
    categories: list[str]
    templates: list[str]
    tech_tags: list[str]
    deployment_modes: list[str]
    kpis: list[dict[str, Any]]
    price_min: float | None
    price_max: float | None
    delivery_weeks: int | None
    published_at: datetime | None


class OfferingPage(PageMeta):
    items: list[OfferingOut]


# ---- matching -----------------------------------------------------------------------------


class MatchOut(BaseModel):
    kind: Literal["need", "offering"]
    id: int
    title: str
    score: float = Field(
        ge=0,
        le=1,
        description=(
            "calibrated probability (0..1) that the result is relevant to the query "
            "(logistic regression over raw and normalised component scores, fitted on "
            "judged sets); results below 0.10 are not returned, so a query that matches "
            "nothing returns an empty list"
        ),
    )
    band: Literal["high", "medium", "low"] | None = Field(
        default=None,
        description="high (高度匹配, score ≥ 0.50), medium (较匹配, ≥ 0.25), low (可能相关, ≥ 0.10)",
    )
    reasons: dict[str, Any] | None = Field(
        description="shared taxonomy, closest sentence pair, KPIs reached"
    )


class MatchList(BaseModel):
    items: list[MatchOut]
    notices: list[str] = Field(description="e.g. encoder_unavailable (keyword matching only)")


class SearchQuery(BaseModel):
    q: text(200, 1) = Field(description="free text over published needs and offerings")


# ---- rounds -------------------------------------------------------------------------------


class RoundPath(BaseModel):
    round_id: int = Field(ge=1, le=2**31 - 1)


class ListingPath(BaseModel):
    listing_id: int = Field(ge=1, le=2**31 - 1)


class ApplicationPath(BaseModel):
    application_id: int = Field(ge=1, le=2**31 - 1)


class ListingKpiOut(BaseModel):
    indicator: str
    baseline: float | None
    target: float
    unit: str
    direction: str


class ListingOut(BaseModel):
    id: int
    round_id: int
    title: str
    description: str
    stage: str
    reward: float | None
    budget: float | None
    consortium_allowed: bool
    owners: list[str]
    kpis: list[ListingKpiOut] | None = Field(
        description="null when the caller may not see the details of every need the listing "
        "carries (anonymous, or a summary_only need without the organisation's NDA)"
    )


class QuestionOut(BaseModel):
    id: int
    question: str
    asked_at: datetime
    answer: str | None = Field(description="null while the question waits for its answer")
    answered_at: datetime | None
    private: bool = Field(description="true: answered to the asker's organisation only")


class QuestionList(BaseModel):
    items: list[QuestionOut] = Field(
        description="答疑 of the listing the caller may read, oldest first: public answers for "
        "everyone, plus its own organisation's questions; organisers read them all. The asker "
        "is never named."
    )


class RoundOut(BaseModel):
    id: int
    name: str
    rules: str
    opens_at: datetime
    closes_at: datetime
    is_open: bool
    quota: int
    max_leads: int
    listings: list[ListingOut]


class RoundList(BaseModel):
    items: list[RoundOut]


class ApplicationOut(BaseModel):
    id: int
    listing_id: int
    organisation: str
    offering_id: int
    status: str
    approach: str
    price: float | None
    submitted_at: datetime | None
    rank: int | None


class ApplicationList(BaseModel):
    items: list[ApplicationOut]


class VoucherQuery(BaseModel):
    year: int | None = Field(default=None, ge=2000, le=2100, description="calendar year")


class VoucherPaymentOut(BaseModel):
    amount: float = Field(description="万元")
    paid_on: date
    reference: str
    reversed: bool = Field(
        default=False, description="冲销: a reversed payment is listed but counts in no total"
    )
    reversed_at: datetime | None = None
    reversed_by: str | None = Field(default=None, description="who reversed it (name)")
    reversal_reason: str = ""


class VoucherLineOut(BaseModel):
    award_id: int
    listing_id: int
    listing_title: str
    vendor: str
    amount: float = Field(description="万元")
    status: str = Field(description="committed | payable | cancelled")
    paid: float
    payments: list[VoucherPaymentOut]


class VoucherSummaryOut(BaseModel):
    enterprise: str
    year: int
    cap: float
    committed: float
    payable: float
    paid: float
    remaining: float
    lines: list[VoucherLineOut]


class VoucherLedger(BaseModel):
    """场景券台账: per enterprise and year (a factory's members: their own; organisers: all)."""

    items: list[VoucherSummaryOut]
