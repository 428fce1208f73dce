"""The dashboards in a real browser (headless Chromium): every chart renders from the app's own
plotly.js, a click on a bar opens the pieces behind it, and the page fits a phone.

Screenshots at desktop and phone widths go to test-output/screenshots/dashboard*.png. Through
the `page` fixture every test also proves that no request left 127.0.0.1. The module has an app
of its own, so the counts it reads do not depend on which browser tests ran before.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from playwright.sync_api import Page

from campaign.articles.models import Article
from campaign.coverage.models import Clipping, Match
from campaign.extensions import db
from campaign.planning.demo import DEMO_SLUG
from campaign.planning.models import Event, Outlet
from campaign.reprints.models import ReprintGroup
from tests.browser.conftest import LiveServer, demo_app, serving, wait_for_charts
from tests.browser.layout import PHONE, WIDTHS, clipped, lines
from tests.browser.layout import box as box_of

pytestmark = pytest.mark.browser

DASHBOARD = f"/campaigns/{DEMO_SLUG}/dashboard"
BEIJING = ZoneInfo("Asia/Shanghai")
URL_PREFIX = "http://dashboard-test.local/"
# (event key, outlet, day, page, title, reprint of the first piece of its event)
PIECES = [
    ("rally", "安徽日报", date(2006, 4, 28), 1, "庆祝五一暨动员大会隆重召开", False),
    ("rally", "工人日报", date(2006, 4, 29), 2, "安徽：当好主力军 建功十一五", True),
    ("rally", "新安晚报", date(2006, 4, 28), 3, "全省职工动员大会侧记", True),
    ("rally", "合肥日报", date(2006, 4, 28), 1, "<script>alert(1)</script>动员大会", False),
    ("rally", "新华社", date(2006, 4, 27), None, "安徽召开劳动者动员大会", False),
    ("press-briefing", "安徽日报", date(2006, 4, 26), 2, "宣传月新闻通气会举行", False),
    ("press-briefing", "人民日报", date(2006, 4, 26), 4, "安徽工会宣传月启动", False),
    ("send-off", "安徽工人日报", date(2006, 4, 25), 1, "欢送劳模赴京", False),
    ("hotline-broadcast", "安徽人民广播电台", date(2006, 5, 13), None, "政风行风热线", False),
]


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """This module's own app (the demo and the coverage below): the charts and counts read the
    whole demo campaign, which other browser tests change (the review test decides matches)."""
    with demo_app(tmp_path_factory.mktemp("dashboards-instance")) as application:
        yield application


@pytest.fixture(scope="module")
def live_server(live_app: Flask) -> Iterator[LiveServer]:
    with serving(live_app) as server:
        yield server


@pytest.fixture(scope="module")
def coverage(live_app: Flask) -> None:
    """A few accepted articles (a reprint group among them) and a clipping in the demo."""
    with live_app.app_context():
        if db.session.scalar(db.select(Article).where(Article.url.startswith(URL_PREFIX))):
            return
        events = {e.key: e for e in db.session.scalars(db.select(Event))}
        outlets = {o.name: o for o in db.session.scalars(db.select(Outlet))}
        group = ReprintGroup(size=3)
        db.session.add(group)
        db.session.flush()
        for n, (key, outlet, day, page, title, reprint) in enumerate(PIECES):
            published = datetime.combine(day, time(7), tzinfo=BEIJING)
            in_group = key == "rally" and n < 3
            article = Article(url=f"{URL_PREFIX}{n}", outlet_id=outlets[outlet].id,
                              title=title, published_at=published,
                              day=day.year * 10000 + day.month * 100 + day.day,
                              page_number=page, genre="消息",
                              reprint_group_id=group.id if in_group else None,
                              is_original=not reprint)
            db.session.add(article)
            db.session.flush()
            db.session.add(Match(event_id=events[key].id, article_id=article.id,
                                 status="accepted", day=article.day, explanation={}))
        db.session.add(Clipping(event_id=events["rally"].id, outlet_id=outlets["安徽电视台"].id,
                                published_on=date(2006, 4, 27), genre="消息",
                                title="安徽新闻联播：动员大会"))
        db.session.commit()


def test_leader_sees_every_chart_on_desktop_and_phone(log_in, coverage, screenshots,
                                                      traffic) -> None:
    """A leader's campaign dashboard draws all its charts with the app's plotly.js, at
    1280 px and at 390 px (tiles wrap, no sideways scrolling), and escapes scraped titles."""
    page = log_in("leader")
    page.goto(DASHBOARD)
    assert wait_for_charts(page) == 5
    assert page.locator(".kpi[data-kpi=pieces] .kpi-value").inner_text() == "10"
    assert any("/dashboards/plotly.min.js" in url for url in traffic.urls)
    assert page.locator("script:not([src]):not([type])").count() == 0
    page.screenshot(path=str(screenshots / "dashboard-desktop.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    wait_for_charts(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone: {width}px"
    for box in page.locator(".chart").all():
        assert box.bounding_box()["width"] <= 390
    tiles = page.locator(".kpi").all()
    assert tiles[1].bounding_box()["y"] == tiles[0].bounding_box()["y"]  # two per row
    assert tiles[2].bounding_box()["y"] > tiles[0].bounding_box()["y"]
    page.screenshot(path=str(screenshots / "dashboard-phone.png"), full_page=True)
    assert "<script>alert(1)</script>动员大会" in page.locator("#section-page-one").inner_text()


def test_click_on_a_bar_opens_its_pieces(log_in, coverage) -> None:
    """Clicking a bar of the daily chart opens the list of the pieces behind it."""
    page = log_in("leader")
    page.goto(DASHBOARD)
    wait_for_charts(page)
    bar = page.locator("#chart-daily .bars .point path").first
    box = bar.bounding_box()
    assert box is not None
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert "/dashboard/pieces?" in page.url
    assert page.locator("tr.piece-row").count() >= 1


def test_event_dashboard_on_a_phone(log_in, coverage, screenshots) -> None:
    """The rally's dashboard renders its charts on a phone, with its coverage list."""
    page = log_in("leader")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/campaigns/{DEMO_SLUG}/events/rally/dashboard")
    assert wait_for_charts(page) == 3
    assert page.locator("#section-pieces tr.piece-row").count() == 6
    page.screenshot(path=str(screenshots / "dashboard-event-phone.png"), full_page=True)


def test_new_campaign_dashboard_says_what_to_do(log_in, live_app) -> None:
    """A campaign without coverage shows the next steps to an officer, and no empty chart."""
    from campaign.planning.models import Campaign

    with live_app.app_context():
        if db.session.scalar(db.select(Campaign).where(Campaign.slug == "empty-2007")) is None:
            db.session.add(Campaign(name="2007年宣传月", slug="empty-2007",
                                    starts_on=date(2007, 4, 25), ends_on=date(2007, 5, 25)))
            db.session.commit()
    page = log_in("officer")
    page.goto("/campaigns/empty-2007/dashboard")
    assert page.locator("#next-steps li").count() == 3
    assert page.locator(".chart").count() == 0


def modebar_titles(page: Page) -> list[str]:
    """The title of every modebar button of every chart on the page."""
    return page.locator(".modebar-btn").evaluate_all("bs => bs.map(b => b.dataset.title)")


def test_modebar_offers_no_cloud_and_stays_local(log_in, coverage, tmp_path) -> None:
    """Each chart's modebar holds only the PNG download: no share/Chart Studio button, no
    plotly logo link, and using it sends no request beyond 127.0.0.1 (the page fixture)."""
    page = log_in("leader")
    page.goto(DASHBOARD)
    charts = wait_for_charts(page)
    page.hover("#chart-daily")
    assert page.locator(".modebar-btn").count() == charts
    assert set(modebar_titles(page)) == {"下载图表（PNG）"}
    assert page.locator("a[href*='plotly'], a[href*='plot.ly']").count() == 0
    with page.expect_download() as download:
        page.locator("#chart-daily .modebar-btn").click()
    assert download.value.suggested_filename.endswith(".png")
    download.value.save_as(tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")


def test_modebar_speaks_english_on_english_pages(log_in, coverage) -> None:
    """On a page in English, plotly's modebar tooltip is plotly's own English."""
    page = log_in("leader")
    with page.expect_navigation():
        page.click(".usernav button[name=locale][value=en]")
    page.goto(DASHBOARD)
    wait_for_charts(page)
    assert set(modebar_titles(page)) == {"Download plot as a PNG"}


def test_reprint_tag_sits_beside_the_title_on_a_phone(log_in, coverage) -> None:
    """In the rally's pieces list the 转载 tag is in the title cell, so it shows on a phone,
    where the genre column is hidden."""
    page = log_in("leader")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/campaigns/{DEMO_SLUG}/events/rally/dashboard")
    row = page.locator("#section-pieces tr.piece-row", has_text="安徽：当好主力军 建功十一五")
    tag = row.locator("td", has_text="安徽：当好主力军").locator(".tag", has_text="转载")
    assert tag.is_visible()
    assert row.locator("td:nth-child(5) .tag").count() == 0


# The widest split a tile shows for this campaign: every one of its 11 events covered.
WIDEST_SPLIT = "11 / 11"


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_dashboard_reads_at_a_glance(log_in, coverage, screenshots, width: str) -> None:
    """At 1366 px and 390 px: each outlet name of the 头版稿件 table is on one line; each tier
    of a tile's split stays on one line ("省级 11 / 11", never "省 / 级 11 / 11") even at its
    widest; the heatmap's rotated event labels lie whole inside the chart and its card has no
    band of white below the chart; on a phone the first figure is in the upper half of the
    first screen (the filter form does not fill it)."""
    page = log_in("leader")
    page.set_viewport_size(WIDTHS[width])
    page.goto(DASHBOARD)
    wait_for_charts(page)
    page.screenshot(path=str(screenshots / f"dashboard-glance-{width}.png"), full_page=True)
    outlets = page.locator("#section-page-one tr.piece-row td:nth-child(2)").all()
    assert outlets and [lines(td) for td in outlets] == [1] * len(outlets)
    page.locator(".kpi-tiers dd").evaluate_all(
        f"dds => dds.forEach(dd => {{ dd.textContent = '{WIDEST_SPLIT}'; }})")
    for split in page.locator(".kpi-tiers > div").all():
        assert (lines(split.locator("dt")), lines(split.locator("dd"))) == (1, 1), \
            split.inner_text()
        assert not clipped(split), split.inner_text()
    chart = box_of(page.locator("#chart-heatmap .main-svg").first)
    for label in page.locator("#chart-heatmap .xtick text").all():
        drawn = box_of(label)
        assert drawn["x"] >= chart["x"] - 1 and drawn["y"] >= chart["y"] - 1, \
            f"cut: {label.text_content()} {drawn} {chart}"
        assert drawn["x"] + drawn["width"] <= chart["x"] + chart["width"] + 1
    card = box_of(page.locator("#section-heatmap"))
    below = card["y"] + card["height"] - (chart["y"] + chart["height"])
    assert below <= 30, f"{below:.0f} px of white space below the heatmap"
    if width == "phone":
        first = box_of(page.locator(".kpi").first)
        assert first["y"] <= PHONE["height"] / 2, f"the first figure starts at {first['y']} px"
