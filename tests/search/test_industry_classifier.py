"""The survey import's classifier: a text among one industry's templates, with "none of these"."""

from matchmaker.search.core.classify import IndustryClassifier

from .conftest import TEMPLATES


def test_only_the_industrys_templates_are_suggested_best_first():
    classifier = IndustryClassifier(TEMPLATES)
    found = classifier.suggest("离心泵振动故障，希望预测性维护", "化工")
    assert [s.code for s in found] == ["T2", "T4"]
    assert found[0].confidence > found[1].confidence
    assert sum(s.confidence for s in found) < 1  # "none of these" keeps a share


def test_a_lone_template_does_not_get_everything_and_blank_texts_get_nothing():
    classifier = IndustryClassifier(TEMPLATES)
    assert classifier.suggest("   ", "化工") == []
    assert classifier.suggest("离心泵振动", "没有的行业") == []
    (only,) = classifier.suggest("门店断货", "食品")
    assert only.code == "T3" and only.confidence < 1
