# ruff: noqa: E501  (a data table reads better one record a line)
"""The demo factory's fixed data: departments, names, rules and catalogue (from the brief)."""

from __future__ import annotations

DEPARTMENTS = ("冲压车间", "焊装车间", "涂装车间", "总装车间", "质检部", "物流部", "设备维修部")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "志强",
    "海燕",
    "春梅",
    "晓东",
    "国庆",
    "红梅",
    "建国",
    "玉兰",
    "文博",
    "子涵",
    "浩然",
    "雨萱",
    "俊杰",
    "欣怡",
    "宇航",
    "思远",
]

# kind: (points, validity days, zh, en, cap per period, period)
RULES: dict[str, tuple[int, int, str, str, int | None, str | None]] = {
    "performance.excellent": (
        500,
        365,
        "季度绩效优秀",
        "Quarterly performance: excellent",
        None,
        None,
    ),
    "performance.good": (200, 365, "季度绩效良好", "Quarterly performance: good", None, None),
    "training.completed": (100, 365, "完成培训课程", "Training course completed", 300, "month"),
    "activity.attended": (200, 365, "参加企业文化活动", "Company culture activity", 400, "month"),
    "safety.suggestion": (50, 180, "安全改善建议被采纳", "Safety suggestion adopted", 200, "month"),
    "attendance.full_month": (100, 365, "当月全勤", "Full attendance this month", None, None),
}

# id: (category, points, stock, limit, period, zh title, en title, zh description, en description)
CATALOGUE: dict[str, tuple[str, int, int | None, int | None, str | None, str, str, str, str]] = {
    "card-100": ("physical", 1000, 200, None, None, "超市购物卡 100 元", "Supermarket card 100 CNY",
                 "全市连锁超市通用，有效期三年。", "Valid at the city's chain supermarkets for three years."),
    "card-200": ("physical", 2000, 100, None, None, "超市购物卡 200 元", "Supermarket card 200 CNY",
                 "全市连锁超市通用，有效期三年。", "Valid at the city's chain supermarkets for three years."),
    "earbuds": ("physical", 3500, 15, 1, "year", "无线蓝牙耳机", "Wireless earbuds",
                "降噪蓝牙耳机，一年保修。", "Noise-cancelling earbuds with a one-year warranty."),
    "power-bank": ("physical", 1500, 30, None, None, "充电宝 10000mAh", "Power bank 10,000 mAh",
                   "双口快充。", "Two fast-charging ports."),
    "thermos": ("physical", 800, 50, None, None, "保温杯", "Thermos flask",
                "不锈钢保温杯 500ml。", "Stainless steel, 500 ml."),
    "rice-cooker": ("physical", 4000, 8, 1, "year", "电饭煲", "Rice cooker",
                    "4 升智能电饭煲。", "4-litre smart rice cooker."),
    "leave-1d": ("virtual", 500, None, 5, "year", "额外年假一天", "One extra day of annual leave",
                 "兑换后与班组长确认休假日期。", "Agree the date with your team lead after redeeming."),
    "course-excel": ("virtual", 300, None, None, None, "Excel 办公技能课程", "Excel skills course",
                     "线上课程，含结业证书。", "Online course with a certificate."),
    "course-forklift": ("virtual", 600, 20, None, None, "叉车操作证培训", "Forklift licence training",
                        "含考证费用。", "Exam fee included."),
    "video-vip": ("virtual", 400, None, 2, "quarter", "视频平台会员（月卡）", "Video streaming, one month",
                  "兑换码发送至登记手机。", "The code is sent to your registered phone."),
    "reading-vip": ("virtual", 350, None, 2, "quarter", "学习平台会员（月卡）", "Learning platform, one month",
                    "海量课程随心学。", "Thousands of courses."),
    "health-upgrade": ("service", 800, 40, 1, "year", "体检套餐升级", "Health check upgrade",
                       "年度体检升级为深度套餐。", "Upgrade the yearly health check to the full package."),
    "birthday-cake": ("service", 600, None, 1, "year", "生日蛋糕配送", "Birthday cake delivery",
                      "生日当周送到家。", "Delivered to your home in your birthday week."),
    "home-cleaning": ("service", 1200, 25, None, None, "家政保洁服务（4 小时）", "Home cleaning, 4 hours",
                      "预约后上门服务。", "Booked at a time that suits you."),
    "tech-salon": ("service", 300, 30, 1, "quarter", "技术沙龙门票", "Tech salon ticket",
                   "每季度一期，名额有限。", "One salon a quarter, limited seats."),
    "lunch-exec": ("service", 2500, 4, 1, "year", "与高管共进午餐", "Lunch with an executive",
                   "分享你的改善建议。", "Share your improvement ideas."),
}  # fmt: skip

CATEGORY_COLOURS = {"physical": (0, 110, 190), "virtual": (0, 140, 100), "service": (200, 90, 20)}
