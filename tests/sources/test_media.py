"""The media pass (`campaign.ingest.media.keep_media`) against a local server: page images cut
into clippings, bad input noted on the article and skipped, the size caps, the walk's page
references kept with the stored articles."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from PIL import Image, ImageDraw

from campaign.articles.incoming import IncomingArticle, PageImageRef
from campaign.articles.media import folder_bytes, remember_page_images
from campaign.articles.models import Article, ArticleMedia
from campaign.articles.store import store_articles
from campaign.coverage.models import Match
from campaign.ingest.media import keep_media
from config import load_settings
from tests.scrapers.scraper_server import Reply

STORY = "20,40,280,40,280,200,20,200"


def page_png(size: tuple[int, int] = (600, 880), fmt: str = "PNG") -> bytes:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).rectangle((20, 40, 280, 200), fill="black")
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def media_folder(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A media folder of the test's own."""
    monkeypatch.setitem(app.config, "MEDIA_FOLDER", str(tmp_path / "media"))
    return tmp_path / "media"


def matched_story(make: Any, db: Any, image_url: str, *, coords: str = STORY,
                  status: str = "suggested", pdf_url: str = "",
                  shown: tuple[int, int] | None = None) -> ArticleMedia:
    """An e-paper article matched to an event, with its page image and outline."""
    article = make.article(title="职工技能大赛开幕")
    event = make.event()
    db.session.add(Match(event_id=event.id, article_id=article.id, status=status, score=0.9,
                         auto=True, day=article.day))
    row = ArticleMedia(article_id=article.id, page_image_url=image_url, page_pdf_url=pdf_url,
                       area_coords=coords, shown_width=shown[0] if shown else None,
                       shown_height=shown[1] if shown else None)
    db.session.add(row)
    db.session.commit()
    return row


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


def settle(app: Flask, monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    """Set `env`, read the settings as a process would, and put them into the test app."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    for name in env:
        monkeypatch.setitem(app.config, name, settings[name])


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
