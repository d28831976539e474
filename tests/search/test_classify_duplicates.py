from matchmaker.search.core.duplicates import duplicate_clusters, near_duplicates
from matchmaker.search.core.engine import SearchEngine
from matchmaker.search.core.matching import classify_text

from .conftest import NEEDS, TEMPLATES, need
from .tiny_encoder import TinyEncoder


def test_classifier_suggests_industry_category_and_three_templates():
    engine = SearchEngine.build(NEEDS, None, TEMPLATES, None)
    result = classify_text(engine, None, "机泵经常故障停车，想做振动监测和故障预测")
    assert result.industry.code == "化工"
    assert result.category.code == "maintenance"
    assert [t.code for t in result.templates][0] == "T2"
    assert len(result.templates) == 3
    confidences = [t.confidence for t in result.templates]
    assert confidences == sorted(confidences, reverse=True) and 0 < confidences[0] <= 1
    assert result.industry.confidence >= confidences[0]


def test_classifier_with_dense_encoder():
    engine = SearchEngine.build(NEEDS, None, TEMPLATES, TinyEncoder())
    result = classify_text(engine, TinyEncoder(), "面包门店销量预测，减少断货和过期")
    assert result.category.code == "forecast" and result.templates[0].code == "T3"


def _engine_with_duplicates():
    docs = NEEDS + [
        need(4, "验布靠人工", "印染布面疵点漏检多，希望自动检测布面疵点并评分。"),
        need(5, "机泵非计划停车", "离心泵和压缩机故障导致停车，希望振动监测来预测故障。"),
        need(6, "验布依靠人工", "印染布面疵点漏检很多。希望自动检测布面疵点并且评分。"),
    ]
    enc = TinyEncoder()
    vecs = enc.encode_documents([d.full_text for d in docs])
    return SearchEngine.build(docs, {d.key: v for d, v in zip(docs, vecs, strict=True)}, [], enc)


def test_near_duplicates_of_a_text():
    engine = _engine_with_duplicates()
    text = "验布靠人工。印染布面疵点漏检多，希望自动检测布面疵点并评分。"
    found = near_duplicates(engine, TinyEncoder(), text, exclude=["4"])
    assert [d.id for d in found][:2] in (["1", "6"], ["6", "1"])
    assert all(d.id != "4" for d in found) and all(d.similarity >= 0.8 for d in found)
    assert near_duplicates(engine, TinyEncoder(), "冷库制冷节能") == []


def test_duplicate_clusters():
    engine = _engine_with_duplicates()
    assert duplicate_clusters(engine) == [["1", "4", "6"], ["2", "5"]]
    assert duplicate_clusters(engine, ids=["1", "2", "3"]) == []
