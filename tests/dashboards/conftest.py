"""Coverage worlds for the dashboard tests, and readers of what the pages show."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

import pytest

from campaign.articles.models import Article
from campaign.coverage.matching import add_match
from campaign.coverage.models import Clipping, Match
from campaign.reprints.models import ReprintGroup
from tests.factories import beijing
from tests.html import soup


@dataclass
class World:
    """A campaign with coverage, and every piece as plain Python data to count from."""

    campaign: Any
    events: dict[str, Any]
    outlets: dict[str, Any]
    articles: list[Any] = field(default_factory=list)
    # (event key, article) for each accepted match
    accepted: list[tuple[str, Any]] = field(default_factory=list)
    clippings: list[Any] = field(default_factory=list)


def build_world(make: Any, db: Any) -> World:
    """Two held events and one planned; outlets of four tiers; accepted, suggested and
    rejected matches; a reprint group; an article accepted for two events; a clipping."""
    campaign = make.campaign(slug="pm")
    outlets = {name: make.outlet(name=name, tier=tier) for name, tier in (
        ("人民日报", "central"), ("工人日报", "central"), ("安徽日报", "provincial"),
        ("新安晚报", "provincial"), ("合肥日报", "municipal"), ("交通报", "industry"))}
    rally = make.event(campaign, key="rally", title="动员大会", type="rally", status="held",
                       target_outlets=4, starts_at=beijing(date(2006, 4, 27)))
    rally.invited_outlets = [outlets["安徽日报"], outlets["人民日报"], outlets["合肥日报"]]
    briefing = make.event(campaign, key="briefing", title="新闻通气会", type="press_briefing",
                          status="held", starts_at=beijing(date(2006, 4, 25)))
    later = make.event(campaign, key="hotline", title="热线直播", type="broadcast",
                       status="planned", starts_at=beijing(date(2099, 5, 13)))
    world = World(campaign, {"rally": rally, "briefing": briefing, "hotline": later}, outlets)
    officer = make.user()
    group = ReprintGroup(size=3)
    db.session.add(group)
    db.session.flush()

    def piece(outlet: str, day: date, events: tuple[str, ...], status: str = "accepted",
              **kw: Any) -> Article:
        article = make.article(outlets[outlet], published_at=beijing(day, time(8)), **kw)
        world.articles.append(article)
        for key in events:
            if status == "accepted":
                add_match(world.events[key], article, officer)
                world.accepted.append((key, article))
            else:
                db.session.add(Match(event_id=world.events[key].id, article_id=article.id,
                                     status=status, day=article.day, explanation={}))
        return article

    d27, d28, d25 = date(2006, 4, 27), date(2006, 4, 28), date(2006, 4, 25)
    piece("安徽日报", d27, ("rally",), page_number=1, title="大会召开",
          reprint_group_id=group.id, is_original=True)
    piece("工人日报", d28, ("rally",), page_number=3, title="大会召开（转载）",
          reprint_group_id=group.id, is_original=False)
    piece("合肥日报", d28, ("rally",), page_number=1, title="<b>合肥</b>热议大会",
          reprint_group_id=group.id, is_original=False)
    piece("人民日报", d27, ("rally", "briefing"), page_number=2, title="两项活动")
    piece("新安晚报", d25, ("briefing",), page_number=1, title="通气会")
    piece("交通报", d28, ("briefing",), page_number=4, title="行业报道")
    piece("新安晚报", d27, ("rally",), status="suggested", title="待审")
    piece("安徽日报", d28, ("rally",), status="rejected", title="排除")
    clip = Clipping(event_id=rally.id, outlet_id=outlets["新安晚报"].id, published_on=d27,
                    page="一版", page_number=1, genre="消息", title="电视新闻")
    db.session.add(clip)
    world.clippings.append(clip)
    db.session.commit()
    return world


@pytest.fixture
def world(make: Any, db: Any) -> World:
    return build_world(make, db)


def tiles(html: str) -> dict[str, dict[str, str]]:
    """Each KPI tile's figure ("" key) and its figure per tier, as shown."""
    out: dict[str, dict[str, str]] = {}
    for tile in soup(html).select(".kpi"):
        values = {"": tile.select_one(".kpi-value").get_text(strip=True)}
        for tier in tile.select(".kpi-tiers [data-tier]"):
            values[str(tier["data-tier"])] = tier.select_one("dd").get_text(strip=True)
        out[str(tile["data-kpi"])] = values
    return out


def chart_specs(html: str) -> dict[str, Any]:
    """The plotly specs the page hands to dashboards.js."""
    block = soup(html).select_one("script#dashboard-charts")
    assert block is not None and block.get("type") == "application/json"
    return json.loads(block.get_text())


def days(first: date, n: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(n)]
