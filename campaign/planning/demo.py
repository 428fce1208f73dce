"""The demo: the 2006 工人阶级和工会工作宣传月 as the seed document describes it.

`load_demo()` is idempotent: it adds what is missing and changes nothing that is already there.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from campaign.planning.operations import get_campaign
from campaign.planning.outlets import load_starter_directory
from campaign.planning.transfer import import_campaign

log = logging.getLogger(__name__)

DEMO_SLUG = "propaganda-month-2006"

PROVINCIAL = ["安徽日报", "安徽工人日报", "新安晚报", "市场星报", "安徽电视台", "安徽人民广播电台",
              "中安在线"]
CENTRAL = ["新华社", "工人日报", "人民日报", "光明日报", "中央人民广播电台"]

DEMO_CAMPAIGN: dict[str, Any] = {
    "slug": DEMO_SLUG,
    "name": "2006年工人阶级和工会工作宣传月",
    "starts_on": "2006-04-25",
    "ends_on": "2006-05-25",
    "planning_starts_on": "2006-04-01",
    "timezone": "Asia/Shanghai",
    "description": "纪念“五一”国际劳动节120周年，集中宣传工人阶级和工会工作，"
                   "团结动员全省职工为完成“十一五”规划、实现安徽跨越式发展建功立业。",
    "goals": "中央和省级主要媒体集中报道；省内重点活动均有8家以上媒体报道；"
             "安徽日报、安徽工人日报按计划刊发社论、评论员文章、一版专栏和三个整版。",
    "events": [
        {"key": "notice", "title": "下发《关于开展工人阶级和工会工作宣传月的意见》",
         "type": "notice", "starts_at": "2006-04-06", "ends_at": "2006-04-06",
         "owner": "省总工会宣教部", "status": "held",
         "description": "以省总名义下发意见，作出工作部署；与省委宣传部沟通，将活动安排和宣传计划"
                        "转发省主要新闻媒体。",
         "keywords": ["宣传月", "意见", "工人阶级和工会工作"],
         "invited_outlets": ["安徽工人日报", "中安在线"], "target_outlets": 2},
        {"key": "send-off", "title": "欢送赴京受表彰先进集体和先进个人代表",
         "type": "send_off", "status": "held", "starts_at": "2006-04-24T08:30:00", "ends_at": "2006-04-24T10:00:00",
         "venue": "合肥火车站", "owner": "省总工会",
         "keywords": ["欢送", "赴京", "表彰", "劳动模范", "先进集体"],
         "invited_outlets": [*PROVINCIAL, "合肥日报"], "target_outlets": 8},
        {"key": "press-briefing", "title": "工人阶级和工会工作宣传月新闻通气会",
         "type": "press_briefing", "status": "held", "starts_at": "2006-04-25T15:00:00",
         "ends_at": "2006-04-25T16:30:00", "venue": "省总工会会议室", "owner": "省总工会宣教部",
         "key_messages": "宣传月的主题、时间安排和重点宣传活动。",
         "keywords": ["宣传月", "新闻通气会", "工人阶级和工会工作"],
         "invited_outlets": [*CENTRAL, *PROVINCIAL], "target_outlets": 10},
        {"key": "rally", "title": "庆祝五一暨“当好主力军、建功十一五”动员大会",
         "type": "rally", "status": "held", "starts_at": "2006-04-27T09:00:00", "ends_at": "2006-04-27T11:30:00",
         "venue": "安徽大剧院", "owner": "省总工会",
         "keywords": ["动员大会", "当好主力军", "建功十一五", "五一"],
         "invited_outlets": [*CENTRAL, *PROVINCIAL, "合肥日报"], "target_outlets": 12},
        {"key": "editorial-ahrb", "title": "安徽日报“五一”社论",
         "type": "editorial_slot", "status": "held", "starts_at": "2006-04-30", "ends_at": "2006-04-30",
         "keywords": ["社论", "劳动者", "五一"], "target_outlets": 1,
         "slot": {"outlet": "安徽日报", "genre": "editorial", "page": "一版"}},
        {"key": "commentary-ahgrb", "title": "安徽工人日报“五一”评论员文章",
         "type": "editorial_slot", "status": "held", "starts_at": "2006-04-30", "ends_at": "2006-04-30",
         "keywords": ["评论员", "主力军", "五一"], "target_outlets": 1,
         "slot": {"outlet": "安徽工人日报", "genre": "commentator", "page": "一版"}},
        {"key": "column-model-workers", "title": "安徽工人日报一版专栏“劳模风采”",
         "type": "editorial_slot", "status": "held", "starts_at": "2006-04-21", "ends_at": "2006-05-10",
         "description": "从4月下旬开始在一版开设专栏，重点报道一批先进模范人物的事迹。",
         "keywords": ["劳模风采", "劳动模范", "先进事迹"], "target_outlets": 1,
         "slot": {"outlet": "安徽工人日报", "genre": "column", "page": "一版",
                  "dates": ["2006-04-21", "2006-04-24", "2006-04-26", "2006-04-28",
                            "2006-05-08", "2006-05-10"]}},
        {"key": "feature-laomo", "title": "安徽日报整版专题：劳模",
         "type": "editorial_slot", "status": "held", "starts_at": "2006-05-02", "ends_at": "2006-05-02",
         "keywords": ["劳模", "劳动模范"], "target_outlets": 1,
         "slot": {"outlet": "安徽日报", "genre": "feature", "page": "第04版"}},
        {"key": "feature-fengxian", "title": "安徽日报整版专题：奉献",
         "type": "editorial_slot", "status": "held", "starts_at": "2006-05-03", "ends_at": "2006-05-03",
         "keywords": ["奉献", "重点工程", "普通劳动者"], "target_outlets": 1,
         "slot": {"outlet": "安徽日报", "genre": "feature", "page": "第04版"}},
        {"key": "feature-mingong", "title": "安徽日报整版专题：民工",
         "type": "editorial_slot", "status": "held", "starts_at": "2006-05-04", "ends_at": "2006-05-04",
         "keywords": ["农民工", "民工"], "target_outlets": 1,
         "slot": {"outlet": "安徽日报", "genre": "feature", "page": "第04版"}},
        {"key": "hotline-broadcast", "title": "“政风行风热线”现场大型直播咨询活动",
         "type": "broadcast", "status": "held", "starts_at": "2006-05-13T09:00:00",
         "ends_at": "2006-05-13T12:00:00", "venue": "合肥市政府广场",
         "owner": "省总工会宣教部、省纠风办、安徽人民广播电台",
         "description": "省直14个厅局负责同志现场接听群众热线、接受咨询。",
         "keywords": ["政风行风热线", "直播", "效能建设"],
         "invited_outlets": ["安徽人民广播电台", "安徽日报", "安徽电视台", "中安在线", "新安晚报"],
         "target_outlets": 5},
    ],
}

DEMO_USERS = [
    ("admin", "admin-demo-2006", "admin", "系统管理员"),
    ("officer", "officer-demo-2006", "officer", "宣教部干部"),
    ("leader", "leader-demo-2006", "leader", "部领导"),
]


def load_demo_users(passwords: Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
    """Create the demo users that are missing, with `passwords` (by username) instead of the
    published ones when given; return (username, password, role) of those created."""
    from campaign.auth.operations import create_user, find_user

    created = []
    for username, published, role, name in DEMO_USERS:
        if find_user(username) is None:
            password = (passwords or {}).get(username, published)
            create_user(username=username, password=password, role=role, display_name=name)
            created.append((username, password, role))
    return created


def published_demo_logins() -> list[str]:
    """The demo accounts that are active and still have the password the README publishes
    (anyone can log in with them)."""
    from campaign.auth.operations import find_user

    found = []
    for username, published, _role, _name in DEMO_USERS:
        user = find_user(username)
        if user is not None and user.active and user.check_password(published):
            found.append(username)
    return found


def load_demo(passwords: Mapping[str, str] | None = None) -> bool:
    """Load the outlet directory, the demo users and the demo campaign; True if it was new."""
    load_starter_directory()
    load_demo_users(passwords)
    if get_campaign(DEMO_SLUG) is not None:
        log.info("demo campaign already present; left as it is")
        return False
    import_campaign(DEMO_CAMPAIGN)
    return True
