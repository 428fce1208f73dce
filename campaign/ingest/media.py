"""Keeping what coverage looked like: for every article matched to an event (suggested or
accepted), its e-paper page image is downloaded (once per page, with the fetcher's politeness
and the MEDIA_MAX_FILE_MB cap) and the story cut from it; page PDFs too with MEDIA_KEEP_PDFS;
and accepted web articles get an archived copy (the fetched HTML and a WARC record).

Bad input — a missing or oversized image, one that does not decode, areas outside the image, a
"PDF" that is not one, a page that no longer answers — is noted on the article and skipped; the
pass goes on. A download that failed in a way that may pass (an HTTP error, a timeout, no
answer, a login page instead of the file) is tried again by later passes, each wait twice the
last (`RETRY_FIRST` up to `RETRY_LONGEST`, or longer when the server asked with Retry-After),
at most `MAX_TRIES` times in all; the article page shows how it stands. Safe to run twice: what
is kept (or given up) is not fetched again.
"""

from __future__ import annotations

import io
import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from campaign.articles.media import (
    MediaFull,
    add_note,
    cut_clippings,
    keep_file,
    max_file_bytes,
    recount_bytes,
    resolve,
)
from campaign.articles.models import Article, ArticleMedia
from campaign.core.times import utcnow
from campaign.coverage.models import Match
from campaign.extensions import db
from campaign.ingest.write_turns import write_turn
from scrapers.clipping import ClipError, image_suffix, is_pdf
from scrapers.fetch import Fetcher, FetchResult, Outcome
from scrapers.screenshot import PageCamera, ScreenshotError, ScreenshotSettings

log = logging.getLogger(__name__)

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
PDF_TYPES = ("application/pdf", "application/octet-stream", "application/x-pdf")
HTML_TYPES = ("text/html", "application/xhtml+xml")
BATCH = 200  # pages per pass (a long backlog is worked off over several passes)
MAX_TRIES = 5  # downloads of one file before it is given up
RETRY_FIRST = timedelta(minutes=15)  # the wait after the first failure, doubled after each
RETRY_LONGEST = timedelta(hours=12)
# Failures another try would only repeat: the file is over the size cap, the address is
# refused, the URL is broken, robots.txt forbids it, the redirects go round.
FINAL = frozenset({Outcome.TOO_LARGE, Outcome.BLOCKED, Outcome.INVALID_URL,
                   Outcome.ROBOTS_DISALLOWED, Outcome.REDIRECT_LOOP})
PAGE_FAILED = "版面图片未能下载"
PDF_FAILED = "版面PDF未能下载"
ARCHIVE_FAILED = "存档未能抓取"
SCREENSHOT_FAILED = "截图未能保存"


@dataclass
class MediaReport:
    """What a pass kept and skipped."""

    pages: int = 0
    clippings: int = 0
    pdfs: int = 0
    archives: int = 0
    screenshots: int = 0
    skipped: list[str] = field(default_factory=list)


def _matched(statuses: Sequence[str]) -> sa.Exists:
    return sa.exists().where(Match.article_id == ArticleMedia.article_id,
                             Match.status.in_(list(statuses)))


def _image_never_tried() -> sa.ColumnElement[bool]:
    """The page image was never tried: no failed download, nothing kept, nothing given up.
    The note is not asked: a failed page PDF writes it too, and must not settle the image."""
    return sa.and_(ArticleMedia.tries == 0, ArticleMedia.page_image_path == "")


def pages_waiting(limit: int = BATCH, now: datetime | None = None) -> dict[str, list[int]]:
    """The page images to fetch: pages holding a matched story not cut yet — never tried, or
    whose retry is due — with those stories' article ids, by image URL."""
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(ArticleMedia.page_image_url, ArticleMedia.article_id).where(
            ArticleMedia.page_image_url != "", ArticleMedia.clipping_path == "",
            sa.or_(_image_never_tried(), ArticleMedia.retry_at <= now),
            _matched(("accepted", "suggested")),
        ).order_by(ArticleMedia.article_id))
    pages: dict[str, list[int]] = defaultdict(list)
    for url, article_id in rows:
        if url not in pages and len(pages) >= limit:
            break
        pages[url].append(article_id)
    return pages


def pdfs_waiting(limit: int = BATCH, now: datetime | None = None) -> dict[str, list[int]]:
    """The page PDFs to fetch (MEDIA_KEEP_PDFS): of pages holding a matched story, never
    tried or whose retry is due, with those stories' article ids, by PDF URL."""
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(ArticleMedia.page_pdf_url, ArticleMedia.article_id).where(
            ArticleMedia.page_pdf_url != "", ArticleMedia.page_pdf_path == "",
            sa.or_(ArticleMedia.pdf_tries == 0, ArticleMedia.pdf_retry_at <= now),
            _matched(("accepted", "suggested")),
        ).order_by(ArticleMedia.article_id))
    pdfs: dict[str, list[int]] = defaultdict(list)
    for url, article_id in rows:
        if url not in pdfs and len(pdfs) >= limit:
            break
        pdfs[url].append(article_id)
    return pdfs


def next_try(tries: int, result: FetchResult, now: datetime) -> datetime | None:
    """When to try a failed download again after `tries` failures: None when never (a final
    failure, or `MAX_TRIES` reached); else after RETRY_FIRST doubled for each earlier failure,
    at most RETRY_LONGEST, and not before the server's Retry-After."""
    if result.outcome in FINAL or tries >= MAX_TRIES:
        return None
    wait: timedelta = min(RETRY_FIRST * (2 ** (tries - 1)), RETRY_LONGEST)
    if result.retry_after:
        wait = max(wait, timedelta(seconds=min(result.retry_after, 7 * 24 * 3600)))
    return now + wait


def drop_note(row: ArticleMedia, prefix: str) -> None:
    """Remove the parts of the article's note that start with `prefix` (a failure that a
    later try replaced or mended)."""
    parts = [part for part in (row.note or "").split("; ")
             if part and not part.startswith(prefix)]
    row.note = "; ".join(parts)


def _download_failed(report: MediaReport, rows: Sequence[ArticleMedia], result: FetchResult,
                     note: str, *, pdf: bool = False) -> None:
    """Note a failed download on its rows and count the try: the next is due by `next_try`,
    or none (given up)."""
    now = utcnow()
    prefix = note.split("（", 1)[0]
    for row in rows:
        tries = ((row.pdf_tries if pdf else row.tries) or 0) + 1
        due = next_try(tries, result, now)
        if pdf:
            row.pdf_tries, row.pdf_retry_at = tries, due
        else:
            row.tries, row.retry_at = tries, due
        drop_note(row, prefix)
        add_note(row, note)
        row.fetched_at = now
    report.skipped.append(note)
    db.session.flush()


def _download_done(rows: Sequence[ArticleMedia], prefix: str, *, pdf: bool = False) -> None:
    for row in rows:
        if pdf:
            row.pdf_tries, row.pdf_retry_at = 0, None
        else:
            row.tries, row.retry_at = 0, None
        drop_note(row, prefix)


def _skip(report: MediaReport, rows: Sequence[ArticleMedia], note: str, *,
          pdf: bool = False, full: bool = False) -> None:
    """Note a failure another try would repeat: counted as a try, with no next one (so the
    file is not asked for again) — except when the media folder was full (`full`): space may
    be freed (media-cleanup, a higher cap), so it is tried again after the longest wait."""
    now = utcnow()
    again = now + RETRY_LONGEST if full else None
    for row in rows:
        add_note(row, note)
        row.fetched_at = now
        if pdf:
            row.pdf_tries, row.pdf_retry_at = max(row.pdf_tries or 0, 1), again
        else:
            row.tries, row.retry_at = max(row.tries or 0, 1), again
    report.skipped.append(note)
    db.session.flush()


def _failure(result: FetchResult) -> str:
    return result.error or str(result.outcome)


def keep_page(result: FetchResult, url: str, rows: Sequence[ArticleMedia],
              report: MediaReport) -> None:
    """Keep one fetched page image and cut each of its matched stories from it."""
    if not result.ok:
        _download_failed(report, rows, result, f"{PAGE_FAILED}（{_failure(result)}）：{url}")
        return
    _download_done(rows, PAGE_FAILED)
    try:
        stored = keep_file("pages", result.body, image_suffix(result.body))
    except (ClipError, MediaFull) as exc:
        _skip(report, rows, f"版面图片不可用：{exc}", full=isinstance(exc, MediaFull))
        return
    report.pages += 1
    for row, done in zip(rows, cut_clippings(rows, result.body, stored.path), strict=True):
        if done:
            report.clippings += 1
        else:
            report.skipped.append(row.note)


def keep_pdf(result: FetchResult, url: str, rows: Sequence[ArticleMedia],
             report: MediaReport) -> None:
    """Keep one fetched page PDF (MEDIA_KEEP_PDFS); a body that is not a PDF is noted."""
    if not result.ok:
        _download_failed(report, rows, result, f"{PDF_FAILED}（{_failure(result)}）：{url}",
                         pdf=True)
        return
    _download_done(rows, PDF_FAILED, pdf=True)
    if not is_pdf(result.body):
        _skip(report, rows, f"版面PDF不是PDF文件：{url}", pdf=True)
        return
    try:
        stored = keep_file("pdfs", result.body, ".pdf")
    except MediaFull as exc:
        _skip(report, rows, f"版面PDF未保存：{exc}", pdf=True, full=True)
        return
    report.pdfs += 1
    for row in rows:
        row.page_pdf_path = stored.path
    db.session.flush()


def web_articles_waiting(limit: int = BATCH, now: datetime | None = None
                         ) -> list[tuple[int, str]]:
    """(id, URL) of accepted articles with no page image (web pages) and no archived copy,
    never tried or whose retry is due (a note alone — a failed screenshot — settles
    nothing)."""
    now = now or utcnow()
    settled = sa.exists().where(
        ArticleMedia.article_id == Article.id,
        sa.or_(ArticleMedia.page_image_url != "", ArticleMedia.archive_path != "",
               sa.and_(ArticleMedia.tries > 0,
                       sa.or_(ArticleMedia.retry_at.is_(None), ArticleMedia.retry_at > now))))
    accepted = sa.exists().where(Match.article_id == Article.id, Match.status == "accepted")
    return [(row.id, row.url) for row in db.session.execute(
        sa.select(Article.id, Article.url).where(accepted, ~settled).order_by(Article.id)
        .limit(limit))]


def warc_record(result: FetchResult) -> bytes:
    """The fetch as a gzipped WARC response record (what replay tools open)."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    status = f"{result.status or 200} OK"
    headers = StatusAndHeaders(status, list(result.headers.items()), protocol="HTTP/1.1")
    record = writer.create_warc_record(result.final_url, "response",
                                       payload=io.BytesIO(result.body), http_headers=headers)
    writer.write_record(record)
    return out.getvalue()


def archive_article(result: FetchResult, article_id: int, report: MediaReport) -> bool:
    """Keep an accepted web article's page as fetched now: its HTML and a WARC record. Says
    whether it was kept."""
    row = db.session.get(ArticleMedia, article_id)
    if row is None:
        row = ArticleMedia(article_id=article_id, note="", tries=0, pdf_tries=0)
        db.session.add(row)
    if not result.ok:
        _download_failed(report, [row], result, f"{ARCHIVE_FAILED}（{_failure(result)}）")
        return False
    _download_done([row], ARCHIVE_FAILED)
    try:
        html = keep_file("archives", result.body, ".html")
        warc = keep_file("archives", warc_record(result), ".warc.gz")
    except MediaFull as exc:
        _skip(report, [row], f"存档未保存：{exc}", full=True)
        return False
    row.archive_path, row.warc_path, row.archived_at = html.path, warc.path, utcnow()
    report.archives += 1
    db.session.flush()
    return True


def keep_media(fetcher: Fetcher, *, keep_pdfs: bool = False, limit: int = BATCH) -> MediaReport:
    """One pass: page images and clippings of matched e-paper stories, their PDFs when asked,
    archived copies of accepted web articles (and their screenshots with MEDIA_SCREENSHOTS),
    each failed download tried again once its retry is due. Nothing is held open while the
    network is waited on; each page and article is written in a transaction of its own
    (taking the process's write turn on SQLite), so what is kept stays kept if the pass
    stops."""
    report = MediaReport()
    pages = pages_waiting(limit)
    web = web_articles_waiting(limit)
    db.session.rollback()
    for url, ids in pages.items():
        fetched = fetcher.fetch(url, accept=IMAGE_TYPES, max_bytes=max_file_bytes())
        with write_turn():
            keep_page(fetched, url, _rows(ids), report)
            db.session.commit()
    if keep_pdfs:
        _keep_pdfs(fetcher, limit, report)
    if web:
        _archive_all(fetcher, web, report)
    if report.pages or report.archives or report.skipped:
        log.info("media: %d pages, %d clippings, %d PDFs, %d archives, %d screenshots, "
                 "%d skipped", report.pages, report.clippings, report.pdfs, report.archives,
                 report.screenshots, len(report.skipped))
    return report


def _archive_all(fetcher: Fetcher, web: Sequence[tuple[int, str]], report: MediaReport) -> None:
    """Archive each accepted web article; with MEDIA_SCREENSHOTS, screenshot each one archived
    (one browser for the pass, started only when there is something to take)."""
    with screenshot_camera(fetcher) as camera:
        for article_id, article_url in web:
            fetched = fetcher.fetch(article_url, accept=HTML_TYPES, max_bytes=max_file_bytes())
            with write_turn():
                archived = archive_article(fetched, article_id, report)
                db.session.commit()
            if archived and camera is not None:
                take_screenshot(camera, article_id, fetched.final_url, report)


@contextmanager
def screenshot_camera(fetcher: Fetcher) -> Iterator[PageCamera | str | None]:
    """With MEDIA_SCREENSHOTS, a browser (MEDIA_BROWSER) that asks the fetcher's URL guard
    before every request — or, when it cannot start, why (noted on each article); None when
    screenshots are off."""
    config = current_app.config
    if not config.get("MEDIA_SCREENSHOTS"):
        yield None
        return
    settings = ScreenshotSettings(
        executable=str(config.get("MEDIA_BROWSER") or "/usr/bin/chromium"),
        max_bytes=max_file_bytes(), user_agent=fetcher.settings.user_agent)
    camera = PageCamera(settings, fetcher.settings.url_guard)
    try:
        camera.__enter__()
    except ScreenshotError as exc:
        log.warning("media: no screenshots: %s", exc)
        yield str(exc)
        return
    try:
        yield camera
    finally:
        if camera.refused:
            log.info("media: the screenshot browser was refused %d requests",
                     len(camera.refused))
        camera.close()


def take_screenshot(camera: PageCamera | str, article_id: int, url: str,
                    report: MediaReport) -> None:
    """Screenshot an archived web article (no transaction is open while the browser works)
    and keep it beside the archived copy; a failure is noted on the article."""
    db.session.rollback()
    picture: bytes | None = None
    if isinstance(camera, str):
        problem = camera
    else:
        try:
            picture, problem = camera.shoot(url), ""
        except ScreenshotError as exc:
            problem = str(exc)
    with write_turn():
        row = db.session.get(ArticleMedia, article_id)
        if row is None:
            return
        if picture is not None:
            try:
                row.screenshot_path = keep_file("screenshots", picture, ".png").path
                drop_note(row, SCREENSHOT_FAILED)
                report.screenshots += 1
            except MediaFull as exc:
                problem = str(exc)
        if problem:
            add_note(row, f"{SCREENSHOT_FAILED}：{problem}")
            report.skipped.append(row.note)
        db.session.commit()


def _rows(ids: Sequence[int]) -> list[ArticleMedia]:
    return list(db.session.scalars(
        sa.select(ArticleMedia).where(ArticleMedia.article_id.in_(list(ids)))
        .order_by(ArticleMedia.article_id)))


def _keep_pdfs(fetcher: Fetcher, limit: int, report: MediaReport) -> None:
    """The page PDFs waiting (usually one a page), fetched outside any transaction."""
    by_pdf = pdfs_waiting(limit)
    db.session.rollback()
    for pdf_url, pdf_ids in by_pdf.items():
        fetched = fetcher.fetch(pdf_url, accept=PDF_TYPES, max_bytes=max_file_bytes())
        with write_turn():
            keep_pdf(fetched, pdf_url, _rows(pdf_ids), report)
            db.session.commit()


PATH_COLUMNS = ("page_image_path", "page_pdf_path", "clipping_path", "archive_path", "warc_path",
                "screenshot_path")


def clean_rejected() -> tuple[int, int, int]:
    """Forget the media of articles whose every match was rejected, and delete their files
    unless another article still uses them (a page image shared by a story kept); then
    recount the media folder's running total from its files (mending any drift: a write
    whose transaction was rolled back, a restored backup, files removed by hand). Commits;
    returns (articles cleaned, files deleted, bytes the folder holds)."""
    rejected_only = (sa.exists().where(Match.article_id == ArticleMedia.article_id)
                     & ~_matched(("accepted", "suggested")))
    rows = list(db.session.scalars(sa.select(ArticleMedia).where(rejected_only)))
    candidates: set[str] = set()
    for row in rows:
        for column in PATH_COLUMNS:
            candidates.add(getattr(row, column))
            setattr(row, column, "")
        row.crop_left = row.crop_top = row.crop_right = row.crop_bottom = None
        row.note = ""
        row.tries, row.retry_at, row.pdf_tries, row.pdf_retry_at = 0, None, 0, None
    db.session.flush()
    candidates.discard("")
    still_used = _paths_in_use(candidates)
    deleted = 0
    for relative in sorted(candidates - still_used):
        path = resolve(relative)
        if path is not None:
            path.unlink()
            deleted += 1
    total = recount_bytes()
    db.session.commit()
    return len(rows), deleted, total


def _paths_in_use(paths: set[str]) -> set[str]:
    used: set[str] = set()
    for column in PATH_COLUMNS:
        attribute = getattr(ArticleMedia, column)
        used.update(db.session.scalars(sa.select(attribute).where(attribute.in_(list(paths)))))
    return used
