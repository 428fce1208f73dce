"""The campaign as the federation's propaganda officer typed it, and the outlets' calendars.

Typed the way an officer types: times without a zone except the launch, pages as said
(``一版``, ``5``), a keyword or two per event, the column as a period with weekdays. Two slips
an officer makes are left in: the briefing's description says 5月12日 (it was held on the
11th) and the 德阳 round's venue is typed 德阳市技师学员 (学院).
"""
TZ = "+08:00"

CAMPAIGN = {
    "slug": "zhigong-jineng-dasai-2021",
    "name": "2021年四川省职工职业技能大赛宣传",
    "starts_on": "2021-05-10",
    "ends_on": "2021-06-30",
    "planning_starts_on": "2021-04-26",
    "timezone": "Asia/Shanghai",
    "description": "省总工会经济技术部牵头、宣教部配合。大赛分启动、市州赛区、网上竞答、表彰几个阶段，"
                   "各赛区宣传由当地工会对接。",
    "goals": "省级媒体每个赛区至少1篇；一版评论员文章1篇；整版1个；专栏不少于8期。",
}

EVENTS = [
    {"key": "notice", "title": "下发大赛通知", "type": "notice",
     "starts_at": "2021-04-28", "ends_at": "2021-04-28", "all_day": True,
     "keywords": ["职业技能大赛", "通知"],
     "description": "省总、省人社厅联合发文，附赛项和报名办法。"},
    {"key": "briefing", "title": "大赛新闻发布会", "type": "press_briefing",
     "starts_at": "2021-05-11T10:00:00", "ends_at": "2021-05-11T11:30:00",
     "venue": "省总工会三楼会议室", "keywords": ["新闻发布会"],
     "invited_outlets": ["巴蜀日报", "天府工人报", "蜀网", "锦城日报", "巴蜀人民广播电台"],
     "target_outlets": 5,
     "description": "5月12日上午10点，罗副主席发布赛项安排，经济技术部答问。"},
    {"key": "launch", "title": "大赛启动仪式", "type": "rally",
     "starts_at": "2021-05-14T09:30:00+08:00", "ends_at": "2021-05-14T11:30:00+08:00",
     "venue": "省职工技能实训基地（成都龙泉驿）", "keywords": ["启动仪式", "技能大赛"],
     "invited_outlets": ["巴蜀日报", "天府工人报", "蜀网", "锦城日报", "神州工人网"],
     "target_outlets": 5},
    {"key": "commentary", "title": "天府工人报评论员文章", "type": "editorial_slot",
     "starts_at": "2021-05-15", "ends_at": "2021-05-15", "keywords": ["评论员"],
     "slot": {"outlet": "天府工人报", "genre": "评论员文章", "page": "一版",
              "dates": ["2021-05-15"]}},
    {"key": "quiz", "title": "职工技能知识网上竞答", "type": "other",
     "starts_at": "2021-05-17T00:00:00", "ends_at": "2021-06-06T23:59:00",
     "venue": "川工之家APP", "keywords": ["网上竞答"],
     "description": "三周，每天10题，结果6月上旬公布"},
    {"key": "column", "title": "天府工人报专栏", "type": "editorial_slot",
     "starts_at": "2021-05-18", "ends_at": "2021-06-17", "keywords": ["技能川军"],
     "slot": {"outlet": "天府工人报", "genre": "专栏", "page": "一版",
              "starts_on": "2021-05-18", "ends_on": "2021-06-17", "weekdays": [2, 4]}},
    {"key": "mianyang", "title": "绵阳赛区 电工", "type": "other",
     "starts_at": "2021-05-25T08:30:00", "ends_at": "2021-05-26T17:00:00",
     "venue": "绵阳职业技术学院", "keywords": ["电工"],
     "invited_outlets": ["巴蜀日报", "天府工人报"]},
    {"key": "deyang", "title": "德阳赛区 焊工", "type": "other",
     "starts_at": "2021-06-02T08:30:00", "ends_at": "2021-06-03T17:00:00",
     "venue": "德阳市技师学员", "keywords": ["焊工"],
     "invited_outlets": ["巴蜀日报", "天府工人报"]},
    {"key": "yibin", "title": "宜宾赛区 数控车工", "type": "other",
     "starts_at": "2021-06-09T08:30:00", "ends_at": "2021-06-10T17:00:00",
     "venue": "宜宾职业技术学院", "keywords": ["数控车工"],
     "invited_outlets": ["巴蜀日报", "天府工人报"]},
    {"key": "awards", "title": "大赛表彰大会", "type": "rally",
     "starts_at": "2021-06-24T15:00:00", "ends_at": "2021-06-24T17:00:00",
     "venue": "锦城艺术宫", "keywords": ["表彰", "技术能手"],
     "invited_outlets": ["巴蜀日报", "天府工人报", "蜀网", "锦城日报", "神州工人网",
                         "巴蜀人民广播电台"],
     "target_outlets": 6},
    {"key": "feature", "title": "巴蜀日报整版", "type": "editorial_slot",
     "starts_at": "2021-06-25", "ends_at": "2021-06-25", "keywords": ["技能"],
     "slot": {"outlet": "巴蜀日报", "genre": "整版", "page": 5, "dates": ["2021-06-25"]}},
    {"key": "wrapup", "title": "大赛总结会", "type": "other",
     "starts_at": "2021-07-06T14:30:00", "ends_at": "2021-07-06T17:00:00",
     "venue": "省总工会", "keywords": ["总结"]},
]

# 巴蜀日报 (older Founder e-paper): an issue every day; 8 pages Monday-Friday, 4 at weekends.
BS_ISSUES = ("2021-04-26", "2021-07-13")
BS_PAGES_WEEKDAY = {1: "要闻", 2: "要闻", 3: "综合", 4: "经济", 5: "专题", 6: "区域",
                    7: "社会", 8: "文化"}
BS_PAGES_WEEKEND = {1: "要闻", 2: "综合", 3: "社会", 4: "文化"}
# 锦城日报 (a modern e-paper, not Founder): an issue every day; A01-A08, four at weekends.
JC_ISSUES = ("2021-04-26", "2021-07-13")
JC_PAGES_WEEKDAY = {1: "要闻", 2: "要闻", 3: "成都新闻", 4: "成都新闻", 5: "区县",
                    6: "财经", 7: "社会", 8: "副刊"}
JC_PAGES_WEEKEND = {1: "要闻", 2: "成都新闻", 3: "社会", 4: "副刊"}
# 天府工人报 prints Tuesday to Saturday; its site and feed carry the print pieces.
TF_WEEKDAYS = (1, 2, 3, 4, 5)  # date.weekday(): Tuesday .. Saturday
TF_PAGES = {1: "要闻", 2: "工会新闻", 3: "劳动者", 4: "副刊"}
