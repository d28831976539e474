"""Texts the build encodes to decide whether dynamic int8 keeps the vectors close enough to fp32.

Written like needs and offerings (Chinese with English abbreviations, numbers, units), of mixed
length; they are not the tests' verification texts.
"""

CALIBRATION_TEXTS = (
    "需要AOI视觉检测系统，识别PCB板焊点虚焊、连锡、少锡等缺陷。",
    "MES系统实施：工单下发、报工、物料追溯和质量数据采集，对接SAP ERP。",
    "通过APS高级排程，在满足交期和产能约束的前提下自动生成周计划和日计划。",
    "基于PLC和传感器数据的设备预测性维护，提前预警电机、轴承、齿轮箱故障。",
    "提升产线OEE：自动统计停机原因，分析性能损失和质量损失。",
    "注塑车间工艺参数智能推荐，降低缩水、飞边、气泡等不良，良率提升3%。",
    "仓储物流：AGV自动搬运与WMS库位优化，日均出入库2万箱。",
    "空压站群控节能，根据用气量预测自动启停，年节电约80万kWh。",
    "钢卷表面缺陷在线检测，线速度600m/min，最小缺陷0.3mm。",
    "纺织面料瑕疵检测：断经、断纬、油污、破洞，幅宽1.8米。",
    "质量大数据平台，SPC统计过程控制，CPK自动计算和异常报警。",
    "电子元器件来料检验，OCR识别丝印字符，比对BOM清单。",
    "化工反应釜温度压力软测量模型，替代人工取样化验。",
    "视频AI安全监控：安全帽、反光衣、烟火、人员越界识别，支持200路摄像头。",
    "数字孪生工厂：三维可视化产线状态，实时映射设备运行数据。",
    "能源管理系统EMS，按车间、产线、设备三级计量，单位产品能耗对标。",
    "焊接机器人焊缝跟踪，激光视觉传感器引导，适配中厚板多层多道焊。",
    "供应链需求预测，结合历史销量和促销计划，预测准确率提升15个百分点。",
    "设备点检巡检数字化，手机APP扫码打卡，异常自动生成维修工单。",
    "锂电池极片毛刺检测，分辨率5μm，检测速度80m/min。",
    "智能客服与知识库问答，基于大模型检索设备手册和维修记录。",
    "服装企业小单快反，柔性排产与裁床优化，面料利用率提升2%。",
    "汽车总装线防错，拧紧数据采集与扭矩曲线分析。",
    "食品企业追溯码，原料批次到成品一物一码全程追溯。",
)

# Keywords alone: recorded apart (1-3 token inputs are where int8 drifts most), not in the decision.
SHORT_TEXTS = ("MES", "AOI", "视觉检测", "排产", "OEE提升", "节能")
