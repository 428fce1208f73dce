"""The campaign as the propaganda officer typed it, and the outlets' publishing calendars."""

TZ = "+08:00"

CAMPAIGN = {
    "slug": "songwennuan-2014",
    "name": "2014年元旦春节全省工会“送温暖”活动宣传",
    "starts_on": "2013-12-20",
    "ends_on": "2014-02-14",
    "planning_starts_on": "2013-12-10",
    "timezone": "Asia/Shanghai",
    "description": "宣教部牵头，会同帮扶中心、权益保障部，做好两节送温暖活动的集中宣传，"
                   "元宵节后开总结会。",
    "goals": "省级主要媒体都有报道；工人报一版专栏每周两期；松辽日报专版一个；"
             "争取劳动者日报报道两篇以上。",
}

_MAIN = ["松辽日报", "关东工人报", "春州晚报", "关东职工网", "松辽广播电视台"]

# Typed as an officer types: some times with an offset, some without (the campaign's zone),
# the pages as the officer says them (一版, 6), the column's rhythm in Chinese weekday names.
EVENTS = [
    {"key": "notice", "title": "省总下发两节送温暖工作通知", "type": "notice",
     "starts_at": "2013-12-16", "keywords": ["送温暖", "通知"],
     "invited_outlets": ["关东职工网", "关东工人报", "松辽日报"], "target_outlets": 2},
    {"key": "briefing", "title": "两节送温暖活动新闻通气会", "type": "press_briefing",
     "starts_at": "2013-12-26T10:00", "ends_at": "2013-12-26T11:00",
     "venue": "省总工会七楼会议室", "keywords": ["送温暖", "通气会"],
     "invited_outlets": [*_MAIN, "劳动者日报", "松辽人民广播电台", "新华社吉林分社"],
     "target_outlets": 7},
    {"key": "launch", "title": "全省工会送温暖活动启动仪式", "type": "rally",
     "starts_at": "2014-01-08T09:30:00" + TZ, "ends_at": "2014-01-08T10:30:00" + TZ,
     "venue": "省职工服务中心", "keywords": ["启动仪式", "帮扶资金"],
     "invited_outlets": [*_MAIN, "劳动者日报", "松辽人民广播电台"], "target_outlets": 6,
     "key_messages": "副省长出席；省总拨付帮扶资金；现场向困难职工代表发放慰问金"},
    {"key": "commentary", "title": "工人报一版评论员文章", "type": "editorial_slot",
     "starts_at": "2014-01-08", "keywords": ["评论员", "送温暖"],
     "invited_outlets": ["关东工人报"], "target_outlets": 1,
     "slot": {"outlet": "关东工人报", "genre": "评论员文章", "page": "一版",
              "dates": ["2014-01-08"]}},
    {"key": "column", "title": "工人报一版专栏《冬日送暖记》", "type": "editorial_slot",
     "starts_at": "2014-01-10", "ends_at": "2014-02-14", "keywords": ["冬日送暖记"],
     "invited_outlets": ["关东工人报"], "target_outlets": 1,
     "description": "1月10日开栏，每周一、周五一版，到元宵节",
     "slot": {"outlet": "关东工人报", "genre": "专栏", "page": "一版",
              "starts_on": "2014-01-10", "ends_on": "2014-02-14",
              "weekdays": ["周一", "周五"]}},
    {"key": "visit", "title": "贺振邦主席到白山走访慰问困难职工", "type": "other",
     "starts_at": "2014-01-14T08:30", "venue": "白山市",
     "keywords": ["走访慰问", "困难职工"],
     "invited_outlets": ["松辽日报", "关东工人报", "松辽广播电视台", "关东职工网"],
     "target_outlets": 4},
    {"key": "hotline", "title": "帮扶政策在线访谈", "type": "broadcast",
     "starts_at": "2014-01-16T15:00", "ends_at": "2014-01-16T16:30",
     "venue": "关东职工网访谈室", "keywords": ["在线访谈", "帮扶"],
     "invited_outlets": ["关东职工网", "关东工人报"], "target_outlets": 2},
    {"key": "sendoff", "title": "情暖回家路 欢送农民工返乡", "type": "send_off",
     "starts_at": "2014-01-20T08:00", "venue": "长春站北广场",
     "keywords": ["农民工", "返乡"],
     "invited_outlets": [*_MAIN, "劳动者日报"], "target_outlets": 5},
    {"key": "gala", "title": "全省职工迎新春文艺慰问演出", "type": "rally",
     "starts_at": "2014-01-24T19:00", "ends_at": "2014-01-24T21:00",
     "venue": "省工人文化宫", "keywords": ["慰问演出", "迎新春"],
     "invited_outlets": ["松辽日报", "关东工人报", "春州晚报", "松辽广播电视台"],
     "target_outlets": 3},
    {"key": "feature", "title": "松辽日报送温暖专版", "type": "editorial_slot",
     "starts_at": "2014-01-27", "keywords": ["送温暖"],
     "invited_outlets": ["松辽日报"], "target_outlets": 1,
     "slot": {"outlet": "松辽日报", "genre": "整版", "page": 6, "dates": ["2014-01-27"]}},
    {"key": "wrapup", "title": "两节送温暖工作总结会", "type": "other",
     "starts_at": "2014-02-25T15:00", "venue": "省总工会",
     "keywords": ["总结", "送温暖"],
     "invited_outlets": ["松辽日报", "关东工人报", "关东职工网", "松辽广播电视台", "劳动者日报"],
     "target_outlets": 4},
]

# The e-papers' calendars: first and last issue day.
SL_ISSUES = ("2013-12-09", "2014-03-05")   # 松辽日报: every day
GD_ISSUES = ("2013-12-09", "2014-03-05")   # 关东工人报: Monday, Wednesday, Friday
GD_WEEKDAYS = (0, 2, 4)
GD_HOLIDAY = ("2014-01-30", "2014-02-09")  # 春节休刊: no issue on these days

SL_PAGES_WEEKDAY = {1: "要闻", 2: "要闻", 3: "综合", 4: "经济", 5: "社会", 6: "专版",
                    7: "文化", 8: "国内国际"}
SL_PAGES_WEEKEND = {1: "要闻", 2: "综合", 3: "社会", 4: "国内国际"}
GD_PAGES = {1: "要闻", 2: "工会工作", 3: "职工生活", 4: "副刊"}
