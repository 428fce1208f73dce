"""Screenshots of accepted web articles (MEDIA_SCREENSHOTS) taken by the real Chromium in the
media pass: beside the archived copy, with the browser named by MEDIA_BROWSER, from a thread
where an asyncio loop runs, and behind the fetcher's own address guard — the allow-list of
SOURCE_ALLOW_HOSTS, host and port — for every request and every redirect the page makes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image

from campaign.articles.models import ArticleMedia
from campaign.ingest.media import keep_media
from campaign.ingest.scheduler import make_poller
from scrapers.fetch import Fetcher, FetchSettings
from tests.plugins.services import unavailable
from tests.scrapers.scraper_server import LocalServer, Reply, serving
from tests.sources.media_stories import (
    PAGE_HTML,
    SHOT_PAGE,
    answers,
    page_png,
    settle,
    web_story,
)

CHROMIUM = "/usr/bin/chromium"


def needs_chromium() -> None:
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} is missing: install Debian's chromium")


@pytest.fixture
def internal() -> Iterator[LocalServer]:
    """A service on the tracker's machine (another port of 127.0.0.1, not allow-listed)."""
    with serving() as local:
        local.route("/admin", Reply(body=b"<h1>internal admin</h1>"))
        local.route("/secret.png", Reply(body=page_png((60, 60)), content_type="image/png"))
        yield local


@pytest.fixture
def guarded_fetcher(app: Flask, server: LocalServer, monkeypatch: pytest.MonkeyPatch
                    ) -> Iterator[Fetcher]:
    """The fetcher the scheduler's media job uses (`make_poller`), with screenshots on: its
    guard refuses local addresses except the article site's host:port, allow-listed in
    SOURCE_ALLOW_HOSTS."""
    needs_chromium()
    settle(app, monkeypatch, SOURCE_ALLOW_HOSTS=f"127.0.0.1:{server.port}",
           FETCH_MIN_DELAY="0", FETCH_RETRIES="0", MEDIA_SCREENSHOTS="true",
           MEDIA_BROWSER=CHROMIUM)
    poller = make_poller(app, workers=1)
    try:
        yield poller.fetcher
    finally:
        poller.stop()
        poller.fetcher.close()


def redirect(to: str) -> Reply:
    return Reply(status=302, body=b"", headers={"Location": to})


def test_a_page_redirecting_the_browser_to_an_internal_address_is_noted_not_shot(
        make, db, server, internal, guarded_fetcher, media_folder) -> None:
    """An article page that redirects the browser (not the fetcher) to a local service: the
    archived copy is kept, no screenshot, a note on the article naming the refused address,
    and the service never gets a request."""
    server.route("/news/1.html", answers(Reply(body=PAGE_HTML), redirect(internal.url("/admin"))))
    article = web_story(make, db, server.url("/news/1.html"))
    report = keep_media(guarded_fetcher)
    row = db.session.get(ArticleMedia, article.id)
    assert (report.archives, report.screenshots) == (1, 0)
    assert server.paths().count("/news/1.html") == 2
    assert row.archive_path and not row.screenshot_path
    assert "截图未能保存" in row.note and internal.url("/admin") in row.note
    assert internal.requests == []


def test_an_image_redirected_to_an_internal_address_is_never_asked_for(
        make, db, server, internal, guarded_fetcher, media_folder) -> None:
    """An image on the article page that redirects, hop by hop, to a local service: the
    screenshot is kept without it, and the service never gets a request."""
    server.route("/news/2.html", Reply(
        body=b'<html><body><h1>news</h1><img src="/img/hop"></body></html>'))
    server.route("/img/hop", redirect("/img/hop2"))
    server.route("/img/hop2", redirect(internal.url("/secret.png")))
    article = web_story(make, db, server.url("/news/2.html"))
    report = keep_media(guarded_fetcher)
    row = db.session.get(ArticleMedia, article.id)
    assert report.screenshots == 1, report.skipped
    assert row.screenshot_path and "/img/hop2" in server.paths()
    assert internal.requests == []


def test_media_screenshots_takes_a_browser_screenshot_beside_the_archived_copy(
        make, db, app, client, login, server, media_folder, monkeypatch) -> None:
    """Off by default: an accepted web article is archived with no screenshot. With
    MEDIA_SCREENSHOTS the next one is also drawn by Chromium (MEDIA_BROWSER): the page's own
    background and its allowed image loaded, the request the fetcher's URL guard refuses never
    made; the PNG is kept, served, and shown on the article page beside 存档."""
    needs_chromium()
    server.route("/img/ok.png", Reply(body=page_png((40, 40)), content_type="image/png"))
    server.route("/news/1.html", Reply(body=SHOT_PAGE))
    server.route("/news/2.html", Reply(body=SHOT_PAGE))

    def guard(url: str) -> str | None:
        return "private" if "/private/" in url else None

    settings = FetchSettings(min_delay=0.0, retries=0, read_timeout=5.0, url_guard=guard)
    with Fetcher(settings) as fetcher:
        plain = web_story(make, db, server.url("/news/1.html"))
        assert keep_media(fetcher).screenshots == 0
        settle(app, monkeypatch, MEDIA_SCREENSHOTS="true", MEDIA_BROWSER="/usr/bin/chromium")
        shot = web_story(make, db, server.url("/news/2.html"))
        report = keep_media(fetcher)
    assert (report.archives, report.screenshots) == (1, 1), report.skipped
    row = db.session.get(ArticleMedia, shot.id)
    assert db.session.get(ArticleMedia, plain.id).screenshot_path == ""
    assert row.archive_path and row.screenshot_path and row.note == ""
    with Image.open(media_folder / row.screenshot_path) as image:
        assert image.format == "PNG" and image.width == 1280
        assert image.convert("RGB").getpixel((image.width - 1, image.height - 1)) == (200, 30, 30)
    assert "/img/ok.png" in server.paths() and "/private/secret.png" not in server.paths()
    login("leader")
    served = client.get(f"/articles/{shot.id}/screenshot.png")
    assert served.status_code == 200 and served.mimetype == "image/png"
    page = client.get(f"/articles/{shot.id}").get_data(as_text=True)
    assert f'src="/articles/{shot.id}/screenshot.png"' in page and "存档" in page


def test_media_browser_names_the_browser_screenshots_are_taken_with(
        make, db, app, server, fetcher, media_folder, monkeypatch, tmp_path) -> None:
    """With MEDIA_BROWSER naming no browser, the article is still archived and the note says
    which browser was missing."""
    missing = tmp_path / "no-such-browser"
    settle(app, monkeypatch, MEDIA_SCREENSHOTS="true", MEDIA_BROWSER=str(missing))
    server.route("/news/1.html", Reply(body=SHOT_PAGE))
    article = web_story(make, db, server.url("/news/1.html"))
    report = keep_media(fetcher)
    row = db.session.get(ArticleMedia, article.id)
    assert report.archives == 1 and row.archive_path and not row.screenshot_path
    assert "截图未能保存" in row.note and str(missing) in row.note


def test_screenshots_are_taken_from_a_thread_where_an_asyncio_loop_runs(
        make, db, app, server, fetcher, media_folder, monkeypatch) -> None:
    """Playwright's synchronous API refuses a thread with a running asyncio loop: the camera
    drives the browser on a thread of its own, so a media pass called from such a thread (as
    code that mixes in asyncio does) still keeps its screenshot."""
    import asyncio

    needs_chromium()
    settle(app, monkeypatch, MEDIA_SCREENSHOTS="true", MEDIA_BROWSER="/usr/bin/chromium")
    server.route("/news/1.html", Reply(body=SHOT_PAGE))
    article = web_story(make, db, server.url("/news/1.html"))

    async def in_a_loop():  # a running loop, nothing to await
        return keep_media(fetcher)

    try:
        asyncio.get_running_loop()  # a loop runs here already (this worker ran browser tests)
    except RuntimeError:
        report = asyncio.run(in_a_loop())
    else:
        report = keep_media(fetcher)
    assert report.screenshots == 1, report.skipped
    assert db.session.get(ArticleMedia, article.id).screenshot_path
