"""The network phase of a fetch run: feed, list pages or e-paper → IncomingArticles with their
MinHash signatures (`Collected`). It only reads the database (which URLs are known, which
e-paper days were walked); the write phase (`ingest.write_phase`) then stores everything in one
short burst. Keeping the network out of the write transaction matters on SQLite, where one
writer holding a transaction blocks all others.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from campaign.articles.incoming import IncomingArticle
from campaign.articles.models import Article, ArticleUrl
from campaign.articles.store import body_fingerprint
from campaign.articles.urls import canonical_url
from campaign.extensions import db
from campaign.ingest.collected import NOT_MODIFIED, PARTIAL, Collected
from campaign.ingest.epaper_days import collect_epaper
from campaign.ingest.extraction import (
    PageJob,
    PageRead,
    PageReader,
    ReadInThread,
    sign_bodies,
)
from campaign.ingest.pool import WorkerError
from campaign.planning.models import page_number
from campaign.sources.models import Source
from scrapers.dates import to_zone
from scrapers.discovery import is_feed
from scrapers.feeds import html_to_text, parse_feed
from scrapers.fetch import ConditionalState, Fetcher, FetchResult, Outcome
from scrapers.listpages import StopReason, crawl_list

log = logging.getLogger(__name__)

USABLE_BODY = 80  # characters: a feed body shorter than this is a teaser, fetch the page


def collect(source: Source, *, fetcher: Fetcher, since: date | None = None,
            until: date | None = None, pages: PageReader | None = None) -> Collected:
    """The network phase: read `source`, build its IncomingArticles and their signatures;
    writes nothing. A list's or feed's article pages (and an e-paper's) are fetched as many
    at a time as the host's politeness allows (FETCH_MAX_PER_HOST) and read by `pages` (in
    this thread when not given)."""
    reader = pages or ReadInThread()
    try:
        if source.type == "epaper":
            return add_signatures(collect_epaper(source, fetcher=fetcher, since=since,
                                                 until=until, pages=reader), reader)
        if source.type == "rss":
            return add_signatures(_collect_rss(source, fetcher, reader), reader)
        if source.type == "html":
            return add_signatures(_collect_html(source, fetcher, reader, since), reader)
        return Collected().fail("config_error", f"unknown source type {source.type!r}")
    except Exception as exc:  # one broken source must not stop the pass
        log.exception("source %s: collecting failed", source.id)
        return Collected().fail("internal_error", f"{type(exc).__name__}: {exc}")


def add_signatures(collected: Collected, pages: PageReader | None = None) -> Collected:
    """Add the MinHash signature of each item's body now, before the write phase (which holds
    SQLite's write lock), so that it stores them instead of computing them: those the page
    reader made already are kept, the others (feed bodies, e-paper stories) are computed by
    `pages` in one call (in an extraction process when it has them; here if that is lost)."""
    missing: dict[str, str] = {}
    for item in collected.items:
        body = item.body.strip()
        fingerprint = body_fingerprint(body)
        if fingerprint and fingerprint not in collected.signatures:
            missing[fingerprint] = body
    if not missing:
        return collected
    try:
        signed = (pages or ReadInThread()).call(sign_bodies, missing)
    except WorkerError as exc:
        log.warning("signing %d bodies in a worker failed (%s): signing them here",
                    len(missing), exc)
        signed = sign_bodies(missing)
    collected.signatures.update(signed)
    return collected


def known_urls(urls: Sequence[str]) -> set[str]:
    """The canonical forms of `urls` already stored (as an article's URL or an alias), in one
    query."""
    canonical = {canonical_url(url) for url in urls}
    if not canonical:
        return set()
    query = sa.union(
        sa.select(Article.url).where(Article.url.in_(canonical)),
        sa.select(ArticleUrl.url).where(ArticleUrl.url.in_(canonical)),
    )
    return set(db.session.scalars(sa.select(query.subquery().c[0])))


def _previous(source: Source) -> ConditionalState:
    return ConditionalState(source.etag, source.last_modified, source.content_hash)


def _failed_fetch(result: FetchResult) -> tuple[str, str]:
    return result.outcome.value, result.error or result.outcome.value


def _fail_fetch(collected: Collected, result: FetchResult) -> Collected:
    """Fail the run with `result`'s problem, keeping the wait a Retry-After asked for."""
    collected.wait_seconds = result.retry_after
    return collected.fail(*_failed_fetch(result))


FEED_HINT_CAP = 6 * 3600.0  # a feed's own hints never keep it unpolled longer than this


def _feed_wait(result: FetchResult, ttl_minutes: int | None) -> float | None:
    """The longer of the feed's own <ttl> and the response's freshness, if either is given,
    at most six hours (a CDN's day-long max-age must not silence a feed mid-campaign)."""
    hints = [hint for hint in (result.freshness(), ttl_minutes and ttl_minutes * 60.0) if hint]
    return min(max(hints), FEED_HINT_CAP) if hints else None


def _collect_rss(source: Source, fetcher: Fetcher, reader: PageReader) -> Collected:
    result = fetcher.fetch(source.url, previous=_previous(source), obey_robots=source.obey_robots)
    collected = Collected(conditional=result.conditional_state())
    if result.outcome is Outcome.NOT_MODIFIED:
        collected.outcome = NOT_MODIFIED
        collected.wait_seconds = result.freshness()
        return collected
    if not result.ok:
        return _fail_fetch(collected, result)
    feed = parse_feed(result.body, headers=result.headers, url=result.final_url, tz=source.timezone)
    collected.wait_seconds = _feed_wait(result, feed.ttl_minutes)
    collected.skipped, collected.warning = feed.skipped, feed.charset_warning
    entries = [entry for entry in feed.entries if entry.url]
    if not entries and (feed.bozo or not is_feed(result.body, result.content_type)):
        # A truncated or broken feed, or an HTML page where the feed was: not "nothing new".
        return collected.fail("parse_error", "; ".join(feed.warnings) or
                              f"not a feed ({result.content_type or 'no content type'})")
    collected.seen = len(entries)
    bodies = [(entry, html_to_text(entry.content or "") or entry.summary) for entry in entries]
    # Only a teaser needs its page, and only when the article is not stored yet.
    known = known_urls([entry.url for entry, body in bodies if not _usable(body) and entry.url])
    wanted: list[Wanted] = []
    for entry, body in bodies:
        url = entry.url or ""
        if _usable(body):
            collected.items.append(IncomingArticle(
                url=url, title=entry.title, body=body, published_at=entry.published_at,
                author=entry.author or ""))
        elif canonical_url(url) in known:
            collected.known += 1
        else:
            wanted.append(Wanted(url, entry.title, entry.published_at))
    _add_pages(collected, source, fetcher, reader, wanted)
    if collected.outcome == PARTIAL:
        collected.conditional = None  # fetch the feed in full next time to retry the pages
    return collected


def _usable(body: str) -> bool:
    """A feed body long enough to be the article, not a teaser to fetch the page for."""
    return len(body) >= USABLE_BODY and not body.endswith(("…", "..."))


def _collect_html(source: Source, fetcher: Fetcher, reader: PageReader, since: date | None
                  ) -> Collected:
    selectors = source.selectors or {}
    if not selectors.get("link_selector"):
        return Collected().fail("config_error", "the source has no link_selector")
    stop_before = (datetime.combine(since, datetime.min.time(), tzinfo=to_zone(source.timezone))
                   if since else None)
    crawl = crawl_list(
        fetcher, source.url, link_selector=selectors["link_selector"],
        title_selector=selectors.get("title_selector") or None,
        date_selector=selectors.get("date_selector") or None,
        next_selector=selectors.get("next_selector") or None,
        max_pages=max(source.max_pages, 100 if since else 1), stop_before=stop_before,
        tz=source.timezone,
    )  # fmt: skip
    collected = Collected(seen=len(crawl.items), skipped=crawl.skipped)
    if not crawl.pages:
        if crawl.failure:
            return _fail_fetch(collected, crawl.failure)
        return collected.fail("no_links", None)
    if not crawl.items and stop_before is None:  # (a backfill may find every link too old)
        return collected.fail("no_links", f"no links match {selectors['link_selector']!r}")
    if crawl.stop_reason is StopReason.FETCH_FAILED and crawl.failure:
        collected.problem(*_failed_fetch(crawl.failure))
    known = known_urls([item.url for item in crawl.items])
    wanted: list[Wanted] = []
    for item in crawl.items:
        if canonical_url(item.url) in known:
            collected.known += 1
        else:
            wanted.append(Wanted(item.url, item.title, item.published_at))
    _add_pages(collected, source, fetcher, reader, wanted)
    return collected


def _article_selectors(source: Source) -> dict[str, str]:
    selectors = source.selectors or {}
    return {key.removeprefix("article_"): str(value) for key, value in selectors.items()
            if key.startswith("article_") and value}


@dataclass(frozen=True, slots=True)
class Wanted:
    """An article page to fetch, with the title and time its list or feed gave it."""

    url: str
    title: str
    published_at: datetime | None


def _add_pages(collected: Collected, source: Source, fetcher: Fetcher, reader: PageReader,
               wanted: Sequence[Wanted]) -> None:
    """Fetch and read the `wanted` pages, as many at a time as one host allows (the fetcher's
    gate holds them to it across all threads), and add them in their list order, so the run
    is the same whatever order they finish in."""
    selectors = _article_selectors(source) or None

    def fetch_and_read(page: Wanted) -> tuple[FetchResult, PageRead | None]:
        result = fetcher.fetch(page.url, obey_robots=source.obey_robots)
        if not result.ok:
            return result, None
        job = PageJob(result.final_url, result.body, result.headers, selectors, source.timezone)
        return result, reader.read(job)

    at_once = min(fetcher.settings.max_per_host, len(wanted))
    if at_once <= 1:
        done = [fetch_and_read(page) for page in wanted]
    else:
        with ThreadPoolExecutor(at_once, thread_name_prefix=f"source-{source.id}") as threads:
            done = list(threads.map(fetch_and_read, wanted))
    for page, (result, read) in zip(wanted, done, strict=True):
        _add_page(collected, page, result, read)


def _add_page(collected: Collected, page: Wanted, result: FetchResult, read: PageRead | None
              ) -> None:
    """Add a fetched and read article page; a failure makes the run partial, and a page that
    broke the parser is counted among the skipped."""
    url = page.url
    if not result.ok or read is None:
        if result.retry_after:  # the host asked for a pause: the next run waits for it
            collected.wait_seconds = max(collected.wait_seconds or 0.0, result.retry_after)
        collected.problem("article_failed", f"{url}: {result.error or result.outcome.value}")
        return
    if read.article is None:
        if read.error_kind == "parse_error":  # the page broke the parser, or its worker
            collected.skipped += 1
            collected.problem("parse_error", f"{url}: {read.error}")
        else:  # the source's article selectors are wrong
            collected.problem(read.error_kind or "config_error", read.error)
        return
    article = read.article
    if not article.text and not article.title:
        collected.problem("article_failed", f"{url}: no article found on the page")
        return
    collected.items.append(IncomingArticle(
        url=url, title=article.title or page.title, body=article.text,
        published_at=article.published_at or page.published_at,
        page_number=page_number(article.page_number or ""), page_name=article.page_name or "",
        author=article.author or "", editor=article.editor or "",
        source_credit=article.source or "",
    ))  # fmt: skip
    if read.signature is not None:
        collected.signatures.setdefault(read.fingerprint, read.signature)
