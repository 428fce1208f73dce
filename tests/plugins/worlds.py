"""The worlds several test folders read: the coverage of a campaign (exports, API) and one
object of each kind a route of the URL map names (the access matrix and the fuzz tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from io import BytesIO
from typing import Any

import pytest

from campaign.articles.models import Article
from campaign.coverage.clippings import add_clipping
from campaign.coverage.models import Clipping, Match
from campaign.digests.models import Robot
from campaign.exports.models import ExportJob
from campaign.planning.models import Campaign, EditorialSlot, Event, Outlet
from campaign.reprints.models import ReprintGroup
from campaign.sources.models import AllowedHost
from tests.factories import beijing

NASTY_TITLE = '=HYPERLINK("http://evil.test","点我"), "引号", 逗号\n换行'


@dataclass
class World:
    campaign: Campaign
    events: dict[str, Event]
    outlets: dict[str, Outlet]
    articles: dict[str, Article] = field(default_factory=dict)
    clipping: Clipping | None = None


def accept(db: Any, event: Event, article: Article, status: str = "accepted") -> Match:
    match = Match(event_id=event.id, article_id=article.id, status=status, score=1.0,
                  auto=False, day=article.day)
    db.session.add(match)
    db.session.commit()
    return match


@pytest.fixture
def coverage_world(make: Any, db: Any) -> World:
    """The 2006 month in small: 8 outlets reported the send-off, 3 of them on page one; a
    send-off, a press briefing, an editorial and a commentator article, three full-page
    features, a reprint, a manual clipping, a rejected match, and a title that breaks naive CSV
    and XML (the exports and the API read it back)."""
    campaign = make.campaign(slug="pm2006", name="2006年工人阶级和工会工作宣传月")
    outlets = {
        "安徽日报": make.outlet(name="安徽日报", tier="provincial"),
        "安徽工人日报": make.outlet(name="安徽工人日报", tier="provincial"),
        "新安晚报": make.outlet(name="新安晚报", tier="provincial"),
        "市场星报": make.outlet(name="市场星报", tier="provincial"),
        "合肥日报": make.outlet(name="合肥日报", tier="municipal"),
        "芜湖日报": make.outlet(name="芜湖日报", tier="municipal"),
        "蚌埠日报": make.outlet(name="蚌埠日报", tier="municipal"),
        "淮南日报": make.outlet(name="淮南日报", tier="municipal"),
        "工人日报": make.outlet(name="工人日报", tier="central"),
        "新华社": make.outlet(name="新华社", tier="central"),
    }
    send_off = make.event(campaign, key="send-off", type="send_off",
                          title="欢送赴京受表彰先进集体和先进个人代表活动",
                          starts_at=beijing(date(2006, 4, 24), time(9)))
    briefing = make.event(campaign, key="briefing", type="press_briefing",
                          title="宣传月新闻通气会", starts_at=beijing(date(2006, 4, 25), time(15)))
    briefing.invited_outlets = [*list(outlets.values())[:4], outlets["工人日报"],
                                outlets["新华社"]]
    editorial = make.event(campaign, key="editorial", type="editorial_slot",
                           title="安徽日报社论", starts_at=beijing(date(2006, 4, 30)),
                           slot={"outlet": outlets["安徽日报"], "planned_on": date(2006, 4, 30),
                                 "genre": "editorial", "page": "一版"})
    commentator = make.event(
        campaign, key="commentator", type="editorial_slot", title="安徽工人日报评论员文章",
        starts_at=beijing(date(2006, 4, 30), time(10)),
        slot={"outlet": outlets["安徽工人日报"], "planned_on": date(2006, 4, 30),
              "genre": "commentator", "page": "一版"})
    features = {}
    for n, theme in enumerate(("劳模", "奉献", "民工")):
        day = date(2006, 5, 2 + n)
        features[theme] = make.event(
            campaign, key=f"feature-{n + 1}", type="editorial_slot",
            title=f"安徽日报整版专题：{theme}", starts_at=beijing(day),
            slot={"outlet": outlets["安徽日报"], "planned_on": day, "genre": "feature",
                  "page": "第05版"})
    db.session.commit()
    w = World(campaign, {"send-off": send_off, "briefing": briefing, "editorial": editorial,
                         "commentator": commentator, **features}, outlets)
    _send_off_coverage(make, db, w)
    _briefing_and_slots(make, db, w)
    return w


def _send_off_coverage(make: Any, db: Any, w: World) -> None:
    in_province = ["安徽日报", "安徽工人日报", "新安晚报", "市场星报", "合肥日报", "芜湖日报",
                   "蚌埠日报", "淮南日报"]
    group = ReprintGroup(size=2)
    db.session.add(group)
    db.session.commit()
    for n, name in enumerate(in_province):
        article = make.article(
            w.outlets[name], title=f"{name}：赴京受表彰代表启程", page_number=1 if n < 3 else 3,
            page_name="要闻" if n < 3 else "综合", genre="消息", author="记者 王明",
            published_at=beijing(date(2006, 4, 25), time(6, n)),
            url=f"http://news.test/send-off/{n}", body="省总工会24日在合肥举行欢送仪式。" * 30,
            reprint_group_id=group.id if n == 0 else None)
        w.articles[name] = article
        accept(db, w.events["send-off"], article)
    reprint = make.article(w.outlets["工人日报"], title="安徽欢送赴京受表彰代表",
                           page_number=2, page_name="要闻", genre="消息",
                           source_credit="来源：安徽日报",
                           published_at=beijing(date(2006, 4, 26), time(7)),
                           url="http://news.test/send-off/reprint", body="安徽省总工会……",
                           reprint_group_id=group.id, is_original=False)
    w.articles["reprint"] = reprint
    accept(db, w.events["send-off"], reprint, status="suggested")
    rejected = make.article(w.outlets["新华社"], title="另一省的欢送活动",
                            published_at=beijing(date(2006, 4, 24), time(20)),
                            url="http://news.test/other-province")
    accept(db, w.events["send-off"], rejected, status="rejected")


def _briefing_and_slots(make: Any, db: Any, w: World) -> None:
    nasty = make.article(w.outlets["新华社"], title=NASTY_TITLE, page_number=None, genre="消息",
                         author="-记者", source_credit="@新华社",
                         published_at=beijing(date(2006, 4, 25), time(18)),
                         url='http://news.test/briefing?a=1&b="2"', body="通气会<正文>&。")
    w.articles["nasty"] = nasty
    accept(db, w.events["briefing"], nasty)
    editorial = make.article(w.outlets["安徽日报"], title="社论：当好主力军 建功十一五",
                             page_number=1, page_name="要闻", genre="社论",
                             published_at=beijing(date(2006, 4, 30), time(6)),
                             url="http://news.test/editorial", body="今天是五一国际劳动节前夕。")
    accept(db, w.events["editorial"], editorial)
    commentary = make.article(w.outlets["安徽工人日报"], title="本报评论员：弘扬劳模精神",
                              intro_title="本报评论员", page_number=1, page_name="要闻",
                              genre="评论员文章",
                              published_at=beijing(date(2006, 4, 30), time(6)),
                              url="http://news.test/commentator", body="评论员文章正文。")
    accept(db, w.events["commentator"], commentary)
    for n, theme in enumerate(("劳模", "奉献", "民工")):
        feature = make.article(w.outlets["安徽日报"], title=f"{theme}专版", page_number=5,
                               page_name="专题", genre="专题/整版",
                               published_at=beijing(date(2006, 5, 2 + n), time(6)),
                               url=f"http://news.test/feature/{n}", body=f"{theme}……")
        accept(db, w.events[theme], feature)
    w.clipping = Clipping(event_id=w.events["send-off"].id, outlet_id=w.outlets["新安晚报"].id,
                          published_on=date(2006, 4, 24), page="第04版 社会", page_number=4,
                          genre="图片新闻", title="送行（图片）")
    db.session.add(w.clipping)
    db.session.commit()


# An outlet with no source at all (an agency's bureau): invited, it is 未监测, never 未报道.
UNMONITORED = "某通讯社驻皖分社"


@pytest.fixture
def demo_unmonitored(db: Any) -> Event:
    """The demo with the demo site's sources (no fetching), its press briefing also inviting
    an outlet that has no source."""
    from campaign.planning.demo import DEMO_SLUG, load_demo
    from campaign.planning.operations import get_campaign
    from campaign.sources.importing import load_demo_sources

    load_demo()
    load_demo_sources("http://127.0.0.1:5050")
    campaign = get_campaign(DEMO_SLUG)
    assert campaign is not None
    briefing = next(e for e in campaign.events if e.key == "press-briefing")
    briefing.invited_outlets.append(Outlet(name=UNMONITORED, tier="central", kind="web"))
    db.session.commit()
    return briefing


@pytest.fixture
def route_world(make: Any) -> dict[str, Any]:
    """One object of each kind a route names (campaign, event, outlet, user, source, article,
    match, clipping, allowed host, editorial slot, robot, export job), committed; maps each URL
    parameter to its value."""
    campaign = make.campaign(slug="pm")
    event = make.event(campaign, key="rally", starts_at=beijing(date(2006, 4, 27)))
    outlet = make.outlet()
    user = make.user(role="officer", username="someone")
    source = make.source(outlet)
    article = make.article(outlet)
    match = Match(event_id=event.id, article_id=article.id, status="suggested", explanation={})
    make.db.session.add(match)
    allowed = AllowedHost(host="paper.intranet.test")
    make.db.session.add(allowed)
    slot = EditorialSlot(event=event, outlet=outlet, planned_on=date(2006, 4, 27))
    make.db.session.add(slot)
    clipping = add_clipping(event, outlet=outlet, published_on=date(2006, 4, 27), title="剪报",
                            upload=BytesIO(b"%PDF-1.4\n%%EOF\n"))
    robot = Robot(campaign_id=campaign.id, kind="wecom", url="http://127.0.0.1:9/hook")
    make.db.session.add(robot)
    job = ExportJob(campaign_id=campaign.id, format="xlsx", filters={}, status="queued",
                    download_name="pm-clippings.xlsx")
    make.db.session.add(job)
    make.db.session.commit()
    return {"robot_id": robot.id, "job_id": job.id,
            "slug": "pm", "key": "rally", "outlet_id": outlet.id, "user_id": user.id,
            "article_id": article.id, "source_id": source.id, "match_id": match.id,
            "clipping_id": clipping.id, "host_id": allowed.id, "filename": "css/app.css",
            "slot_id": slot.id, "image": "plan.png"}
