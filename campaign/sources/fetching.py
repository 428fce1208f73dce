"""Fetching one source: feed, list pages or e-paper → IncomingArticles → stored → a FetchRun.

A run has two phases. `collect` does the network work and only reads the database (which URLs
are known, which e-paper days were walked); `record` then writes everything in one short burst —
the articles (through `store_articles`), reprint groups, the FetchRun row and the source's fetch
state — and flushes. The job layer commits once per source run. Keeping the network out of the
write transaction matters on SQLite, where one writer holding a transaction blocks all others.

`sources/` never imports `coverage/`: the job passes `after_store(article_ids)` to match the
stored articles to events.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.core.times import utcnow
from campaign.extensions import db
from campaign.planning.models import page_number
from campaign.sources.incoming import IncomingArticle
from campaign.sources.models import Article, ArticleUrl, FetchRun, Source
from campaign.sources.urls import canonical_url
from scrapers.fetch import ConditionalState, Fetcher, FetchResult, Outcome

log = logging.getLogger(__name__)

AfterStore = Callable[[list[int]], None]

OK, NOT_MODIFIED, PARTIAL, FAILED = "ok", "not_modified", "partial", "failed"
# What a FetchRun's outcome means, for the sources pages.
OUTCOME_LABELS = {
    "running": _l("正在抓取"),
    OK: _l("成功"),
    NOT_MODIFIED: _l("无更新"),
    PARTIAL: _l("部分成功"),
    FAILED: _l("失败"),
}
# Source.last_error_kind values beyond the fetcher's Outcome values (timeout, http_error …).
ERROR_KINDS = {
    "parse_error": _l("内容无法解析"),
    "no_links": _l("列表页没有找到文章链接"),
    "config_error": _l("抓取设置有误"),
    "internal_error": _l("程序内部错误"),
    "article_failed": _l("部分文章抓取失败"),
    "epaper_unread": _l("电子报版面上的文章一篇也没有读到"),
}
USABLE_BODY = 80  # characters: a feed body shorter than this is a teaser, fetch the page


@dataclass
class Collected:
    """What the network phase of a run found, before anything is written."""

    items: list[IncomingArticle] = field(default_factory=list)
    outcome: str = OK
    error_kind: str | None = None
    error: str | None = None
    seen: int = 0
    known: int = 0
    conditional: ConditionalState | None = None
    days_walked: dict[date, int] = field(default_factory=dict)
    # E-paper days whose pages linked articles but none were read, with the walks so far.
    days_unread: dict[date, int] = field(default_factory=dict)
    # Stored MinHash bytes by body fingerprint, computed in the fetch thread (see `sign`).
    signatures: dict[str, bytes] = field(default_factory=dict)
    # Seconds the site asked us to leave it alone (a 429/503 Retry-After, a feed's <ttl>, its
    # Cache-Control max-age): the next fetch is not sooner (see claims.release).
    wait_seconds: float | None = None

    def fail(self, kind: str, message: str | None) -> Collected:
        """Mark the whole run failed."""
        self.outcome, self.error_kind, self.error = FAILED, kind, message or kind
        return self

    def problem(self, kind: str, message: str | None) -> None:
        """Note a part that failed (an article page): the run is partial, not failed."""
        if self.outcome == OK:
            self.outcome = PARTIAL
        if self.error_kind is None:
            self.error_kind, self.error = kind, message or kind


def fetch_source(
    source: Source,
    *,
    fetcher: Fetcher,
    since: date | None = None,
    until: date | None = None,
    trigger: str = "scheduled",
    after_store: AfterStore | None = None,
) -> FetchRun:
    """Fetch `source`, store what it publishes and record the run; flush (the caller commits).

    `since`/`until` backfill a past period: e-paper days in the range, list pages back to
    `since`. Network or parsing trouble never raises: it becomes the run's outcome and the
    source's last error.
    """
    started_at = utcnow()
    collected = collect(source, fetcher=fetcher, since=since, until=until)
    return record(source, collected, started_at=started_at, trigger=trigger,
                  after_store=after_store)


def collect(source: Source, *, fetcher: Fetcher, since: date | None = None,
            until: date | None = None) -> Collected:
    """The network phase: read `source`, build its IncomingArticles and their signatures;
    writes nothing."""
    from campaign.sources.backfill import collect_epaper

    collectors = {"rss": _collect_rss, "html": _collect_html}
    try:
        if source.type == "epaper":
            return sign(collect_epaper(source, fetcher=fetcher, since=since, until=until))
        if source.type not in collectors:
            return Collected().fail("config_error", f"unknown source type {source.type!r}")
        return sign(collectors[source.type](source, fetcher, since, until))
    except Exception as exc:  # one broken source must not stop the pass
        log.exception("source %s: collecting failed", source.id)
        return Collected().fail("internal_error", f"{type(exc).__name__}: {exc}")


def sign(collected: Collected) -> Collected:
    """Compute the MinHash signature of each item's body now, in the fetch thread, so that
    the write phase (which holds SQLite's write lock) stores it instead of computing it."""
    from campaign.sources.minhash import signature
    from campaign.sources.store import body_fingerprint

    for item in collected.items:
        body = item.body.strip()
        fingerprint = body_fingerprint(body)
        if fingerprint and fingerprint not in collected.signatures:
            collected.signatures[fingerprint] = signature(body).to_bytes()
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


def _feed_wait(result: FetchResult, ttl_minutes: int | None) -> float | None:
    """The longer of the feed's own <ttl> and the response's freshness, if either is given."""
    hints = [hint for hint in (result.freshness(), ttl_minutes and ttl_minutes * 60.0) if hint]
    return max(hints) if hints else None


def _collect_rss(source: Source, fetcher: Fetcher, _since: date | None, _until: date | None
                 ) -> Collected:
    from campaign.sources.discovery import is_feed
    from scrapers.feeds import html_to_text, parse_feed

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
    entries = [entry for entry in feed.entries if entry.url]
    if not entries and (feed.bozo or not is_feed(result.body, result.content_type)):
        # A truncated or broken feed, or an HTML page where the feed was: not "nothing new".
        return collected.fail("parse_error", "; ".join(feed.warnings) or
                              f"not a feed ({result.content_type or 'no content type'})")
    collected.seen = len(entries)
    bodies = [(entry, html_to_text(entry.content or "") or entry.summary) for entry in entries]
    # Only a teaser needs its page, and only when the article is not stored yet.
    known = known_urls([entry.url for entry, body in bodies if not _usable(body) and entry.url])
    for entry, body in bodies:
        url = entry.url or ""
        if _usable(body):
            collected.items.append(IncomingArticle(
                url=url, title=entry.title, body=body, published_at=entry.published_at,
                author=entry.author or ""))
        elif canonical_url(url) in known:
            collected.known += 1
        else:
            _add_page(collected, source, fetcher, url, title=entry.title,
                      published_at=entry.published_at)
    if collected.outcome == PARTIAL:
        collected.conditional = None  # fetch the feed in full next time to retry the pages
    return collected


def _usable(body: str) -> bool:
    """A feed body long enough to be the article, not a teaser to fetch the page for."""
    return len(body) >= USABLE_BODY and not body.endswith(("…", "..."))


def _collect_html(source: Source, fetcher: Fetcher, since: date | None, until: date | None
                  ) -> Collected:
    from scrapers.dates import to_zone
    from scrapers.listpages import StopReason, crawl_list

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
    collected = Collected(seen=len(crawl.items))
    if not crawl.pages:
        if crawl.failure:
            return _fail_fetch(collected, crawl.failure)
        return collected.fail("no_links", None)
    if not crawl.items and stop_before is None:  # (a backfill may find every link too old)
        return collected.fail("no_links", f"no links match {selectors['link_selector']!r}")
    if crawl.stop_reason is StopReason.FETCH_FAILED and crawl.failure:
        collected.problem(*_failed_fetch(crawl.failure))
    known = known_urls([item.url for item in crawl.items])
    for item in crawl.items:
        if canonical_url(item.url) in known:
            collected.known += 1
        else:
            _add_page(collected, source, fetcher, item.url, title=item.title,
                      published_at=item.published_at)
    return collected


def _article_selectors(source: Source) -> dict[str, str]:
    selectors = source.selectors or {}
    return {key.removeprefix("article_"): str(value) for key, value in selectors.items()
            if key.startswith("article_") and value}


def _add_page(collected: Collected, source: Source, fetcher: Fetcher, url: str, *, title: str,
              published_at: datetime | None) -> None:
    """Fetch an article page, extract it and add it; a failure makes the run partial."""
    from scrapers.extract import extract_article

    result = fetcher.fetch(url, obey_robots=source.obey_robots)
    if not result.ok:
        collected.problem("article_failed", f"{url}: {result.error or result.outcome.value}")
        return
    try:
        page = extract_article(result.body, result.final_url, headers=result.headers,
                               selectors=_article_selectors(source) or None, tz=source.timezone)
    except ValueError as exc:  # unknown selector keys in the source's settings
        collected.problem("config_error", str(exc))
        return
    if not page.text and not page.title:
        collected.problem("article_failed", f"{url}: no article found on the page")
        return
    collected.items.append(IncomingArticle(
        url=url, title=page.title or title, body=page.text,
        published_at=page.published_at or published_at,
        page_number=page_number(page.page_number or ""), page_name=page.page_name or "",
        author=page.author or "", editor=page.editor or "", source_credit=page.source or "",
    ))  # fmt: skip


def record(
    source: Source,
    collected: Collected,
    *,
    started_at: datetime,
    trigger: str = "scheduled",
    after_store: AfterStore | None = None,
) -> FetchRun:
    """The write phase: store the articles, group reprints, add the FetchRun and update the
    source's fetch state; flush."""
    from campaign.sources.recording import Recording, record_many

    recording = Recording(source, collected, started_at, trigger)
    record_many([recording], after_store=after_store)
    assert recording.run is not None
    return recording.run


def fetch_status(source: Source, *, now: datetime | None = None) -> dict[str, Any]:
    """Where "fetch now" stands for `source`, for the sources page to show or poll.

    Keys: `requested_at` (a pending request, or None), `running` (a worker holds the source),
    `claimed_by`, `next_fetch_at`, `consecutive_failures`, `last_error_kind`,
    `last_error_message`, and `last_run` (None, or a dict with `outcome`, `outcome_label`,
    `trigger`, `new`, `updated`, `duplicate`, `error`, `started_at`, `finished_at`).
    """
    now = now or utcnow()
    run = db.session.scalars(
        sa.select(FetchRun).where(FetchRun.source_id == source.id)
        .order_by(FetchRun.started_at.desc(), FetchRun.id.desc()).limit(1)
    ).first()
    running = source.claimed_by is not None and (
        source.claimed_until is not None and source.claimed_until > now)
    return {
        "requested_at": source.fetch_requested_at,
        "running": running,
        "claimed_by": source.claimed_by if running else None,
        "next_fetch_at": source.next_fetch_at,
        "consecutive_failures": source.consecutive_failures,
        "last_error_kind": source.last_error_kind,
        "last_error_message": source.last_error_message,
        "last_run": _run_dict(run) if run else None,
    }


def _run_dict(run: FetchRun) -> dict[str, Any]:
    return {
        "outcome": run.outcome,
        "outcome_label": str(OUTCOME_LABELS.get(run.outcome, run.outcome)),
        "trigger": run.trigger,
        "new": run.new_count,
        "updated": run.updated_count,
        "duplicate": run.duplicate_count,
        "error": run.error,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
    }
