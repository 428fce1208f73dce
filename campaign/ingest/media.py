"""Keeping what coverage looked like: for every article matched to an event (suggested or
accepted), its e-paper page image is downloaded (once per page, with the fetcher's politeness
and the MEDIA_MAX_FILE_MB cap) and the story cut from it; page PDFs too with MEDIA_KEEP_PDFS;
and accepted web articles get an archived copy (the fetched HTML and a WARC record).

Bad input — a missing or oversized image, one that does not decode, areas outside the image, a
"PDF" that is not one, a page that no longer answers — is noted on the article and skipped; the
pass goes on. Safe to run twice: what is kept is not fetched again.
"""

from __future__ import annotations

import io
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from campaign.articles.media import (
    MediaFull,
    add_note,
    cut_clippings,
    keep_file,
    max_file_bytes,
    resolve,
)
from campaign.articles.models import Article, ArticleMedia
from campaign.core.times import utcnow
from campaign.coverage.models import Match
from campaign.extensions import db
from campaign.ingest.write_phase import write_turn
from scrapers.clipping import ClipError, image_suffix, is_pdf
from scrapers.fetch import Fetcher, FetchResult

log = logging.getLogger(__name__)

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
PDF_TYPES = ("application/pdf", "application/octet-stream", "application/x-pdf")
HTML_TYPES = ("text/html", "application/xhtml+xml")
BATCH = 200  # pages per pass (a long backlog is worked off over several passes)


@dataclass
class MediaReport:
    """What a pass kept and skipped."""

    pages: int = 0
    clippings: int = 0
    pdfs: int = 0
    archives: int = 0
    skipped: list[str] = field(default_factory=list)


def _matched(statuses: Sequence[str]) -> sa.Exists:
    return sa.exists().where(Match.article_id == ArticleMedia.article_id,
                             Match.status.in_(list(statuses)))


def pages_waiting(limit: int = BATCH) -> dict[str, list[int]]:
    """The page images to fetch: pages holding a matched story not cut yet, with those
    stories' article ids, by image URL."""
    rows = db.session.execute(
        sa.select(ArticleMedia.page_image_url, ArticleMedia.article_id).where(
            ArticleMedia.page_image_url != "", ArticleMedia.clipping_path == "",
            ArticleMedia.note == "", _matched(("accepted", "suggested")),
        ).order_by(ArticleMedia.article_id))
    pages: dict[str, list[int]] = defaultdict(list)
    for url, article_id in rows:
        if url not in pages and len(pages) >= limit:
            break
        pages[url].append(article_id)
    return pages


def _skip(report: MediaReport, rows: Sequence[ArticleMedia], note: str) -> None:
    for row in rows:
        add_note(row, note)
        row.fetched_at = utcnow()
    report.skipped.append(note)
    db.session.flush()


def _failure(result: FetchResult) -> str:
    return result.error or str(result.outcome)


def keep_page(result: FetchResult, url: str, rows: Sequence[ArticleMedia],
              report: MediaReport) -> None:
    """Keep one fetched page image and cut each of its matched stories from it."""
    if not result.ok:
        _skip(report, rows, f"版面图片未能下载（{_failure(result)}）：{url}")
        return
    try:
        stored = keep_file("pages", result.body, image_suffix(result.body))
    except (ClipError, MediaFull) as exc:
        _skip(report, rows, f"版面图片不可用：{exc}")
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
        _skip(report, rows, f"版面PDF未能下载（{_failure(result)}）：{url}")
        return
    if not is_pdf(result.body):
        _skip(report, rows, f"版面PDF不是PDF文件：{url}")
        return
    try:
        stored = keep_file("pdfs", result.body, ".pdf")
    except MediaFull as exc:
        _skip(report, rows, f"版面PDF未保存：{exc}")
        return
    report.pdfs += 1
    for row in rows:
        row.page_pdf_path = stored.path
    db.session.flush()


def web_articles_waiting(limit: int = BATCH) -> list[tuple[int, str]]:
    """(id, URL) of accepted articles with no page image (web pages) and no archived copy."""
    has_copy = sa.exists().where(
        ArticleMedia.article_id == Article.id,
        sa.or_(ArticleMedia.page_image_url != "", ArticleMedia.archive_path != "",
               ArticleMedia.note != ""))
    accepted = sa.exists().where(Match.article_id == Article.id, Match.status == "accepted")
    return [(row.id, row.url) for row in db.session.execute(
        sa.select(Article.id, Article.url).where(accepted, ~has_copy).order_by(Article.id)
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


def archive_article(result: FetchResult, article_id: int, report: MediaReport) -> None:
    """Keep an accepted web article's page as fetched now: its HTML and a WARC record."""
    row = db.session.get(ArticleMedia, article_id)
    if row is None:
        row = ArticleMedia(article_id=article_id)
        db.session.add(row)
    if not result.ok:
        add_note(row, f"存档未能抓取（{_failure(result)}）")
        report.skipped.append(row.note)
        db.session.flush()
        return
    try:
        html = keep_file("archives", result.body, ".html")
        warc = keep_file("archives", warc_record(result), ".warc.gz")
    except MediaFull as exc:
        add_note(row, f"存档未保存：{exc}")
        db.session.flush()
        return
    row.archive_path, row.warc_path, row.archived_at = html.path, warc.path, utcnow()
    report.archives += 1
    db.session.flush()


def keep_media(fetcher: Fetcher, *, keep_pdfs: bool = False, limit: int = BATCH) -> MediaReport:
    """One pass: page images and clippings of matched e-paper stories, their PDFs when asked,
    archived copies of accepted web articles. Nothing is held open while the network is
    waited on; each page and article is written in a transaction of its own (taking the
    process's write turn on SQLite), so what is kept stays kept if the pass stops."""
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
            _keep_pdfs(fetcher, ids, report)
    for article_id, article_url in web:
        fetched = fetcher.fetch(article_url, accept=HTML_TYPES, max_bytes=max_file_bytes())
        with write_turn():
            archive_article(fetched, article_id, report)
            db.session.commit()
    if report.pages or report.archives or report.skipped:
        log.info("media: %d pages, %d clippings, %d PDFs, %d archives, %d skipped",
                 report.pages, report.clippings, report.pdfs, report.archives,
                 len(report.skipped))
    return report


def _rows(ids: Sequence[int]) -> list[ArticleMedia]:
    return list(db.session.scalars(
        sa.select(ArticleMedia).where(ArticleMedia.article_id.in_(list(ids)))
        .order_by(ArticleMedia.article_id)))


def _keep_pdfs(fetcher: Fetcher, ids: Sequence[int], report: MediaReport) -> None:
    """The PDFs of a page's stories (usually one), fetched outside any transaction."""
    by_pdf: dict[str, list[int]] = defaultdict(list)
    for row in _rows(ids):
        if row.page_pdf_url and not row.page_pdf_path:
            by_pdf[row.page_pdf_url].append(row.article_id)
    db.session.rollback()
    for pdf_url, pdf_ids in by_pdf.items():
        fetched = fetcher.fetch(pdf_url, accept=PDF_TYPES, max_bytes=max_file_bytes())
        with write_turn():
            keep_pdf(fetched, pdf_url, _rows(pdf_ids), report)
            db.session.commit()


PATH_COLUMNS = ("page_image_path", "page_pdf_path", "clipping_path", "archive_path", "warc_path")


def clean_rejected() -> tuple[int, int]:
    """Forget the media of articles whose every match was rejected, and delete their files
    unless another article still uses them (a page image shared by a story kept). Commits;
    returns (articles cleaned, files deleted)."""
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
    db.session.flush()
    candidates.discard("")
    still_used = _paths_in_use(candidates)
    deleted = 0
    for relative in sorted(candidates - still_used):
        path = resolve(relative)
        if path is not None:
            path.unlink()
            deleted += 1
    db.session.commit()
    return len(rows), deleted


def _paths_in_use(paths: set[str]) -> set[str]:
    used: set[str] = set()
    for column in PATH_COLUMNS:
        attribute = getattr(ArticleMedia, column)
        used.update(db.session.scalars(sa.select(attribute).where(attribute.in_(list(paths)))))
    return used
