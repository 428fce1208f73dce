"""Each file of an article's media has a state of its own: the page image (or a web article's
archived copy) is due when it was never tried or its retry is due — whatever the shared note
says about the page PDF or a screenshot — and is not asked for again once it was kept or
given up."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from campaign.articles.models import ArticleMedia
from campaign.coverage.models import Match
from campaign.ingest.media import (
    MediaReport,
    clean_rejected,
    keep_media,
    take_screenshot,
    web_articles_waiting,
)
from tests.scrapers.scraper_server import Reply
from tests.sources.media_stories import PAGE_HTML, matched_story, page_png, settle, web_story


def test_a_page_image_is_cut_though_its_page_pdf_failed_first(make, db, server, fetcher,
                                                             media_folder) -> None:
    """With one page a pass (limit 1), the PDF of a story's page can be tried before its image
    (another page's image took the pass): the failed PDF's note does not settle the image,
    which the next pass fetches and cuts."""
    server.route("/pic/a.png", Reply(body=page_png(), content_type="image/png"))
    server.route("/pic/b.png", Reply(body=page_png(), content_type="image/png"))
    server.route("/pdf/b.pdf", Reply(status=404, body=b"gone"))
    matched_story(make, db, server.url("/pic/a.png"))
    story = matched_story(make, db, server.url("/pic/b.png"), pdf_url=server.url("/pdf/b.pdf"))
    keep_media(fetcher, keep_pdfs=True, limit=1)
    db.session.refresh(story)
    assert "/pdf/b.pdf" in server.paths() and "/pic/b.png" not in server.paths()
    assert "版面PDF未能下载" in story.note and story.tries == 0
    report = keep_media(fetcher, keep_pdfs=True, limit=1)
    db.session.refresh(story)
    assert server.paths().count("/pic/b.png") == 1 and report.clippings == 1
    assert story.clipping_path and (media_folder / story.clipping_path).is_file()
    assert "版面PDF未能下载" in story.note


def test_a_page_image_that_is_no_image_is_tried_once(make, db, server, fetcher,
                                                    media_folder) -> None:
    """A page image that downloads but does not decode is counted as tried with no next try:
    later passes do not ask for it again."""
    server.route("/pic/bad.png", Reply(body=b"\x89PNG\r\n\x1a\n" + b"\0" * 40,
                                       content_type="image/png"))
    story = matched_story(make, db, server.url("/pic/bad.png"))
    keep_media(fetcher)
    keep_media(fetcher)
    db.session.refresh(story)
    assert server.paths().count("/pic/bad.png") == 1
    assert (story.tries, story.retry_at, story.clipping_path) == (1, None, "")
    assert "版面图片不可用" in story.note


def test_an_archive_the_full_folder_refused_is_tried_again_only_after_the_longest_wait(
        make, db, app, server, fetcher, media_folder, monkeypatch) -> None:
    """An accepted web article whose copy the install cap refused is noted and counted as
    tried: the next pass does not fetch the page again, but once the longest retry wait has
    passed (space may have been freed meanwhile) it is due again."""
    settle(app, monkeypatch, MEDIA_MAX_TOTAL_MB="0.0001")
    server.route("/news/1.html", Reply(body=PAGE_HTML))
    article = web_story(make, db, server.url("/news/1.html"))
    keep_media(fetcher)
    keep_media(fetcher)
    row = db.session.get(ArticleMedia, article.id)
    assert server.paths().count("/news/1.html") == 1
    assert row.tries == 1 and not row.archive_path and "MEDIA_MAX_TOTAL_MB" in row.note
    assert web_articles_waiting(now=row.retry_at - timedelta(minutes=1)) == []
    assert web_articles_waiting(now=row.retry_at) == [(article.id, article.url)]


def test_a_screenshot_note_does_not_settle_an_archive_never_taken(make, db, server, fetcher,
                                                                  media_folder) -> None:
    """A screenshot that failed after its archive was forgotten (the match rejected and
    `media-cleanup` run while the pass's browser worked) leaves only its note; once the
    article is accepted again, the next pass still archives it."""
    server.route("/news/1.html", Reply(body=PAGE_HTML))
    article = web_story(make, db, server.url("/news/1.html"))
    assert keep_media(fetcher).archives == 1
    match = db.session.scalar(sa.select(Match).where(Match.article_id == article.id))
    match.status = "rejected"
    db.session.commit()
    assert clean_rejected()[0] == 1
    take_screenshot("the browser did not start", article.id, article.url, MediaReport())
    row = db.session.get(ArticleMedia, article.id)
    db.session.refresh(row)
    assert not row.archive_path and "截图未能保存" in row.note
    match.status = "accepted"
    db.session.commit()
    assert keep_media(fetcher).archives == 1
    db.session.refresh(row)
    assert (media_folder / row.archive_path).read_bytes() == PAGE_HTML
    assert server.paths().count("/news/1.html") == 2
