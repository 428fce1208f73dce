"""Coverage by link in a real browser: paste links (progress, a stored WeChat article, a
verification page typed by hand) and 归入活动 from an article page and from search results —
the database holds the accepted matches."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from campaign.articles.models import Article, ArticleUrl
from campaign.coverage.models import Match
from campaign.extensions import db
from campaign.planning.models import Campaign, Event, Outlet
from tests.scrapers.scraper_server import LocalServer, Reply, serving
from tests.scrapers.test_links import wechat_page

pytestmark = pytest.mark.browser

SLUG = "propaganda-month-2006"
BEIJING = ZoneInfo("Asia/Shanghai")
VERIFY = "<html><body><h2>环境异常</h2><p>完成验证后即可继续访问</p></body></html>"
_numbers = itertools.count(1)


@pytest.fixture
def pages_server(live_app: Flask) -> Iterator[LocalServer]:
    """A local site with a WeChat article of 安徽工人日报's account and a verification page
    (the tests' config allows the local servers, see tests/conftest.py)."""
    page = wechat_page(title="职工技能竞赛在合肥启动").replace("江淮职工之声", "安徽工人日报")
    with serving() as server:
        server.route("/s/skills", Reply(body=page.encode()))
        server.route("/s/verify", Reply(body=VERIFY.encode()))
        yield server


def accepted_for(app: Flask, key: str) -> dict[str, str]:
    """URL → outlet name of the articles accepted for the demo event ``key``."""
    with app.app_context():
        rows = db.session.execute(
            select(Article.url, Outlet.name).join(Match, Match.article_id == Article.id)
            .join(Event, Event.id == Match.event_id).join(Campaign)
            .join(Outlet, Outlet.id == Article.outlet_id)
            .where(Campaign.slug == SLUG, Event.key == key, Match.status == "accepted")).all()
        db.session.remove()
    return dict(rows)


def test_paste_links_with_progress_and_by_hand(log_in, live_app, pages_server) -> None:
    """Two pasted links: the WeChat article is fetched, read and attached under its account's
    outlet; the verification page gets the form by hand, which keeps the link."""
    wechat, verify = pages_server.url("/s/skills"), pages_server.url("/s/verify")
    page = log_in("officer")
    page.goto(f"/campaigns/{SLUG}")
    page.locator("#links-link").click()
    page.select_option("#links-event", "rally")
    page.fill("#links-text", f"{wechat}\n{verify}\n")
    page.get_by_role("button", name="抓取并归入").click()
    expect(page.locator("#links-count")).to_have_text("已处理 2 / 2")
    rows = page.locator("tr.link-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_attribute("data-status", "stored")
    expect(rows.nth(0)).to_contain_text("职工技能竞赛在合肥启动")
    expect(rows.nth(1)).to_have_attribute("data-status", "unreadable")

    by_hand = rows.nth(1).locator("form.by-hand")
    by_hand.locator("input[name=title]").fill("省总工会慰问一线职工")
    by_hand.locator("select[name=outlet_id]").select_option(label="安徽日报")
    by_hand.locator("input[name=date]").fill("2006-04-28")
    by_hand.get_by_role("button", name="手工填写后归入").click()
    expect(page.locator(".flash")).to_contain_text("省总工会慰问一线职工")
    found = accepted_for(live_app, "rally")
    assert (found.get(wechat), found.get(verify)) == ("安徽工人日报", "安徽日报")


def add_article(app: Flask, title: str) -> int:
    """An article of 安徽日报 in the live server's database; its id."""
    with app.app_context():
        outlet = db.session.scalar(select(Outlet).where(Outlet.name == "安徽日报"))
        url = f"http://attach.test/{next(_numbers)}.htm"
        article = Article(outlet=outlet, url=url, title=title, day=20060428,
                          published_at=datetime(2006, 4, 28, 8, tzinfo=BEIJING))
        db.session.add(article)
        db.session.flush()
        db.session.add(ArticleUrl(url=url, article_id=article.id))
        db.session.commit()
        article_id = article.id
        db.session.remove()
    return article_id


def choose_event(page: Page, form: str, title: str) -> None:
    page.locator(f"{form} select[name=event_id]").select_option(label=title)


def test_attach_from_article_page_and_search(log_in, live_app) -> None:
    """归入活动 on an article's page, then two ticked search results at once."""
    with live_app.app_context():
        briefing = db.session.scalar(select(Event).join(Campaign).where(
            Campaign.slug == SLUG, Event.key == "press-briefing")).title
        db.session.remove()
    first = add_article(live_app, "归入测试通讯甲")
    add_article(live_app, "归入测试通讯乙")
    page = log_in("officer")
    page.goto(f"/articles/{first}")
    choose_event(page, "form.attach-form", briefing)
    page.locator("form.attach-form").get_by_role("button", name="归入活动").click()
    expect(page.locator(".flash")).to_contain_text("归入")
    assert page.url.endswith(f"/articles/{first}")

    page.goto("/articles?q=归入测试通讯")
    boxes = page.locator("input[name=article_ids][form=attach-form]")
    expect(boxes).to_have_count(2)
    boxes.nth(0).check()
    boxes.nth(1).check()
    choose_event(page, "#attach-form", briefing)
    page.get_by_role("button", name="将所选归入活动").click()
    expect(page.locator(".flash")).to_contain_text("2")
    attached = [url for url in accepted_for(live_app, "press-briefing") if "attach.test" in url]
    assert len(attached) == 2
