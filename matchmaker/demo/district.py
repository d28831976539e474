"""The demo district, modelled on 杭州市萧山区: fictional factories, vendors and people in its
towns and streets, each factory named for the scenarios it posts (化纤 and 印染 firms in 衙前,
益农, 党湾 and 瓜沥; 羽绒 in 新塘; software vendors around 钱江世纪城 in 宁围 and 盈丰). Every
town is one of `needs.choices.TOWNS`, the district's 镇街 that the need form suggests.
"""

from __future__ import annotations

DISTRICT = "萧山区"

# (name, industry code, town); the order (by industry) numbers the accounts factory01…factory30
FACTORIES: tuple[tuple[str, str, str], ...] = (
    ("衙前化纤织造有限公司", "textile_fiber", "衙前镇"),
    ("益丰化纤股份有限公司", "textile_fiber", "益农镇"),
    ("恒聚纺织化纤有限公司", "textile_fiber", "党湾镇"),
    ("永盛印染有限公司", "dyeing_finishing", "瓜沥镇"),
    ("蓝湾数码印花有限公司", "dyeing_finishing", "党湾镇"),
    ("锦程染整股份有限公司", "dyeing_finishing", "益农镇"),
    ("云裳服饰有限公司", "apparel_home_textiles", "靖江街道"),
    ("羽佳家纺羽绒制品有限公司", "apparel_home_textiles", "新塘街道"),
    ("精锐汽车零部件有限公司", "auto_parts", "新街街道"),
    ("宁驰精密压铸有限公司", "auto_parts", "宁围街道"),
    ("驰远汽车部件有限公司", "auto_parts", "北干街道"),
    ("浦阳重型装备制造有限公司", "equipment_manufacturing", "临浦镇"),
    ("创达智能装备有限公司", "equipment_manufacturing", "蜀山街道"),
    ("博远重工钢构有限公司", "equipment_manufacturing", "所前镇"),
    ("世纪城电子科技有限公司", "electronics", "盈丰街道"),
    ("联芯电路板有限公司", "electronics", "新街街道"),
    ("清源膜材料科技有限公司", "new_materials", "临浦镇"),
    ("锦膜新材料股份有限公司", "new_materials", "瓜沥镇"),
    ("东盛精细化工有限公司", "chemicals", "益农镇"),
    ("瑞丰印染助剂有限公司", "chemicals", "瓜沥镇"),
    ("康源制药股份有限公司", "pharmaceuticals", "北干街道"),
    ("百草生物医药有限公司", "pharmaceuticals", "闻堰街道"),
    ("萧然食品集团有限公司", "food_beverage", "城厢街道"),
    ("梅乡食品有限公司", "food_beverage", "进化镇"),
    ("金鼎不锈钢制品有限公司", "metal_products", "义桥镇"),
    ("宏达冷轧薄板有限公司", "metal_products", "河上镇"),
    ("木韵家居有限公司", "furniture_home", "楼塔镇"),
    ("彩印包装股份有限公司", "packaging_printing", "南阳街道"),
    ("钱潮新能源科技有限公司", "new_energy", "瓜沥镇"),
    ("芯航微电子有限公司", "semiconductors", "宁围街道"),
)

# (name, town, short description)
VENDORS: tuple[tuple[str, str, str], ...] = (
    ("智瞳视觉科技有限公司", "宁围街道", "工业机器视觉检测、深度学习缺陷识别"),
    ("深鉴工业智能有限公司", "盈丰街道", "AOI 自动光学检测与表面缺陷检测"),
    ("织云数智科技有限公司", "衙前镇", "纺织印染工艺大数据与配方优化"),
    ("色谱智能配色有限公司", "瓜沥镇", "染色配方智能配比与测色配色"),
    ("衡准预测维护科技有限公司", "新街街道", "设备振动监测与预测性维护"),
    ("安睿工业互联网有限公司", "北干街道", "设备联网、PLC 数据采集与 OEE 分析"),
    ("排程优化软件有限公司", "宁围街道", "APS 高级计划排程与运筹优化"),
    ("链智供应链科技有限公司", "盈丰街道", "需求预测与库存优化"),
    ("灵巧具身机器人有限公司", "蜀山街道", "人形机器人与灵巧手柔性装配"),
    ("协创机器人系统集成有限公司", "新街街道", "工业机器人集成与柔性产线"),
    ("绿能碳管家科技有限公司", "北干街道", "能耗监测与节能优化"),
    ("热控能效技术有限公司", "党湾镇", "定型机、锅炉热能回收与控制优化"),
    ("安瞳安全生产科技有限公司", "城厢街道", "视频 AI 安全监测与危化品管理"),
    ("知工大模型科技有限公司", "宁围街道", "工业知识库与大模型问答助手"),
    ("研设智能设计有限公司", "盈丰街道", "生成式设计与仿真研发辅助"),
    ("工艺寻优数据科技有限公司", "北干街道", "工艺参数建模与寻优"),
    ("数控云智能制造有限公司", "蜀山街道", "数控机床刀具监测与加工优化"),
    ("晶测半导体检测有限公司", "宁围街道", "晶圆与封装缺陷检测"),
    ("光伏智检科技有限公司", "南阳街道", "电池片 EL 检测与组件质检"),
    ("药智过程分析技术有限公司", "闻堰街道", "制药过程分析与批次放行辅助"),
    ("食安智能检测有限公司", "城厢街道", "食品异物检测与质量追溯"),
    ("包印视觉系统有限公司", "新街街道", "印刷品质检与套准控制"),
    ("边缘智算科技有限公司", "盈丰街道", "边缘计算盒子与私有化部署"),
    ("数据标注服务有限公司", "南阳街道", "工业数据采集标注与数据治理"),
    ("浙创工业软件有限公司", "北干街道", "MES 与生产管理数字化"),
)

ORGANISER = ("萧山区经济和信息化局", "organiser@demo.matchmaker.local", "王主任")
EXPERTS = (
    ("expert1@demo.matchmaker.local", "李教授"),
    ("expert2@demo.matchmaker.local", "陈高工"),
)
