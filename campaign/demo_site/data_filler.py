"""Daily filler for the demo: the ordinary news that surrounds the campaign coverage.

Generated deterministically from small templates so that every 安徽日报 page of every day has
articles (weather, meetings, economy, culture, sport) and the portal has a daily weather brief.
All of it is labelled ``unrelated``.
"""

from __future__ import annotations

import datetime as dt
import random

from .model import EPAPER_FIRST, EPAPER_LAST, Article

CITIES = ("合肥", "芜湖", "蚌埠", "淮南", "马鞍山", "淮北", "铜陵", "安庆", "黄山", "滁州",
          "阜阳", "宿州", "巢湖", "六安", "亳州", "池州", "宣城")

# (topic, what the meeting asks for, who attended)
MEETING_TOPICS = (
    ("安全生产", "严格落实企业安全生产主体责任，深入开展隐患排查治理，坚决遏制重特大事故",
     "各市政府分管负责人和省安委会成员单位负责人"),
    ("春季造林", "抓住有利时机扩大造林面积，提高造林质量，巩固退耕还林成果",
     "各市林业局和重点林区县负责人"),
    ("招商引资", "瞄准长三角产业转移，强化项目跟踪服务，提高合同资金到位率",
     "各市招商部门和省直有关单位负责人"),
    ("农村税费改革", "巩固农村税费改革成果，切实减轻农民负担，推进乡镇机构改革",
     "各市、县政府分管负责人"),
    ("节能降耗", "分解落实单位生产总值能耗降低目标，重点抓好钢铁、建材、化工等行业节能",
     "省直有关部门和重点用能企业负责人"),
    ("社会治安综合治理", "深入开展平安创建活动，加强社区警务和群防群治，提高群众安全感",
     "各市综治委负责人"),
    ("新农村建设", "从农民最关心的路、水、电等问题入手，扎实推进社会主义新农村建设",
     "各市农委和试点村负责人"),
    ("食品药品安全", "加强食品生产加工和流通环节监管，严厉打击制售假冒伪劣食品药品行为",
     "省食品药品安全委员会成员单位负责人"),
    ("农村合作医疗", "扩大新型农村合作医疗试点范围，完善补偿办法，让农民得到更多实惠",
     "各市卫生局和试点县负责人"),
    ("城市规划管理", "科学编制城市总体规划，加强规划实施监督，提高城市建设管理水平",
     "各市规划、建设部门负责人"),
    ("科技创新", "加快建设创新型安徽，支持企业建立技术中心，促进科技成果转化",
     "省科技厅、各市科技局和高校科研院所负责人"),
    ("环境保护", "加强淮河、巢湖流域水污染防治，严格控制主要污染物排放总量",
     "各市环保局和重点排污企业负责人"),
    ("义务教育", "落实农村义务教育经费保障机制，改善农村中小学办学条件",
     "各市教育局和县区负责人"),
    ("再就业", "落实再就业扶持政策，加强职业技能培训，帮助零就业家庭实现就业",
     "各市劳动保障部门负责人"),
    ("防汛抗旱物资储备", "提前储备防汛物资，检查水库、堤防安全，确保关键时刻拿得出、用得上",
     "各市水利部门负责人"),
    ("文化市场管理", "加强网吧、音像制品市场监管，净化未成年人成长环境",
     "各市文化、公安、工商部门负责人"),
)

INDICATORS = (
    ("规模以上工业增加值", "亿元", "工业经济"),
    ("外贸进出口总额", "亿美元", "外贸"),
    ("社会消费品零售总额", "亿元", "消费市场"),
    ("全社会固定资产投资", "亿元", "投资"),
    ("财政收入", "亿元", "财政"),
)

CULTURE = (
    ("书画展", "展出作品120余幅，题材涵盖山水、花鸟、人物等，吸引了众多书画爱好者前来观赏"),
    ("社区广场文艺晚会", "舞蹈、黄梅戏选段、器乐合奏等节目轮番上演，现场观众两千余人"),
    ("图书馆读书月活动", "推出经典诵读、专家讲座和图书漂流等活动，图书借阅量比平时增加三成"),
    ("非物质文化遗产展演", "剪纸、皮影、花鼓灯等民间艺术集中亮相，不少年轻人第一次看到这些老手艺"),
    ("摄影作品展", "展出反映城市变迁的摄影作品200余幅，许多市民在老照片前驻足良久"),
)

SPORTS = (
    ("中学生田径运动会", "来自全市40余所中学的800多名运动员参赛"),
    ("全民健身长跑活动", "3000多名市民参加，年龄最大的参赛者已经七十岁"),
    ("青少年足球联赛", "共有24支队伍参赛，比赛将持续一个月"),
    ("老年人门球邀请赛", "来自周边市县的30支代表队同场竞技"),
)

WEATHER = (
    ("多云", "晴", "偏南风3到4级"),
    ("阴有小雨", "多云", "东北风3级左右"),
    ("晴", "晴转多云", "南风2到3级"),
    ("多云转阵雨", "阴", "偏东风4级左右"),
    ("雷阵雨", "多云", "阵风6到7级"),
    ("阴", "小雨转多云", "北风3到4级"),
)


def _days() -> list[dt.date]:
    n = (EPAPER_LAST - EPAPER_FIRST).days + 1
    return [EPAPER_FIRST + dt.timedelta(days=i) for i in range(n)]


def _weather(outlet: str, day: dt.date, page: int | None) -> Article:
    rng = random.Random(f"weather-{outlet}-{day}")  # noqa: S311  (deterministic filler, not crypto)
    north, south, wind = WEATHER[rng.randrange(len(WEATHER))]
    low = 12 + (day - EPAPER_FIRST).days // 4 + rng.randrange(3)
    high = low + 8 + rng.randrange(4)
    tomorrow = day + dt.timedelta(days=1)
    lead = "本报讯" if outlet == "ahrb" else "中安在线讯"
    body = [
        (f"{lead} 据省气象台{day.month}月{day.day}日17时发布的预报，{tomorrow.month}月"
        f"{tomorrow.day}日淮北地区{north}，江淮之间{south}，沿江江南地区{south}；{wind}。"
        f"全省最低气温{low}到{low + 3}℃，最高气温{high}到{high + 3}℃。"),
        (f"省城合肥明天{south}，气温{low + 1}到{high}℃。气象专家提醒，近期早晚温差较大，"
        "市民要注意适时增减衣物；从事户外作业和外出旅游的市民请关注天气变化，"
        "合理安排出行。农业部门提醒各地抓住有利天气做好夏收夏种准备。"),
    ]
    return Article(outlet=outlet, date=day, title=f"明天淮北{north} 江南{south}", body=body,
                   page=page, time="17:30", author="", keyword="天气",
                   editor="钱伟" if outlet == "ahnews" else "", source="省气象台"
                   if outlet == "ahnews" else "")


def _meeting(day: dt.date, i: int) -> Article:
    topic, ask, who = MEETING_TOPICS[i % len(MEETING_TOPICS)]
    city = CITIES[(i * 5) % len(CITIES)]
    if i < len(MEETING_TOPICS):
        title = f"全省{topic}工作会议在合肥召开"
        first = (f"本报讯（记者 汪涛）{day.month}月{day.day - 1 or day.day}日，全省{topic}工作会议"
                 f"在合肥召开。会议总结了去年以来全省{topic}工作，分析了当前面临的形势，"
                 "部署了今年的主要任务。")
    else:
        title = f"全省{topic}工作现场会在{city}召开"
        first = (f"本报讯（记者 汪涛）近日，全省{topic}工作现场会在{city}市召开。与会人员实地"
                 f"观摩了{city}市的做法，交流了各地开展{topic}工作的经验。")
    body = [
        first,
        (f"会议要求，各地各部门要认真贯彻落实省委、省政府的部署，{ask}。"
        "要进一步明确责任分工，加强督促检查，确保各项任务落到实处，为实现“十一五”良好开局"
        "作出积极贡献。"),
        f"{who}参加了会议。",
    ]
    return Article(outlet="ahrb", date=day, title=title, body=body, page=1, time="06:00",
                   author="记者 汪涛", keyword=topic)


def _economy(day: dt.date, i: int) -> Article:
    name, unit, short = INDICATORS[i % len(INDICATORS)]
    city = CITIES[i % len(CITIES)]
    rng = random.Random(f"eco-{day}")  # noqa: S311  (deterministic filler, not crypto)
    growth = 12 + rng.randrange(150) / 10
    amount = 20 + rng.randrange(300)
    months = "一季度" if day.month == 4 else "前四个月"
    body = [
        (f"本报讯 记者从{city}市统计部门获悉，今年{months}，{city}市完成{name}{amount}{unit}，"
        f"同比增长{growth:.1f}%，增幅高于全省平均水平。"),
        (f"从结构上看，{city}市{short}增长主要得益于一批重点项目的投产和市场需求的回暖。"
        "统计部门分析认为，当前全市经济运行总体平稳，但也面临原材料价格上涨、"
        "部分企业用工紧张等问题，需要继续加强运行监测和调度，推动经济平稳较快发展。"),
    ]
    return Article(outlet="ahrb", date=day, title=f"{city}{months}{short}增长{growth:.1f}%",
                   body=body, page=3, time="06:00", author="", keyword=short)


def _page4(day: dt.date, i: int, name: str) -> Article:
    city = CITIES[(i * 3) % len(CITIES)]
    if name == "体育":
        event, detail = SPORTS[i % len(SPORTS)]
        title = f"{city}举行{event}"
        body = [
            f"本报讯 {day.month}月{day.day}日，{city}市{event}开幕，{detail}。",
            ("主办方介绍，举办这项活动旨在推动全民健身运动深入开展，丰富群众业余文化生活，"
            "增强市民体质。当地体育部门表示，今后将定期举办此类赛事。比赛期间，组委会还邀请体育专家现场开展科学健身指导，"
            "发放健身知识宣传资料，受到参赛者和市民的欢迎。"),
        ]
    else:
        event, detail = CULTURE[i % len(CULTURE)]
        title = f"{city}举办{event}"
        body = [
            f"本报讯 近日，{city}市举办{event}，{detail}。",
            ("据了解，这是该市今年开展群众性文化活动的一项重要内容。今后，当地还将陆续举办"
            "文艺演出进社区、电影下乡等活动，让群众在家门口享受文化大餐，"
            "进一步丰富城乡居民的精神文化生活。活动免费向市民开放，将持续到本月底。"),
        ]
    return Article(outlet="ahrb", date=day, title=title, body=body, page=4, time="06:00",
                   author="", keyword="文化")


def page_names(day: dt.date) -> dict[int, str]:
    """The four 版面 of one 安徽日报 edition."""
    i = (day - EPAPER_FIRST).days
    p4 = ("文化", "综合", "体育")[i % 3]
    p4 = {dt.date(2006, 5, 2): "专题", dt.date(2006, 5, 3): "专题", dt.date(2006, 5, 4): "专题",
          dt.date(2006, 4, 29): "综合", dt.date(2006, 5, 9): "文化"}.get(day, p4)
    p2 = "要闻" if i % 4 else "综合新闻"
    return {1: "要闻", 2: p2, 3: "经济", 4: p4}


def filler(existing: list[Article]) -> list[Article]:
    """Filler articles for every 安徽日报 page left empty by ``existing``, plus daily weather."""
    taken = {(a.date, a.page) for a in existing if a.outlet == "ahrb"}
    out: list[Article] = []
    for i, day in enumerate(_days()):
        names = page_names(day)
        out.append(_weather("ahrb", day, 2))
        out.append(_weather("ahnews", day, None))
        if (day, 1) not in taken:
            out.append(_meeting(day, i))
        if (day, 3) not in taken:
            out.append(_economy(day, i))
        if (day, 4) not in taken:
            out.append(_page4(day, i, names[4]))
    return out
