"""The campaign as the officer typed it into the planner, and the outlets' sources."""

TZ = "+08:00"

CAMPAIGN = {
    "slug": "jinqiu-zhuxue-2011",
    "name": "2011年全省工会“金秋助学”活动宣传",
    "starts_on": "2011-08-01",
    "ends_on": "2011-09-30",
    "planning_starts_on": "2011-07-15",
    "timezone": "Asia/Shanghai",
    "description": "省总工会宣教部会同权益保障部，围绕今年金秋助学活动组织集中宣传。",
    "goals": "省级媒体全覆盖，工人报一版专栏不少于8期，赣江日报整版1个。",
}

_ALL = ["赣江日报", "赣鄱工人报", "洪城晚报", "赣工网", "赣江电视台"]

EVENTS = [
    {"key": "notice", "title": "省总下发金秋助学活动通知", "type": "notice",
     "starts_at": "2011-07-20", "venue": None, "keywords": ["金秋助学", "通知"],
     "invited_outlets": ["赣工网", "赣鄱工人报"], "target_outlets": 2},
    {"key": "briefing", "title": "金秋助学新闻通气会", "type": "press_briefing",
     "starts_at": "2011-08-02T10:00:00" + TZ, "ends_at": "2011-08-02T11:30:00" + TZ,
     "venue": "省总工会五楼会议室", "keywords": ["金秋助学", "通气会"],
     "invited_outlets": [*_ALL, "赣江人民广播电台", "新华社江西分社"], "target_outlets": 6},
    {"key": "launch", "title": "全省金秋助学启动仪式暨助学金发放", "type": "rally",
     "starts_at": "2011-08-09T09:30:00" + TZ, "venue": "省工人文化宫",
     "keywords": ["启动仪式", "助学金"],
     "invited_outlets": [*_ALL, "赣江人民广播电台"], "target_outlets": 6},
    {"key": "commentary", "title": "工人报一版评论员文章", "type": "editorial_slot",
     "starts_at": "2011-08-10", "venue": None, "keywords": ["评论员", "助学"],
     "invited_outlets": ["赣鄱工人报"], "target_outlets": 1,
     "slot": {"outlet": "赣鄱工人报", "genre": "评论员文章", "page": "01版",
              "dates": ["2011-08-10"]}},
    {"key": "column", "title": "工人报一版《圆梦金秋》专栏", "type": "editorial_slot",
     "starts_at": "2011-08-12", "ends_at": "2011-09-09", "venue": None,
     "keywords": ["圆梦金秋"], "invited_outlets": ["赣鄱工人报"], "target_outlets": 1,
     "description": "8月12日起每周二、周五一版刊发，至9月9日",
     "slot": {"outlet": "赣鄱工人报", "genre": "专栏", "page": "01版",
              "starts_on": "2011-08-12", "ends_on": "2011-09-09",
              "weekdays": ["tue", "fri"]}},
    {"key": "visit", "title": "周主席赴赣州走访受助学生家庭", "type": "other",
     "starts_at": "2011-08-17T09:00:00" + TZ, "venue": "赣州市",
     "keywords": ["走访", "受助学生"],
     "invited_outlets": ["赣江日报", "赣鄱工人报", "赣江电视台"], "target_outlets": 3},
    {"key": "interview", "title": "金秋助学政策在线访谈", "type": "broadcast",
     "starts_at": "2011-08-23T15:00:00" + TZ, "ends_at": "2011-08-23T16:30:00" + TZ,
     "venue": "赣工网访谈室", "keywords": ["在线访谈", "金秋助学"],
     "invited_outlets": ["赣工网", "赣鄱工人报"], "target_outlets": 2},
    {"key": "sendoff", "title": "爱心送站 欢送受助学子", "type": "send_off",
     "starts_at": "2011-08-27T08:30:00" + TZ, "venue": "南昌火车站",
     "keywords": ["欢送", "受助学生"],
     "invited_outlets": ["赣江日报", "赣鄱工人报", "洪城晚报", "赣江电视台"],
     "target_outlets": 4},
    {"key": "feature", "title": "赣江日报金秋助学整版", "type": "editorial_slot",
     "starts_at": "2011-09-02", "venue": None, "keywords": ["金秋助学"],
     "invited_outlets": ["赣江日报"], "target_outlets": 1,
     "slot": {"outlet": "赣江日报", "genre": "整版专题", "page": "第07版",
              "dates": ["2011-09-02"]}},
    {"key": "wrapup", "title": "金秋助学总结暨爱心单位表彰会", "type": "other",
     "starts_at": "2011-09-28T15:00:00" + TZ, "venue": "省总工会",
     "keywords": ["总结", "金秋助学"],
     "invited_outlets": ["赣江日报", "赣鄱工人报", "赣工网", "赣江电视台"],
     "target_outlets": 4},
]

# e-paper editions: first and last issue day; 赣鄱工人报 has no weekend issues
GJ_ISSUES = ("2011-07-11", "2011-10-08")
GP_ISSUES = ("2011-07-11", "2011-10-07")

GJ_PAGES = {1: "要闻", 2: "要闻", 3: "综合新闻", 4: "经济", 5: "社会", 6: "文化教育",
            7: "专版", 8: "国内国际"}
GP_PAGES = {1: "要闻", 2: "工会工作", 3: "职工生活", 4: "综合"}
