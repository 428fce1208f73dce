"""Clipping images in the browser: the print page shows every accepted e-paper piece's clipping,
loaded (natural size above zero), and the article page's clipping opens the whole page."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from PIL import Image, ImageDraw

from campaign.articles.media import keep_file
from campaign.articles.models import Article, ArticleMedia, day_number
from campaign.coverage.models import Match
from campaign.extensions import db
from campaign.planning.models import Campaign, Event
from scrapers.clipping import crop_clipping
from tests.browser.conftest import campaign_of_its_own

pytestmark = pytest.mark.browser
SLUG = "clippings-browser"
STORIES = ["20,40,280,40,280,200,20,200", "320,40,580,40,580,400,320,400"]


def _page_image() -> bytes:
    image = Image.new("RGB", (600, 880), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 40, 280, 200), fill=(30, 30, 30))
    draw.rectangle((320, 40, 580, 400), fill=(90, 90, 90))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def clipped_campaign(live_app) -> list[int]:
    """A campaign of its own with two accepted e-paper pieces, each with its clipping kept in
    the app's media folder; returns their article ids."""
    with live_app.app_context():
        if db.session.query(Campaign).filter_by(slug=SLUG).first() is None:
            event, outlet = campaign_of_its_own(SLUG, "剪报测试宣传月", key="rally",
                                                title="动员大会", type="rally",
                                                day=date(2006, 4, 27))
            page = _page_image()
            stored_page = keep_file("pages", page, ".png")
            for n, coords in enumerate(STORIES, start=1):
                article = Article(url=f"http://paper.test/html/2006-04/28/content_{n}.htm",
                                  outlet_id=outlet.id, title=f"动员大会报道{n}",
                                  published_at=datetime(2006, 4, 27, 16, tzinfo=UTC),
                                  day=day_number(date(2006, 4, 28)), page_number=1,
                                  page_name="要闻")
                db.session.add(article)
                db.session.flush()
                clip = crop_clipping(page, [coords])
                db.session.add(ArticleMedia(
                    article_id=article.id, page_image_url="http://paper.test/pic/01.png",
                    area_coords=coords, page_image_path=stored_page.path,
                    clipping_path=keep_file("clippings", clip.png, ".png").path,
                    crop_left=clip.box.left, crop_top=clip.box.top, crop_right=clip.box.right,
                    crop_bottom=clip.box.bottom, page_width=600, page_height=880))
                db.session.add(Match(event_id=event.id, article_id=article.id,
                                     status="accepted", score=0.95, auto=True, day=article.day))
            db.session.commit()
        return list(db.session.scalars(
            db.select(Match.article_id).join(Event)
            .where(Event.key == "rally", Event.campaign.has(slug=SLUG))
            .order_by(Match.article_id)))


def test_print_page_shows_each_clipping_loaded(log_in, clipped_campaign, page, screenshots):
    """Every accepted e-paper piece's clipping is on the print page and loaded (its
    naturalWidth > 0); a screenshot is kept."""
    log_in("officer")
    page.goto(f"/campaigns/{SLUG}/exports/print")
    images = page.locator(".clipping img")
    assert images.count() == len(clipped_campaign) == 2
    page.wait_for_function(
        "() => [...document.querySelectorAll('.clipping img')].every(i => i.complete)")
    widths = images.evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
    assert all(width > 0 for width in widths), widths
    page.screenshot(path=str(screenshots / "print-clippings.png"), full_page=True)


def test_article_clipping_opens_the_whole_page(log_in, clipped_campaign, page):
    """On the article page the clipping links the whole page image, which loads."""
    log_in("leader")
    page.goto(f"/articles/{clipped_campaign[0]}")
    clipping = page.locator(".clipping-full img")
    assert clipping.evaluate("i => i.complete && i.naturalWidth > 0")
    page.click(".clipping-full a")
    page.wait_for_load_state()
    assert page.url.endswith(f"/articles/{clipped_campaign[0]}/page-image")
    size = page.evaluate("() => [document.images[0].naturalWidth, "
                         "document.images[0].naturalHeight]")
    assert size == [600, 880]


HOSTILE = (b"<html><head><title>original</title></head><body onload=\"document.title='onload'\">"
           b"<p id=text>\xe5\x8e\x9f\xe6\x96\x87</p><script>document.title='pwned';"
           b"document.getElementById('text').textContent='changed';</script></body></html>")


@pytest.fixture(scope="module")
def hostile_archive(live_app, clipped_campaign) -> int:
    """An archived copy whose HTML tries to run script; returns its article id."""
    with live_app.app_context():
        article_id = clipped_campaign[1]
        row = db.session.get(ArticleMedia, article_id)
        row.archive_path = keep_file("archives", HOSTILE, ".html").path
        db.session.commit()
        return article_id


def test_archived_copy_runs_no_script(log_in, hostile_archive, page):
    """An archived copy opens as a sandboxed document: its inline script and onload handler
    do not run, and its text is there as archived."""
    log_in("leader")
    page.goto(f"/articles/{hostile_archive}/archive")
    assert page.title() == "original"
    assert page.locator("#text").inner_text() == "原文"
    assert page.evaluate("() => window.origin") == "null"
