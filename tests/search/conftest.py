"""Search fixtures: small documents and templates, an app wired to the tiny encoder."""

from __future__ import annotations

import pytest

from matchmaker import search
from matchmaker.search.app.service import EXTENSION_KEY, SOURCES_KEY
from matchmaker.search.core import runtime
from matchmaker.search.core.documents import Document, Kpi, Template

from .tiny_encoder import CountingEncoder

TEMPLATES = [
    Template(
        "T1", "印染", "vision", "布面疵点自动检测", "验布依赖人工，疵点漏检", "在线检测织物疵点"
    ),
    Template("T2", "化工", "maintenance", "机泵预测性维护", "机泵故障导致停车", "振动监测预测故障"),
    Template("T3", "食品", "forecast", "销量预测", "断货与报废并存", "按渠道预测销量"),
    Template("T4", "化工", "safety", "危化品视频安全监控", "违规作业靠人巡查", "识别安全帽和泄漏"),
]


def need(i, title, text, **kw):
    return Document("need", str(i), title, text, **kw)


def offering(i, title, text, **kw):
    return Document("offering", str(i), title, text, **kw)


NEEDS = [
    need(1, "验布靠人工", "印染布面疵点漏检多。希望自动检测布面疵点并评分。", industry="印染",
         status="published", town="瓜沥镇", kpis=(Kpi("漏检率", 1.0, "%", "lower"),)),
    need(2, "机泵非计划停车", "离心泵和压缩机故障导致停车，希望振动监测预测故障。", industry="化工",
         status="published", town="益农镇"),
    need(3, "面包销量预测", "短保面包经常断货或者过期，希望预测门店销量。", industry="食品",
         status="draft", town="瓜沥镇"),
]  # fmt: skip

OFFERINGS = [
    offering(10, "织物瑕疵在线识别", "线阵相机与深度学习识别织物疵点，自动评分定级。漏检率0.5%。",
             status="published", budget=50.0, deployment=frozenset({"on_prem"}),
             kpis=(Kpi("漏检率", 0.5, "%", "lower"),)),
    offering(11, "旋转设备振动预警", "无线振动传感器诊断泵和压缩机故障，提前预警。",
             status="published", budget=30.0, deployment=frozenset({"cloud"})),
    offering(12, "需求预测与补货", "按门店和渠道预测销量，生成补货建议，减少过期。",
             status="published", budget=20.0, deployment=frozenset({"cloud"})),
    offering(13, "布面疵点检测云服务", "上传布面照片即可检测疵点并评分。", status="published",
             budget=500.0, deployment=frozenset({"cloud"})),
    offering(14, "染料采购平台", "染料助剂集中采购，布面印染用料一站配齐。", status="withdrawn"),
]  # fmt: skip


@pytest.fixture
def templates():
    return list(TEMPLATES)


@pytest.fixture
def encoder():
    return CountingEncoder()


@pytest.fixture
def search_app(app, tmp_path, encoder):
    """The session app pointed at a fresh index directory and the tiny encoder."""
    saved, sources = dict(app.config), app.extensions[SOURCES_KEY]
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "index")
    app.config["SEARCH_ENCODER_FACTORY"] = lambda config: encoder
    app.extensions.pop(EXTENSION_KEY, None)
    runtime.reset_encoder_cache()
    search.init_app(app, sources=[], templates=lambda: TEMPLATES)
    with app.app_context():
        yield app
    app.extensions.pop(EXTENSION_KEY, None)
    app.config.clear()
    app.config.update(saved)
    runtime.reset_encoder_cache()
    app.extensions[SOURCES_KEY] = sources
