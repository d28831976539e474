"""The taxonomy (public): 15 industries, ten scenario categories, the active templates;
and free-text search over published needs and offerings."""

from __future__ import annotations

from ..main.search_page import run_search
from ..scenarios.models import Industry, ScenarioCategory
from ..scenarios.services import active_entries as _active
from ..scenarios.services import active_templates
from . import serialise
from .blueprint import TAGS, api, respond
from .schemas import (
    CategoryList,
    IndustryList,
    MatchList,
    SearchQuery,
    TemplateList,
    TemplateQuery,
)

TAG = [TAGS["taxonomy"]]


@api.get("/industries", tags=TAG, responses={200: IndustryList})
def industries():
    return respond(IndustryList(items=[serialise.industry(i) for i in _active(Industry)]))


@api.get("/categories", tags=TAG, responses={200: CategoryList})
def categories():
    items = [serialise.category(c) for c in _active(ScenarioCategory)]
    return respond(CategoryList(items=items))


@api.get("/templates", tags=TAG, responses={200: TemplateList})
def templates(query: TemplateQuery):
    """Active demand-scenario templates, optionally of one industry and/or category."""
    found = active_templates(category_id=query.category, industry_id=query.industry)
    return respond(TemplateList(items=[serialise.template(t) for t in found]))


@api.get("/search", tags=[TAGS["matching"]], responses={200: MatchList})
def search(query: SearchQuery):
    """Free text over published needs and offerings, best first (at most 20)."""
    page = run_search(query.q)
    items = [serialise.match(hit.document, hit.match) for hit in page.hits]
    return respond(MatchList(items=items, notices=page.notices))
