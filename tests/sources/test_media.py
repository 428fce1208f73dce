"""The media pass (`campaign.ingest.media.keep_media`) against a local server: page images cut
into clippings, bad input noted on the article and skipped, the size caps, the walk's page
references kept with the stored articles."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from campaign.articles import media as media_module
from campaign.articles.incoming import IncomingArticle, PageImageRef
from campaign.articles.media import folder_bytes, remember_page_images, stored_bytes
from campaign.articles.models import Article, ArticleMedia, MediaUsage
from campaign.articles.store import store_articles
from campaign.core.times import utcnow
from campaign.coverage.models import Match
from campaign.ingest.media import MAX_TRIES, RETRY_FIRST, keep_media
from scrapers.fetch import Fetcher, FetchSettings
from tests.html import soup
from tests.scrapers.scraper_server import Reply
from tests.sources.media_stories import (
    PAGE_HTML,
    UNAVAILABLE,
    answers,
    matched_story,
    page_png,
    settle,
    time_passes,
    web_story,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_matched_story_is_cut_from_its_page_image(make, db, server, fetcher,
                                                    media_folder) -> None:
    """A suggested e-paper story gets its clipping and page image kept, with its crop box."""
    server.route("/pic/01.png", Reply(body=page_png(), content_type="image/png"))
    row = matched_story(make, db, server.url("/pic/01.png"))
    report = keep_media(fetcher)
    db.session.refresh(row)
    assert (report.pages, report.clippings, report.skipped) == (1, 1, [])
    assert row.clipping_path and row.page_image_path and row.note == ""
    assert (row.page_width, row.page_height) == (600, 880)
    assert row.crop_left is not None and 0 < 20 - row.crop_left <= 8
    assert (media_folder / row.clipping_path).is_file()


def test_a_page_shared_by_two_stories_is_fetched_once(make, db, server, fetcher,
                                                      media_folder) -> None:
    """Two stories of one page: one request for the page image, two clippings."""
    server.route("/pic/01.png", Reply(body=page_png(), content_type="image/png"))
    rows = [matched_story(make, db, server.url("/pic/01.png")),
            matched_story(make, db, server.url("/pic/01.png"), coords="300,40,580,40,580,200")]
    report = keep_media(fetcher)
    assert [seen.path for seen in server.requests].count("/pic/01.png") == 1
    assert report.clippings == 2
    for row in rows:
        db.session.refresh(row)
        assert row.clipping_path


def test_page_images_are_fetched_with_the_fetchers_politeness(make, db, server,
                                                              media_folder) -> None:
    """Two page images of one site are asked for at least the fetcher's minimum delay apart
    (on a clock the test keeps: the fetcher's waits move it on instead of sleeping)."""
    now = [0.0]
    asked: list[tuple[str, float]] = []

    def image(seen: Any) -> Reply:
        asked.append((seen.path, now[0]))
        return Reply(body=page_png(), content_type="image/png")

    def wait(seconds: float) -> None:
        now[0] += seconds

    for name in ("a", "b"):
        server.route(f"/pic/{name}.png", image)
        matched_story(make, db, server.url(f"/pic/{name}.png"))
    settings = FetchSettings(min_delay=30.0, retries=0, read_timeout=5.0, trust_env=False)
    with Fetcher(settings, sleep=wait, clock=lambda: now[0]) as polite:
        assert keep_media(polite).clippings == 2
    [(_, first), (_, second)] = asked
    assert second - first >= 30.0


def test_unmatched_and_rejected_stories_are_not_fetched(make, db, server, fetcher,
                                                        media_folder) -> None:
    """Only pages holding a suggested or accepted story are downloaded."""
    server.route("/pic/01.png", Reply(body=page_png(), content_type="image/png"))
    matched_story(make, db, server.url("/pic/01.png"), status="rejected")
    assert keep_media(fetcher).pages == 0
    assert "/pic/01.png" not in [seen.path for seen in server.requests]


@pytest.mark.parametrize(("reply", "words"), [
    (Reply(status=404, body=b"gone"), "版面图片未能下载"),
    (Reply(body=b"\x89PNG\r\n\x1a\n" + b"\0" * 40, content_type="image/png"), "版面图片不可用"),
    (Reply(body=page_png(fmt="JPEG")[:400], content_type="image/jpeg"), "版面图片不可用"),
    (Reply(body=b"<html>not found</html>", content_type="text/html"), "版面图片未能下载"),
], ids=["missing", "corrupt-png", "truncated-jpeg", "html-instead"])
def test_bad_page_images_are_noted_and_skipped(make, db, server, fetcher, media_folder,
                                               reply: Reply, words: str) -> None:
    """A missing, corrupt or truncated page image is noted on the article and nothing is
    kept; the next page of the pass is still cut."""
    server.route("/pic/bad.png", reply)
    server.route("/pic/good.png", Reply(body=page_png(), content_type="image/png"))
    bad = matched_story(make, db, server.url("/pic/bad.png"))
    good = matched_story(make, db, server.url("/pic/good.png"))
    report = keep_media(fetcher)
    db.session.refresh(bad)
    db.session.refresh(good)
    assert words in bad.note and not bad.clipping_path and not bad.page_image_path
    assert good.clipping_path and report.clippings == 1


def test_a_huge_page_image_is_refused_by_the_file_cap(make, db, server, fetcher, app,
                                                      media_folder, monkeypatch) -> None:
    """A page image over MEDIA_MAX_FILE_MB is not downloaded in full, and noted."""
    settle(app, monkeypatch, MEDIA_MAX_FILE_MB="0.001")
    server.route("/pic/big.png", Reply(body=page_png(), content_type="image/png"))
    row = matched_story(make, db, server.url("/pic/big.png"))
    keep_media(fetcher)
    db.session.refresh(row)
    assert "版面图片未能下载" in row.note and "larger than" in row.note
    assert folder_bytes(media_folder) == 0


def test_areas_outside_the_image_are_noted(make, db, server, fetcher, media_folder) -> None:
    """A story whose areas lie outside its page image is noted, with no clipping."""
    server.route("/pic/01.png", Reply(body=page_png(), content_type="image/png"))
    row = matched_story(make, db, server.url("/pic/01.png"), coords="900,900,990,990")
    keep_media(fetcher)
    db.session.refresh(row)
    assert "剪报未能裁切" in row.note and not row.clipping_path


def test_media_folder_is_where_files_are_kept(make, db, server, fetcher, app, tmp_path,
                                             monkeypatch) -> None:
    """MEDIA_FOLDER names the folder the page images and clippings are written to."""
    settle(app, monkeypatch, MEDIA_FOLDER=str(tmp_path / "shared-mount"))
    server.route("/pic/01.png", Reply(body=page_png(), content_type="image/png"))
    row = matched_story(make, db, server.url("/pic/01.png"))
    keep_media(fetcher)
    db.session.refresh(row)
    assert (tmp_path / "shared-mount" / row.clipping_path).is_file()


def test_media_keep_pdfs_makes_the_scheduler_keep_page_pdfs(make, db, server, app, tmp_path,
                                                            monkeypatch) -> None:
    """With MEDIA_KEEP_PDFS the scheduler's media job keeps the page PDF; without, not."""
    from campaign.ingest.scheduler import _media_job, make_poller

    monkeypatch.setitem(app.config, "MEDIA_FOLDER", str(tmp_path / "media"))
    server.route("/pic/01.png", Reply(body=page_png(), content_type="image/png"))
    server.route("/pdf/01.pdf", Reply(body=b"%PDF-1.4\n%%EOF", content_type="application/pdf"))
    rows = []
    for keep in ("false", "true"):
        settle(app, monkeypatch, MEDIA_KEEP_PDFS=keep, FETCH_MIN_DELAY="0")
        article_id = matched_story(make, db, server.url("/pic/01.png") + f"?{keep}",
                                   pdf_url=server.url("/pdf/01.pdf")).article_id
        poller = make_poller(app, workers=1)
        try:
            _media_job(app, poller)()
        finally:
            poller.stop()
            poller.fetcher.close()
        rows.append(db.session.execute(sa.select(
            ArticleMedia.clipping_path, ArticleMedia.page_pdf_path).where(
            ArticleMedia.article_id == article_id)).one())
    assert rows[0].clipping_path and not rows[0].page_pdf_path
    assert rows[1].clipping_path and rows[1].page_pdf_path


def test_a_pdf_that_is_not_one_is_noted(make, db, server, fetcher, media_folder) -> None:
    """With PDFs kept, a 'PDF' that is an HTML page is noted and not kept; the clipping
    still is."""
    server.route("/pic/01.png", Reply(body=page_png(), content_type="image/png"))
    server.route("/pdf/01.pdf", Reply(body=b"<html>login first</html>",
                                      content_type="application/pdf"))
    row = matched_story(make, db, server.url("/pic/01.png"), pdf_url=server.url("/pdf/01.pdf"))
    keep_media(fetcher, keep_pdfs=True)
    db.session.refresh(row)
    assert "不是PDF" in row.note and not row.page_pdf_path and row.clipping_path


def test_the_install_cap_stops_new_files(make, db, server, fetcher, app, media_folder,
                                         monkeypatch) -> None:
    """Past MEDIA_MAX_TOTAL_MB nothing more is written; the article says the folder is full."""
    settle(app, monkeypatch, MEDIA_MAX_TOTAL_MB="0.0001")
    server.route("/pic/01.png", Reply(body=page_png(), content_type="image/png"))
    row = matched_story(make, db, server.url("/pic/01.png"))
    keep_media(fetcher)
    db.session.refresh(row)
    assert "MEDIA_MAX_TOTAL_MB" in row.note and folder_bytes(media_folder) == 0


def test_a_second_pass_fetches_nothing_again(make, db, server, fetcher, media_folder) -> None:
    """What was kept (or noted) is not fetched again."""
    server.route("/pic/01.png", Reply(body=page_png(), content_type="image/png"))
    matched_story(make, db, server.url("/pic/01.png"))
    keep_media(fetcher)
    again = keep_media(fetcher)
    assert (again.pages, again.clippings) == (0, 0)


def test_stored_epaper_articles_keep_their_page_reference(make, db) -> None:
    """An e-paper article stored with its page image, PDF, areas and shown size keeps them in
    its media row; storing it again with other areas updates the row and asks for a new cut."""
    outlet = make.outlet()
    ref = PageImageRef("http://paper.test/pic/01.png", "http://paper.test/pdf/01.pdf",
                       ("1,2,3,4", "5,6,7,8"), (300, 440))
    item = IncomingArticle(url="http://paper.test/content_1.htm", title="标题",
                           body="正文" * 30, page_image=ref)
    store_articles(outlet, [item])
    remember_page_images([item])
    article_id = db.session.scalar(sa.select(Article.id).where(Article.url == item.url))
    row = db.session.get(ArticleMedia, article_id)
    assert (row.page_image_url, row.page_pdf_url, row.coords, row.shown_size) == (
        ref.image_url, ref.pdf_url, ["1,2,3,4", "5,6,7,8"], (300, 440))
    row.clipping_path = "clippings/old.png"
    moved = IncomingArticle(url=item.url, title="标题", body=item.body,
                            page_image=PageImageRef(ref.image_url, None, ("9,9,20,20",)))
    assert remember_page_images([moved]) == 1
    assert row.coords == ["9,9,20,20"] and row.clipping_path == ""


def test_cleanup_deletes_the_images_of_rejected_articles_only(make, db, app, server, fetcher,
                                                              media_folder) -> None:
    """`media-cleanup` forgets a rejected story's clipping and deletes its file, keeping the
    page image its still-suggested neighbour uses, and that neighbour's clipping."""
    server.route("/pic/01.png", Reply(body=page_png(), content_type="image/png"))
    kept = matched_story(make, db, server.url("/pic/01.png"))
    dropped = matched_story(make, db, server.url("/pic/01.png"), coords="300,40,580,40,580,400")
    keep_media(fetcher)
    db.session.refresh(dropped)
    dropped_clip = media_folder / dropped.clipping_path
    page_image = media_folder / dropped.page_image_path
    db.session.execute(sa.update(Match).where(Match.article_id == dropped.article_id)
                       .values(status="rejected"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["media-cleanup"])
    assert result.exit_code == 0, result.output
    assert "1 rejected articles cleaned, 1 files deleted" in result.output
    db.session.refresh(dropped)
    db.session.refresh(kept)
    assert dropped.clipping_path == "" and not dropped_clip.exists()
    assert page_image.is_file() and (media_folder / kept.clipping_path).is_file()


def test_a_failed_page_image_is_tried_again_once_its_wait_is_over(
        make, db, server, fetcher, media_folder) -> None:
    """A page image that answered 503 is noted with its next try (RETRY_FIRST later), not
    asked for again before then, and kept — with its clipping, the note gone — by the first
    pass after it."""
    server.route("/pic/01.png", answers(
        UNAVAILABLE, Reply(body=page_png(), content_type="image/png")))
    row = matched_story(make, db, server.url("/pic/01.png"))
    before = utcnow()
    keep_media(fetcher)
    db.session.refresh(row)
    assert (row.tries, row.clipping_path) == (1, "") and "版面图片未能下载" in row.note
    assert row.retry_at is not None
    assert before + RETRY_FIRST <= row.retry_at <= utcnow() + RETRY_FIRST
    keep_media(fetcher)
    assert server.paths().count("/pic/01.png") == 1
    time_passes(db, row)
    report = keep_media(fetcher)
    db.session.refresh(row)
    assert server.paths().count("/pic/01.png") == 2
    assert report.clippings == 1 and row.clipping_path and (media_folder / row.clipping_path
                                                            ).is_file()
    assert (row.tries, row.retry_at, row.note) == (0, None, "")


def test_failed_downloads_wait_twice_as_long_each_time_and_stop_at_the_cap(
        make, db, server, fetcher, media_folder) -> None:
    """A page image that never answers is tried MAX_TRIES times, each wait twice the last,
    then given up: no next try, and no further request."""
    server.route("/pic/01.png", UNAVAILABLE)
    row = matched_story(make, db, server.url("/pic/01.png"))
    waits = []
    for _ in range(MAX_TRIES):
        keep_media(fetcher)
        db.session.refresh(row)
        assert row.fetched_at is not None
        waits.append(row.retry_at - row.fetched_at if row.retry_at else None)
        time_passes(db, row)
    assert waits == [RETRY_FIRST * 2 ** n for n in range(MAX_TRIES - 1)] + [None]
    assert row.tries == MAX_TRIES and "版面图片未能下载" in row.note
    keep_media(fetcher)
    assert server.paths().count("/pic/01.png") == MAX_TRIES


def test_a_download_the_server_asks_to_delay_waits_for_its_retry_after(
        make, db, server, fetcher, media_folder) -> None:
    """A 503 with Retry-After longer than the first wait puts the next try after it."""
    server.route("/pic/01.png", Reply(status=503, body=b"busy",
                                      headers={"Retry-After": "7200"}))
    row = matched_story(make, db, server.url("/pic/01.png"))
    keep_media(fetcher)
    db.session.refresh(row)
    assert row.retry_at is not None and row.fetched_at is not None
    assert row.retry_at - row.fetched_at >= timedelta(seconds=7200)


def test_a_failed_page_pdf_is_tried_again(make, db, server, fetcher, media_folder) -> None:
    """With PDFs kept, a page PDF that failed is tried again once its wait is over, without
    fetching the page image (already cut) again."""
    server.route("/pic/01.png", Reply(body=page_png(), content_type="image/png"))
    server.route("/pdf/01.pdf", answers(
        UNAVAILABLE, Reply(body=b"%PDF-1.4\n%%EOF", content_type="application/pdf")))
    row = matched_story(make, db, server.url("/pic/01.png"), pdf_url=server.url("/pdf/01.pdf"))
    keep_media(fetcher, keep_pdfs=True)
    db.session.refresh(row)
    assert row.clipping_path and not row.page_pdf_path
    assert row.pdf_tries == 1 and row.pdf_retry_at is not None and "版面PDF未能下载" in row.note
    keep_media(fetcher, keep_pdfs=True)
    assert server.paths().count("/pdf/01.pdf") == 1
    time_passes(db, row)
    report = keep_media(fetcher, keep_pdfs=True)
    db.session.refresh(row)
    assert report.pdfs == 1 and (media_folder / row.page_pdf_path).read_bytes().startswith(
        b"%PDF-")
    assert (row.pdf_tries, row.pdf_retry_at, row.note) == (0, None, "")
    assert server.paths().count("/pic/01.png") == 1


def test_a_failed_archive_copy_is_tried_again(make, db, server, fetcher, media_folder) -> None:
    """An accepted web article whose page did not answer is archived by the first pass after
    its wait."""
    server.route("/news/1.html", answers(UNAVAILABLE, Reply(body=PAGE_HTML)))
    article = make.article(title="职工技能大赛开幕", url=server.url("/news/1.html"))
    event = make.event()
    db.session.add(Match(event_id=event.id, article_id=article.id, status="accepted",
                         score=0.9, auto=True, day=article.day))
    db.session.commit()
    keep_media(fetcher)
    row = db.session.get(ArticleMedia, article.id)
    assert row is not None and row.tries == 1 and row.retry_at and not row.archive_path
    keep_media(fetcher)
    assert server.paths().count("/news/1.html") == 1
    time_passes(db, row)
    assert keep_media(fetcher).archives == 1
    db.session.refresh(row)
    assert (media_folder / row.archive_path).read_bytes() == PAGE_HTML and row.note == ""


def test_the_article_page_links_the_archive_with_when_it_was_taken(
        make, db, client, login, server, fetcher, media_folder) -> None:
    """An archived web article's page links 存档 and its WARC, and says when the copy was
    taken (in Beijing time)."""
    server.route("/news/1.html", Reply(body=PAGE_HTML))
    article = web_story(make, db, server.url("/news/1.html"))
    keep_media(fetcher)
    row = db.session.get(ArticleMedia, article.id)
    login("leader")
    line = soup(client.get(f"/articles/{article.id}").get_data(as_text=True)).select_one(
        "p.archive-link")
    assert [link["href"] for link in line.select("a")] == [
        f"/articles/{article.id}/archive", f"/articles/{article.id}/archive.warc.gz"]
    when = row.archived_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    assert f"存档 存于 {when}" in line.get_text(" ", strip=True)


def test_a_download_that_would_fail_again_is_not_retried(make, db, server, fetcher, app,
                                                        media_folder, monkeypatch) -> None:
    """A page image over MEDIA_MAX_FILE_MB is noted once, with no next try."""
    settle(app, monkeypatch, MEDIA_MAX_FILE_MB="0.001")
    server.route("/pic/big.png", Reply(body=page_png(), content_type="image/png"))
    row = matched_story(make, db, server.url("/pic/big.png"))
    keep_media(fetcher)
    db.session.refresh(row)
    assert row.tries == 1 and row.retry_at is None


def test_the_article_page_shows_the_retry_state(make, db, client, login, server, fetcher,
                                                media_folder) -> None:
    """The article page says how many downloads failed and when the next try is (in Beijing
    time), then, once given up, that none will follow."""
    server.route("/pic/01.png", UNAVAILABLE)
    row = matched_story(make, db, server.url("/pic/01.png"))
    keep_media(fetcher)
    db.session.refresh(row)
    assert row.retry_at is not None
    login()
    when = row.retry_at.astimezone(SHANGHAI).strftime("%H:%M")
    page = client.get(f"/articles/{row.article_id}").get_data(as_text=True)
    assert "下载失败 1 次，将于" in page and when in page and "版面图片未能下载" in page
    row.tries, row.retry_at = MAX_TRIES, None
    db.session.commit()
    page = client.get(f"/articles/{row.article_id}").get_data(as_text=True)
    assert f"下载失败 {MAX_TRIES} 次，不再重试" in page


def test_each_kept_file_adds_to_the_running_total(make, db, server, fetcher,
                                                  media_folder) -> None:
    """The running total counted in the database equals what the page image and the two
    clippings kept take on disk."""
    server.route("/pic/01.png", Reply(body=page_png(), content_type="image/png"))
    matched_story(make, db, server.url("/pic/01.png"))
    matched_story(make, db, server.url("/pic/01.png"), coords="300,40,580,40,580,200")
    assert keep_media(fetcher).clippings == 2
    assert stored_bytes() == folder_bytes(media_folder) > len(page_png())


def test_the_install_cap_is_checked_against_the_running_total(make, db, server, fetcher, app,
                                                              media_folder, monkeypatch) -> None:
    """With the running total at the cap the page image is refused though the folder is
    empty, and no write walks the folder to find out."""
    settle(app, monkeypatch, MEDIA_MAX_TOTAL_MB="1")
    db.session.add(MediaUsage(id=1, bytes=1024 * 1024 - 100))
    db.session.commit()

    def no_walk(root: Path | None = None) -> int:
        raise AssertionError("the media folder was walked")

    monkeypatch.setattr(media_module, "folder_bytes", no_walk)
    server.route("/pic/01.png", Reply(body=page_png(), content_type="image/png"))
    row = matched_story(make, db, server.url("/pic/01.png"))
    keep_media(fetcher)
    db.session.refresh(row)
    assert "MEDIA_MAX_TOTAL_MB" in row.note and not row.page_image_path
    assert not media_folder.exists() or not any(media_folder.rglob("*.png"))
    assert stored_bytes() == 1024 * 1024 - 100


def test_media_cleanup_recounts_the_running_total(make, db, app, server, fetcher,
                                                  media_folder) -> None:
    """`media-cleanup` sets a running total gone wrong back to what the folder holds."""
    server.route("/pic/01.png", Reply(body=page_png(), content_type="image/png"))
    matched_story(make, db, server.url("/pic/01.png"))
    keep_media(fetcher)
    held = folder_bytes(media_folder)
    db.session.execute(sa.update(MediaUsage).values(bytes=999_999_999))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["media-cleanup"])
    assert result.exit_code == 0, result.output
    assert f"({held} bytes, recounted)" in result.output
    assert stored_bytes() == held > 0


HOSTILE = (b"<html><head><title>x</title><script>parent.document.title='owned'</script></head>"
           b"<body onload=\"fetch('/api/campaigns')\"><img src=\"http://evil.test/t.gif\">"
           b"<iframe src=\"/admin\"></iframe></body></html>")


def test_an_archived_copy_is_served_sandboxed(make, db, client, login, server, fetcher,
                                              media_folder) -> None:
    """A hostile page's archived copy is served as it was kept, but under
    `Content-Security-Policy: sandbox` with no allow-* token (no script, an opaque origin),
    nothing loaded from anywhere, never framed, never sniffed; only to a logged-in user."""
    server.route("/news/evil.html", Reply(body=HOSTILE))
    article = make.article(title="职工技能大赛开幕", url=server.url("/news/evil.html"))
    db.session.add(Match(event_id=make.event().id, article_id=article.id, status="accepted",
                         score=0.9, auto=True, day=article.day))
    db.session.commit()
    assert keep_media(fetcher).archives == 1
    assert client.get(f"/articles/{article.id}/archive").status_code in (302, 401)
    login("leader")
    response = client.get(f"/articles/{article.id}/archive")
    assert response.status_code == 200 and response.data == HOSTILE
    assert response.mimetype == "text/html"
    policy = {part.split()[0]: part.split()[1:] for part in
              response.headers["Content-Security-Policy"].split(";") if part.strip()}
    assert policy["sandbox"] == []
    assert policy["default-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "script-src" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
