"""A three-template taxonomy for fast tests."""

MINI = {
    "version": 1,
    "industries": [
        {"code": "textile", "name_zh": "纺织化纤", "name_en": "Textiles", "position": 1},
        {"code": "auto", "name_zh": "汽车零部件", "name_en": "Auto parts", "position": 2},
    ],
    "categories": [
        {
            "code": "vision",
            "name_zh": "机器视觉质量检测",
            "name_en": "Vision inspection",
            "description_zh": "视觉",
            "description_en": "Vision",
            "position": 1,
        },
        {
            "code": "process",
            "name_zh": "工艺参数优化",
            "name_en": "Process optimisation",
            "description_zh": "工艺",
            "description_en": "Process",
            "position": 2,
        },
    ],
    "templates": [
        {
            "code": "T001",
            "industry": "textile",
            "category": "vision",
            "stage": "production_ops",
            "title_zh": "坯布疵点视觉检测",
            "title_en": "Grey-fabric defect detection",
            "pain_point_zh": "人工验布漏检多",
            "data_zh": "验布机图像",
            "example_zh": "希望漏检率降到2%",
            "kpis": [
                {"name_zh": "漏检率", "name_en": "Miss rate", "unit": "%", "direction": "down"}
            ],
            "position": 1,
        },
        {
            "code": "T002",
            "industry": "auto",
            "category": "vision",
            "stage": "production_ops",
            "title_zh": "注塑件外观缺陷检测",
            "title_en": "Moulded-part defect detection",
            "pain_point_zh": "外观缺陷靠人工",
            "data_zh": "相机图像",
            "example_zh": "检测划伤",
            "kpis": [],
            "position": 2,
        },
        {
            "code": "T003",
            "industry": "textile",
            "category": "process",
            "stage": "process_design",
            "title_zh": "染料配方智能配比",
            "title_en": "Dye recipe optimisation",
            "pain_point_zh": "打样次数多",
            "data_zh": "配方记录",
            "example_zh": "减少打样",
            "kpis": [],
            "position": 1,
        },
    ],
}
