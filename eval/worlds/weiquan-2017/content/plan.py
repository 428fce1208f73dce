"""The campaign as the officer typed it, and the e-papers' calendars."""

TZ = "+08:00"

CAMPAIGN = {
    "slug": "nvzhigong-weiquan-2017",
    "name": "2017年全省工会“女职工维权行动月”宣传",
    "starts_on": "2017-03-01",
    "ends_on": "2017-03-31",
    "planning_starts_on": "2017-02-15",
    "timezone": "Asia/Shanghai",
    "description": "围绕“三八”国际劳动妇女节，集中宣传女职工权益保护法律法规和工会维权工作。",
}

ALL = ["闽江日报", "海峡工人报", "榕城晚报", "八闽职工网", "闽江广播电视台", "中华工人报",
       "闽江人民广播电台", "中新社福建分社"]

EVENTS = [
    {"key": "notice", "title": "省总工会下发开展女职工维权行动月活动的通知", "type": "notice",
     "starts_at": "2017-02-20", "keywords": ["维权行动月", "通知"],
     "invited_outlets": ["八闽职工网", "海峡工人报"], "target_outlets": 2},
    {"key": "briefing", "title": "女职工维权行动月新闻发布会", "type": "press_briefing",
     "starts_at": "2017-02-28T10:00", "ends_at": "2017-02-28T11:30",
     "venue": "省总工会6楼会议室", "keywords": ["新闻发布会"],
     "invited_outlets": ALL, "target_outlets": 6},
    {"key": "quiz", "title": "全省女职工权益保护法律知识网络竞赛", "type": "other",
     "starts_at": "2017-03-01T00:00", "ends_at": "2017-03-20T23:59", "venue": "八闽职工网",
     "keywords": ["知识竞赛"], "invited_outlets": ["八闽职工网", "海峡工人报"]},
    {"key": "launch", "title": "纪念“三八”节暨女职工维权行动月启动仪式", "type": "rally",
     "starts_at": "2017-03-06T09:30+08:00", "ends_at": "2017-03-06T11:00+08:00",
     "venue": "省职工文化中心", "keywords": ["启动仪式", "女职工"],
     "invited_outlets": ALL, "target_outlets": 6},
    {"key": "commentary", "title": "海峡工人报评论员文章", "type": "editorial_slot",
     "starts_at": "2017-03-07", "keywords": ["评论员"],
     "slot": {"outlet": "海峡工人报", "genre": "评论员文章", "page": "一版",
              "dates": ["2017-03-07"]}},
    {"key": "feature", "title": "闽江日报“三八”整版", "type": "editorial_slot",
     "starts_at": "2017-03-08", "keywords": ["三八"],
     "slot": {"outlet": "闽江日报", "genre": "整版", "page": 7, "dates": ["2017-03-08"]}},
    {"key": "contract", "title": "女职工权益保护专项集体合同集中签约仪式", "type": "other",
     "starts_at": "2017-03-10T15:00", "venue": "厦门火炬高新区",
     "keywords": ["专项集体合同"],
     "invited_outlets": ["闽江日报", "海峡工人报", "八闽职工网", "闽江广播电视台"]},
    {"key": "consult", "title": "“送法进企业”女职工维权法律咨询日", "type": "other",
     "starts_at": "2017-03-11T09:00", "ends_at": "2017-03-11T12:00",
     "venue": "福州五一广场（主会场）", "keywords": ["法律咨询"],
     "invited_outlets": ["闽江日报", "海峡工人报", "榕城晚报", "八闽职工网", "闽江广播电视台",
                         "闽江人民广播电台"]},
    {"key": "hotline", "title": "“女职工权益知多少”在线访谈", "type": "broadcast",
     "starts_at": "2017-03-16T15:00", "ends_at": "2017-03-16T16:30",
     "venue": "八闽职工网在线访谈室", "keywords": ["在线访谈", "女职工权益"],
     "invited_outlets": ["八闽职工网", "海峡工人报", "榕城晚报"]},
    {"key": "column", "title": "海峡工人报一版专栏「巾帼维权在一线」", "type": "editorial_slot",
     "starts_at": "2017-03-02", "ends_at": "2017-03-30", "keywords": ["巾帼维权在一线"],
     "description": "3月2日至30日，每周二、四一版刊发",
     "slot": {"outlet": "海峡工人报", "genre": "专栏", "page": "一版",
              "starts_on": "2017-03-02", "ends_on": "2017-03-30", "weekdays": [2, 4]}},
    {"key": "wrapup", "title": "女职工维权行动月总结会", "type": "other",
     "starts_at": "2017-04-06T15:00", "venue": "省总工会", "keywords": ["总结", "维权行动月"],
     "invited_outlets": ["闽江日报", "海峡工人报", "八闽职工网", "闽江广播电视台",
                         "中华工人报"]},
]

# 闽江日报: an issue every day; 8 pages Monday to Friday, 4 at weekends.
MJ_ISSUES = ("2017-02-13", "2017-04-16")
MJ_PAGES_WEEKDAY = {1: "要闻", 2: "要闻", 3: "综合", 4: "经济", 5: "社会", 6: "文体",
                    7: "专版", 8: "国内国际"}
MJ_PAGES_WEEKEND = {1: "要闻", 2: "综合", 3: "社会", 4: "国内国际"}
# Special names of page 7 on some days (the page is still 第07版).
MJ_PAGE_NAMES = {("2017-03-03", 7): "巾帼风采", ("2017-03-08", 7): "三八特刊",
                 ("2017-03-15", 7): "3·15特刊"}

# 海峡工人报: Tuesday, Thursday and Saturday, four pages.
HX_ISSUES = ("2017-02-14", "2017-04-15")
HX_WEEKDAYS = (1, 3, 5)
HX_PAGES = {1: "要闻", 2: "工会新闻", 3: "维权", 4: "副刊"}
