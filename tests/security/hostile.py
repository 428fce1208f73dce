"""Hostile scraped content: articles, an outlet, a reprint group, matches and a clipping whose
every text field tries to run script or break the page. Shared by tests/security/test_untrusted.py
and tests/browser/test_untrusted.py; writes through the current `db.session` (the caller
commits).

Each payload, if it ever ran, would open a dialog, set `window.__pwned` or change the
document's title to PWNED.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from campaign.articles.models import Article, ArticleBody, ArticleUrl
from campaign.auth.models import ApiToken, LoginAttempt, User
from campaign.coverage.models import Clipping, Match
from campaign.digests.models import Robot
from campaign.extensions import db
from campaign.planning.models import Campaign, Event, Outlet
from campaign.reprints.models import ReprintGroup
from campaign.sources.models import AllowedHost, FetchRun, Source

BEIJING = ZoneInfo("Asia/Shanghai")
SCRIPT = "<script>window.__pwned=1;document.title='PWNED';alert('script')</script>"
IMG = "<img src=x onerror=\"window.__pwned=2;alert('img')\">"
END_TITLE = "</title><script>window.__pwned=3</script>"
SVG = "\"><svg onload=\"window.__pwned=4;alert('svg')\">"
# plotly renders a few tags in chart text, <a href> among them.
PLOTLY_LINK = "<a href=\"javascript:alert('plotly')\">点此</a>"
JS_URL = "javascript:window.__pwned=5;alert('url')"
FORMULA = "=HYPERLINK(\"http://evil.test/\",\"点击\")"

TITLE = f"{END_TITLE}{SCRIPT}动员大会{IMG}{PLOTLY_LINK}"
REPRINT_TITLE = f"{SVG}转载动员大会{SCRIPT}"
SUGGESTED_TITLE = f"{FORMULA}{IMG}待审动员大会"
OUTLET = f"恶意日报{IMG}{PLOTLY_LINK}"
BODY = f"第一段{SCRIPT}\n\n第二段{IMG}\n\n{END_TITLE}"
# Every payload, as the page must show it: as text.
PAYLOADS = [SCRIPT, IMG, END_TITLE, SVG, PLOTLY_LINK]
URL_PREFIX = "http://hostile.test/"


@dataclass
class Hostile:
    """The ids of what `add_hostile_coverage` made."""

    original_id: int
    reprint_id: int
    suggested_id: int
    outlet_id: int


def _article(outlet: Outlet, *, url: str, title: str, when: datetime,
             group: ReprintGroup | None = None, original: bool = True) -> Article:
    day = when.astimezone(BEIJING)
    article = Article(
        url=url, outlet_id=outlet.id, title=title, intro_title=SVG + "引题", subtitle=IMG + "副题",
        author=SVG + "记者", editor=SCRIPT, source_credit=IMG + "来源", page_name=SVG + "要闻",
        page_number=1, genre="消息", published_at=when,
        day=day.year * 10000 + day.month * 100 + day.day, fingerprint="", length=len(BODY),
        reprint_group_id=group.id if group else None, is_original=original)
    article.body = ArticleBody(text=BODY)
    db.session.add(article)
    db.session.flush()
    db.session.add(ArticleUrl(url=url, article_id=article.id))
    return article


def add_hostile_coverage(accepted: Event, suggested: Event, outlet: Outlet) -> Hostile:
    """An accepted original (javascript: URL) and its reprint at a hostile outlet on `accepted`,
    a suggested match on `suggested`, and a clipping, all full of payloads."""
    bad_outlet = Outlet(name=OUTLET, tier="municipal", kind="newspaper", region="安徽",
                        aliases=[])
    db.session.add(bad_outlet)
    group = ReprintGroup(size=2)
    db.session.add(group)
    db.session.flush()
    when = datetime.combine(accepted.starts_at.astimezone(BEIJING).date(), time(7),
                            tzinfo=BEIJING)
    original = _article(outlet, url=JS_URL, title=TITLE, when=when, group=group)
    reprint = _article(bad_outlet, url=f"{URL_PREFIX}?q=\"><script>alert(1)</script>",
                       title=REPRINT_TITLE, when=when + timedelta(days=1), group=group,
                       original=False)
    other_when = datetime.combine(suggested.starts_at.astimezone(BEIJING).date(), time(8),
                                  tzinfo=BEIJING)
    pending = _article(bad_outlet, url=f"{URL_PREFIX}pending", title=SUGGESTED_TITLE,
                       when=other_when)
    for article, event, status in ((original, accepted, "accepted"),
                                   (reprint, accepted, "accepted"),
                                   (pending, suggested, "suggested")):
        db.session.add(Match(event_id=event.id, article_id=article.id, status=status,
                             score=0.5, day=article.day, explanation={}))
    db.session.add(Clipping(event_id=accepted.id, outlet_id=bad_outlet.id,
                            published_on=when.date(), genre="消息", page="<i>1版</i>",
                            title=f"剪报{SCRIPT}", note=IMG))
    db.session.flush()
    return Hostile(original.id, reprint.id, pending.id, bad_outlet.id)


@dataclass
class HostileRecords:
    """The ids of what `add_hostile_records` made."""

    source_id: int
    officer_id: int


def add_hostile_records(campaign: Campaign, outlet_id: int, admin: User) -> HostileRecords:
    """User and scraped text beyond the articles, for the pages that show it: the campaign's
    name, the admin's display name, an officer's, a login attempt's typed username, a source
    of the hostile outlet with a failed run's error and warning, an API token's name, an
    allowed host's note and a group robot's name."""
    campaign.name = f"恶意活动{SCRIPT}"
    admin.display_name = f"管理员{SVG}"
    officer = User(username="hostile-officer", display_name=f"宣传干部{IMG}", role="officer",
                   password_hash="x")
    source = Source(outlet_id=outlet_id, type="rss", name=f"来源{SCRIPT}",
                    url=f"{URL_PREFIX}rss.xml", selectors={})
    db.session.add_all([officer, source])
    db.session.flush()
    db.session.add_all([
        LoginAttempt(username=IMG, address="10.0.0.66", succeeded=False),
        FetchRun(source_id=source.id, outcome="failed", error=f"parse_error: {SCRIPT}",
                 warning=f"charset:{IMG}", skipped_count=1),
        ApiToken(user_id=admin.id, name=f"令牌{IMG}", scope="api", token_hash="f" * 64,
                 prefix="ct_hostile"),
        AllowedHost(host="10.9.9.9:8080", note=f"说明{IMG}"),
        Robot(campaign_id=campaign.id, name=f"机器人{SCRIPT}", kind="wecom",
              url=f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={IMG}"),
    ])
    db.session.flush()
    return HostileRecords(source.id, officer.id)
