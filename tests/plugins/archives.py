"""A generated archive for matching at scale, written with bulk inserts (20,000 articles in a
few seconds): one campaign of three events, its articles spread over 20 days around them.

Of every ten articles: a report of the drill (in its query's words) and, the next day in
another outlet, a report of the same drill in other words (the same facts: a story mate); a
report of the rally and its copy the next day in another outlet (a reprint group; the copy
says nothing of the query); a report of the contest (no rule: its keywords are its query);
five articles of noise. The same `seed` builds the same archive on any database.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from campaign.articles.models import Article, ArticleBody, ArticleUrl, day_number
from campaign.coverage.models import CoverageRule
from campaign.extensions import db
from campaign.planning.models import Campaign, Event, Outlet
from campaign.reprints.models import ReprintGroup

DAY = date(2030, 5, 10)
FIRST = DAY - timedelta(days=6)
OUTLETS = 8
NOISE = [chr(c) for c in range(0x4E00, 0x4E00 + 2500)]


def _event(campaign: Campaign, key: str, title: str, days: int, keywords: list[str],
           outlets: list[Outlet]) -> Event:
    starts = datetime.combine(DAY + timedelta(days=days), datetime.min.time(), UTC)
    event = Event(campaign=campaign, key=key, title=title, type="other", keywords=keywords,
                  starts_at=starts + timedelta(hours=1), ends_at=starts + timedelta(hours=3))
    event.invited_outlets = outlets
    db.session.add(event)
    return event


def _plan() -> list[int]:
    """The outlets, the campaign and its events (drill and rally with rules); outlet ids."""
    outlets = [Outlet(name=f"档案报{n}", region="安徽") for n in range(OUTLETS)]
    db.session.add_all(outlets)
    campaign = Campaign(slug="arch", name="劳动竞赛宣传月", starts_on=DAY - timedelta(days=10),
                        ends_on=DAY + timedelta(days=20))
    drill = _event(campaign, "drill", "河港防汛应急演练", 0, ["防汛应急演练"], outlets[:2])
    rally = _event(campaign, "rally", "劳动竞赛动员大会", 3, ["动员大会", "劳动竞赛"],
                   outlets[2:4])
    _event(campaign, "contest", "职工技能大赛", 6, ["技能大赛"], outlets[4:5])
    db.session.flush()
    db.session.add_all([CoverageRule(event_id=drill.id, query="防汛应急演练 OR 冲锋舟"),
                        CoverageRule(event_id=rally.id, query="动员大会")])
    db.session.commit()
    return [o.id for o in outlets]


def _text(n: int, rng: random.Random) -> tuple[str, str]:
    """Article n's title and body."""
    noise = "".join(rng.choices(NOISE, k=120))
    kind, facts = n % 10, f"{1000 + n // 10}名职工参加，出动冲锋舟{n // 10 % 90}艘"
    if kind == 0:
        return f"河港举行防汛应急演练{n}", f"{facts}。演练有序，防汛应急演练圆满结束。{noise}"
    if kind == 1:
        return f"千人上阵护河港{n}", f"{facts}，现场有序。{noise}"
    if kind == 2:
        return (f"全省劳动竞赛动员大会召开{n}",
                f"劳动竞赛动员大会今天召开，{2000 + n}名劳模参加。{noise}")
    if kind == 3:
        return f"职工新闻{n}", f"建功立业第{n}篇。{noise}"
    if kind == 4:
        return f"职工技能大赛开幕{n}", f"技能大赛今天开幕，{n}名选手参赛。{noise}"
    return f"新闻{n}", noise


def _groups(numbers: range) -> dict[int, int]:
    """Each rally report and its copy among `numbers` in a reprint group: article number ->
    group id."""
    pairs = [n for n in numbers if n % 10 == 2 and n + 1 in numbers]
    if not pairs:
        return {}
    db.session.execute(insert(ReprintGroup), [{"size": 2} for _ in pairs])
    ids = db.session.scalars(select(ReprintGroup.id).order_by(ReprintGroup.id)).all()[-len(pairs):]
    return {m: group for n, group in zip(pairs, ids, strict=True) for m in (n, n + 1)}


def add_articles(outlets: list[int], articles: int, *, start: int = 0, seed: int = 7) -> None:
    """Articles number `start` to `start + articles - 1` (see the module), bulk inserted."""
    rng = random.Random(seed + start)
    numbers = range(start, start + articles)
    groups = _groups(numbers)
    rows: list[dict[str, Any]] = []
    bodies: list[str] = []
    for n in numbers:
        title, body = _text(n, rng)
        day = FIRST + timedelta(days=n % 20)
        rows.append({"url": f"http://archive.test/{n}", "title": title, "day": day_number(day),
                     "outlet_id": outlets[(n + n // 10) % OUTLETS], "length": len(body),
                     "published_at": datetime.combine(day, datetime.min.time(), UTC),
                     "reprint_group_id": groups.get(n), "is_original": n % 10 != 3,
                     "page_number": 1 if n % 7 == 0 else 2})
        bodies.append(body)
    db.session.execute(insert(Article), rows)
    ids = dict(db.session.execute(select(Article.url, Article.id)).all())
    db.session.execute(insert(ArticleBody), [{"article_id": ids[r["url"]], "text": body}
                                             for r, body in zip(rows, bodies, strict=True)])
    db.session.execute(insert(ArticleUrl), [{"url": r["url"], "article_id": ids[r["url"]]}
                                            for r in rows])
    db.session.commit()


def build_archive(articles: int, *, seed: int = 7) -> list[int]:
    """The campaign and `articles` articles (in an app context, committed); the outlets'
    ids."""
    outlets = _plan()
    add_articles(outlets, articles, seed=seed)
    return outlets
