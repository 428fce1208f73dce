"""The pages an admin opens most, at a phone's 390 px, in Chinese and in English: none scrolls
sideways (long titles, URLs and wide tables wrap or scroll inside their own box), and the top
navigation keeps every label whole and on screen.

The data is a campaign of its own with a long-titled clipping and a matched article behind a
long URL, and a source with failed fetch runs, on an app of this module's own (the lists show
every row, so other tests' data would change what is measured); the demo campaign is only read.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page

from campaign.articles.models import Article, ArticleBody
from campaign.coverage.models import Clipping, Match
from campaign.extensions import db
from campaign.planning.demo import DEMO_SLUG
from campaign.planning.models import Campaign
from campaign.sources.models import FetchRun, Source
from tests.browser.conftest import LiveServer, campaign_of_its_own, demo_app, serving

pytestmark = pytest.mark.browser

SLUG = "phone-layout"
LONG_URL = ("http://paper.phone-layout.test/html/2006-04/28/content_"
            "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz.htm")
LONG_TITLE = "当好主力军、建功十一五——全省职工庆祝五一暨动员大会在合肥隆重召开，省委书记出席并讲话"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """This module's own app (the demo and the data below): the pages measured list every
    campaign, article and source, so what other browser tests add must not be on them."""
    with demo_app(tmp_path_factory.mktemp("phone-instance")) as application:
        yield application


@pytest.fixture(scope="module")
def live_server(live_app: Flask) -> Iterator[LiveServer]:
    with serving(live_app) as server:
        yield server


@pytest.fixture(scope="module")
def layout_data(live_app: Flask) -> dict[str, int]:
    """The campaign, article and source the pages show (created once, found afterwards)."""
    with live_app.app_context():
        article = db.session.scalar(db.select(Article).where(Article.url == LONG_URL))
        if article is None:
            article = _create(live_app)
        source_id = article.source_id
        return {"article": article.id, "source": source_id}


def _create(live_app: Flask) -> Article:
    event, outlet = campaign_of_its_own(SLUG, "手机版面测试宣传月", key="rally",
                                        title="庆祝五一暨动员大会", type="rally",
                                        day=date(2006, 4, 27))
    source = Source(outlet=outlet, type="html", name="要闻列表", url=LONG_URL.replace(
        "content_", "list_"), consecutive_failures=2, last_error_kind="http_error",
        last_error_message="server answered HTTP 503")
    db.session.add(source)
    db.session.flush()
    started = datetime(2006, 4, 28, 1, tzinfo=UTC)
    for n, (outcome, error) in enumerate([("ok", None), ("error", "http_error: HTTP 503")]):
        db.session.add(FetchRun(source_id=source.id, trigger="manual", outcome=outcome,
                                error=error, started_at=started + timedelta(hours=n),
                                finished_at=started + timedelta(hours=n, minutes=1)))
    article = Article(url=LONG_URL, outlet_id=outlet.id, source_id=source.id, title=LONG_TITLE,
                      published_at=started, day=20060428, page_number=1, genre="消息",
                      body=ArticleBody(text="全省职工动员大会隆重召开。" * 20))
    db.session.add(article)
    db.session.flush()
    db.session.add(Match(event_id=event.id, article_id=article.id, status="accepted",
                         day=article.day, explanation={}))
    db.session.add(Clipping(event_id=event.id, outlet_id=outlet.id, published_on=date(2006, 4, 28),
                            page="第01版 要闻", page_number=1, genre="消息", title=LONG_TITLE))
    db.session.commit()
    return article


def pages(data: dict[str, int]) -> list[str]:
    return ["/campaigns", f"/campaigns/{SLUG}", "/articles", f"/articles/{data['article']}",
            "/sources", f"/sources/{data['source']}", f"/campaigns/{SLUG}/exports",
            f"/campaigns/{SLUG}/exports/print", f"/campaigns/{SLUG}/dashboard",
            f"/campaigns/{DEMO_SLUG}/events/column-model-workers/dashboard",
            f"/campaigns/{SLUG}/review", "/outlets", "/admin/tokens"]


def choose_language(page: Page, name: str) -> None:
    """Press the language button in the top bar unless the page is already in that language."""
    button = page.locator(".usernav button[name=locale]", has_text=name)
    if button.count():
        with page.expect_navigation():
            button.click()


def overflowing(page: Page, paths: list[str]) -> dict[str, int]:
    """Each path whose page is wider than the window, with its scroll width."""
    wide = {}
    for path in paths:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.viewport_size["width"]:
            wide[path] = width
    return wide


@pytest.mark.parametrize("language", ["简体中文", "English"])
def test_no_page_scrolls_sideways_on_a_phone(log_in, layout_data, language: str) -> None:
    """At 390 px none of the admin's pages is wider than the screen, in either language."""
    page = log_in("admin")
    choose_language(page, language)
    page.set_viewport_size(PHONE)
    assert overflowing(page, pages(layout_data)) == {}


@pytest.mark.parametrize("language", ["简体中文", "English"])
def test_nav_labels_stay_whole_and_on_screen(log_in, language: str) -> None:
    """At 390 px each top-nav link is one line inside the window (no label broken between
    characters, the last one, API tokens, reachable)."""
    page = log_in("admin")
    choose_language(page, language)
    page.set_viewport_size(PHONE)
    page.goto("/campaigns")
    for link in page.locator(".mainnav a").all():
        box = link.bounding_box()
        line = link.evaluate("a => parseFloat(getComputedStyle(a).lineHeight)")
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        assert box["height"] < 1.5 * line, f"{link.inner_text()!r} wraps: {box}"


@pytest.mark.xfail(strict=True, raises=AssertionError, reason=(
    "known bug: the campaign list does not wrap a name without breaks; /campaigns grew to "
    "640 px at 390 px when a random order ran test_untrusted's campaign first. A stylesheet "
    "fix turns this into an unexpected pass: then drop the mark"))
def test_a_campaign_name_without_breaks_wraps_in_the_list(log_in, live_app) -> None:
    """A campaign name without a break (here a pasted URL) wraps in the campaign list at
    390 px instead of widening the page."""
    with live_app.app_context():
        campaign = Campaign(name=f"宣传月{LONG_URL}", slug="no-breaks", starts_on=date(2006, 4, 25),
                            ends_on=date(2006, 5, 25))
        db.session.add(campaign)
        db.session.commit()
        campaign_id = campaign.id
    try:
        page = log_in("admin")
        page.set_viewport_size(PHONE)
        assert overflowing(page, ["/campaigns"]) == {}
    finally:
        with live_app.app_context():
            db.session.delete(db.session.get(Campaign, campaign_id))
            db.session.commit()
