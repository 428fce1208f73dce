"""Factories that build domain objects with sensible defaults; override any field."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from campaign.articles.models import Article, ArticleBody, ArticleUrl
from campaign.auth.models import User
from campaign.planning.models import Campaign, EditorialSlot, Event, Outlet
from campaign.sources.models import FetchRun, Source

BEIJING = ZoneInfo("Asia/Shanghai")
_counter = itertools.count(1)


def beijing(day: date, at: time = time(9, 0)) -> datetime:
    return datetime.combine(day, at, tzinfo=BEIJING)


class Factories:
    def __init__(self, db: Any) -> None:
        self.db = db

    def _save(self, obj: Any) -> Any:
        # Commit releases the test's savepoint (the outer transaction is still rolled back at
        # the end), so a view's rollback after a validation error keeps what the test built.
        self.db.session.add(obj)
        self.db.session.commit()
        return obj

    def user(self, *, role: str = "officer", password: str = "password-123", **kw: Any) -> User:
        n = next(_counter)
        user = User(username=kw.pop("username", f"{role}{n}"), role=role,
                    display_name=kw.pop("display_name", f"{role} {n}"), **kw)
        user.set_password(password)
        return self._save(user)

    def outlet(self, **kw: Any) -> Outlet:
        n = next(_counter)
        defaults = {"name": f"测试日报{n}", "tier": "provincial", "kind": "newspaper",
                    "region": "安徽", "aliases": []}
        return self._save(Outlet(**{**defaults, **kw}))

    def campaign(self, **kw: Any) -> Campaign:
        n = next(_counter)
        defaults = {"name": f"宣传月{n}", "slug": f"month-{n}", "starts_on": date(2006, 4, 25),
                    "ends_on": date(2006, 5, 25), "planning_starts_on": date(2006, 4, 1),
                    "timezone": "Asia/Shanghai", "description": "", "goals": ""}
        return self._save(Campaign(**{**defaults, **kw}))

    def event(self, campaign: Campaign | None = None, **kw: Any) -> Event:
        n = next(_counter)
        campaign = campaign or self.campaign()
        start = kw.pop("starts_at", beijing(date(2006, 4, 27)))
        defaults = {"key": f"event-{n}", "title": f"活动{n}", "type": "rally",
                    "starts_at": start, "ends_at": kw.pop("ends_at", start.replace(hour=11)),
                    "keywords": [], "status": "planned"}
        slot = kw.pop("slot", None)
        event = self._save(Event(campaign=campaign, **{**defaults, **kw}))
        if slot:
            self._save(EditorialSlot(event=event, **slot))
        return event

    def article(self, outlet: Outlet | None = None, *, body: str = "", **kw: Any) -> Article:
        """A stored article (with its body and URL row), as store_articles would leave it."""
        from campaign.articles.store import beijing_day, body_fingerprint

        n = next(_counter)
        outlet = outlet or self.outlet()
        published_at = kw.pop("published_at", beijing(date(2006, 4, 27)))
        defaults = {"url": f"http://news.test/{n}.htm", "title": f"文章{n}",
                    "published_at": published_at, "day": beijing_day(published_at),
                    "fingerprint": body_fingerprint(body), "length": len(body)}
        article = Article(outlet=outlet, **{**defaults, **kw})
        article.body = ArticleBody(text=body)
        self.db.session.add(article)
        self.db.session.flush()
        self.db.session.add(ArticleUrl(url=article.url, article_id=article.id))
        return self._save(article)

    def source(self, outlet: Outlet | None = None, **kw: Any) -> Source:
        """A source of `outlet` (a new outlet when None), an RSS feed unless told otherwise."""
        n = next(_counter)
        outlet = outlet or self.outlet()
        defaults = {"name": f"来源{n}", "type": "rss", "url": f"http://news{n}.example.cn/rss.xml",
                    "selectors": {}, "interval_minutes": 60, "enabled": True}
        return self._save(Source(outlet=outlet, **{**defaults, **kw}))

    def fetch_run(self, source: Source, **kw: Any) -> FetchRun:
        """A finished fetch run of `source` (outcome ok, nothing new unless told otherwise)."""
        defaults = {"outcome": "ok", "trigger": "scheduled", "new_count": 0}
        return self._save(FetchRun(source_id=source.id, **{**defaults, **kw}))
