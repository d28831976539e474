"""Which scenario template of the row's industry a survey's free-text 场景 most likely means.

The choice is restricted to the templates of the row's industry: a text that fits no
template of its industry must not land on another industry's template (issue 15, item 14:
"注塑机液压系统故障预警" of 汽车零部件 went to a 医药 freeze-dryer template). The search
package's industry classifier (`search.app.service.industry_classifier`: character 1–2-gram
TF-IDF cosine, softmax over templates) is fitted once per preview on all active templates
(the idf of the whole taxonomy) and scores the text against the industry's templates only.

`LOW_CONFIDENCE`: a best confidence below it means "needs a person" (需人工确认): the row is
not imported until the organiser picks one of the industry's templates. Chosen with
`scripts/import_confidence.py` (shipped taxonomy, 104 templates in 15 industries; the
softmax includes a "none of these" option, `search.core.classify.NONE_SIMILARITY`):
- a template's title put under each other industry (a scenario that industry does not
  have, 1,456 texts): best confidence 0.13 at the median, 0.41 at the 95th percentile,
  97 % below 0.5;
- the dev set's 41 free-text need titles under their own industry: 18 fall below 0.5 and
  the first template is wrong for 12 of them (read by hand); of the 23 at or above 0.5,
  1 is wrong (非标结构件焊接编程耗时 → 结构件焊缝三维视觉检测, 0.93);
- the issue's "注塑机液压系统故障预警" (汽车零部件) gets 0.37 → 需人工确认;
  "坯布疵点的视觉检测" (纺织化纤) gets 0.99 → imported.
0.6 would flag 2 more right titles and catch no more wrong ones; 0.4 would let 2 wrong
ones through (0.41, 0.47).
"""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..scenarios.models import ScenarioTemplate
from ..search.app import service
from ..search.core.classify import IndustryClassifier
from ..search.core.documents import Template

TOP = 3
LOW_CONFIDENCE = 0.5


def active_templates(industry_id: int | None = None) -> list[ScenarioTemplate]:
    query = select(ScenarioTemplate).where(ScenarioTemplate.status == "active")
    if industry_id is not None:
        query = query.where(ScenarioTemplate.industry_id == industry_id)
    return list(db.session.scalars(query.order_by(ScenarioTemplate.code)))


def search_template(t: ScenarioTemplate) -> Template:
    """A template as the search core's plain record."""
    return Template(
        code=t.code,
        industry=t.industry.code,
        category=t.category.code,
        title=t.title_zh,
        pain_point=t.pain_point_zh,
        example=t.example_zh,
    )


def is_low(confidence: float | None) -> bool:
    """None is an exact title/code match (or an organiser's choice): never low."""
    return confidence is not None and confidence < LOW_CONFIDENCE


class Suggester:
    """Classifies texts within one industry; build one per preview (loads and fits once,
    on the first use)."""

    def __init__(self) -> None:
        self._templates: list[ScenarioTemplate] | None = None
        self._classifier: IndustryClassifier | None = None

    def templates_of(self, industry_id: int) -> list[ScenarioTemplate]:
        if self._templates is None:
            self._templates = active_templates()
        return [t for t in self._templates if t.industry_id == industry_id]

    def suggest(self, text: str, industry_id: int) -> list[tuple[ScenarioTemplate, float]]:
        """The industry's closest templates with their confidence, best first."""
        own = self.templates_of(industry_id)
        if not own or not text.strip():
            return []
        if self._classifier is None:
            self._classifier = service.industry_classifier(
                [search_template(t) for t in self._templates]
            )
        by_code = {t.code: t for t in own}
        found = self._classifier.suggest(text, own[0].industry.code, TOP)
        return [(by_code[s.code], s.confidence) for s in found]


def suggest(text: str, industry_id: int) -> list[tuple[ScenarioTemplate, float]]:
    """One text (a fresh `Suggester`; use one `Suggester` for many rows)."""
    return Suggester().suggest(text, industry_id)
