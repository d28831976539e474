"""Synthetic needs and offerings for the benchmark: template-like Chinese text, random vectors."""

from __future__ import annotations

import numpy as np

from matchmaker.search.core.documents import Document

DIM = 384
INDUSTRIES = [
    "纺织化纤",
    "印染",
    "汽车零部件",
    "装备制造",
    "电子信息",
    "膜材料",
    "化工",
    "医药",
    "食品",
]
SUBJECTS = [
    "布面疵点",
    "压铸件气孔",
    "焊点缺陷",
    "薄膜瑕疵",
    "丝饼外观",
    "染色配方",
    "反应釜收率",
    "纺丝工艺",
    "注塑参数",
    "发酵效价",
    "主轴轴承",
    "卷绕头",
    "离心压缩机",
    "灌装机",
    "齿轮箱",
    "插单排产",
    "染缸排序",
    "物料齐套",
    "换线时间",
    "无序抓取",
    "焊缝规划",
    "空压站",
    "定型机能耗",
    "蒸汽管网",
    "峰谷电价",
    "冷库制冷",
    "门店销量",
    "备件库存",
    "原料价格",
    "配方研发",
    "安全帽识别",
    "烟火识别",
    "热失控",
    "维修手册",
    "操作规程",
]
METHODS = [
    "深度学习",
    "机理与数据融合建模",
    "视觉识别",
    "振动监测",
    "约束优化算法",
    "时间序列预测",
    "知识图谱",
    "大模型问答",
    "三维视觉",
    "强化学习",
    "多参数融合监测",
    "边缘计算",
]
EFFECTS = [
    "漏检率降低到百分之一以下",
    "效率提升三成",
    "能耗下降百分之十五",
    "减少非计划停机",
    "交期达成率提升",
    "人工减少一半",
    "一次合格率提升到九成",
    "库存资金占用下降",
]
CITIES = ["瓜沥镇", "衙前镇", "宁围街道", "新塘街道", "益农镇"]
STATUSES = ["published", "published", "published", "draft"]
MODES = [frozenset({"cloud"}), frozenset({"on_prem"}), frozenset({"edge", "on_prem"})]  # fmt: skip


def make_documents(kind: str, n: int, seed: int) -> list[Document]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        subject, other = rng.choice(SUBJECTS, 2, replace=False)
        method, effect = rng.choice(METHODS), rng.choice(EFFECTS)
        industry = str(rng.choice(INDUSTRIES))
        text = (f"{industry}企业{subject}问题突出，长期依赖人工经验。采用{method}解决{subject}，"
                f"兼顾{other}，{effect}。支持与现有系统对接，部署周期短，适合中小企业。")  # fmt: skip
        out.append(Document(
            kind, f"{kind[0]}{i}", f"{subject}{method}方案", text,
            industry=industry if kind == "need" else None,
            status=str(rng.choice(STATUSES)), town=str(rng.choice(CITIES)),
            budget=float(rng.integers(10, 500)), deployment=MODES[i % len(MODES)],
        ))  # fmt: skip
    return out


def unit_vectors(n: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)
