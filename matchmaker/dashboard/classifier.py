"""Which scenario template a survey's free-text 场景 most likely means.

The search engine's classifier (`search.service.classify`) answers from the templates of its
index (the needs package registers them as the engine's template source). Until the index
holds templates (a fresh install, or tests), the same classifier of the search core is fitted on the active templates in lexical
mode: a few milliseconds for the 104 shipped templates.
"""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..scenarios.models import ScenarioTemplate
from ..search import service
from ..search.classify import Suggestion, TemplateClassifier
from ..search.documents import Template
from ..search.lexical import LexicalModel

TOP = 3


def active_templates() -> list[ScenarioTemplate]:
    query = select(ScenarioTemplate).where(ScenarioTemplate.status == "active")
    return list(db.session.scalars(query.order_by(ScenarioTemplate.code)))


def search_templates() -> list[Template]:
    """The active templates as the search core's plain records."""
    return [
        Template(
            code=t.code,
            industry=t.industry.code,
            category=t.category.code,
            title=t.title_zh,
            pain_point=t.pain_point_zh,
            example=t.example_zh,
        )
        for t in active_templates()
    ]


def _lexical_suggestions(text: str) -> tuple[Suggestion, ...]:
    templates = search_templates()
    if not templates:
        return ()
    lexical = LexicalModel.fit([t.full_text for t in templates])
    classifier = TemplateClassifier(templates, lexical)
    return classifier.classify(lexical.transform([text]), None, top=TOP).templates


def suggest(text: str) -> list[tuple[ScenarioTemplate, float]]:
    """Active templates with the classifier's confidence, best first."""
    suggestions = service.classify(text).templates or _lexical_suggestions(text)
    by_code = {t.code: t for t in active_templates()}
    return [(by_code[s.code], s.confidence) for s in suggestions if s.code in by_code]
