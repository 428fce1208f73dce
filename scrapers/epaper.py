"""Digital editions of newspapers (电子报/数字报): walking an issue's pages and articles.

An e-paper day has an entry page linking the pages (版面), each page links its articles, and
each article page carries its titles, author and text. How pages and articles are found is a
family's business (:mod:`scrapers.epaper_types`): the Founder (方正) family by its
``node_N``/``content_N`` links, the generic one (:mod:`scrapers.epaper_generic`) by where links
sit (page labels, the image map, the title list) or from a day's JSON manifest
(:mod:`scrapers.epaper_manifest`). Without a family given, each day's entry page chooses one.
The parsing functions live in :mod:`scrapers.epaper_parse` and are re-exported here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TypeVar

from scrapers.dates import DEFAULT_TZ
from scrapers.encoding import decode_body
from scrapers.epaper_generic import GENERIC, choose_family
from scrapers.epaper_links import in_issue, url_date
from scrapers.epaper_manifest import JSON_TYPES, inline_manifest, manifest_url, read_manifest
from scrapers.epaper_markup import ArticleFields
from scrapers.epaper_parse import (
    EpaperArticle,
    article_titles,
    day_url,
    parse_day_index,
    parse_epaper_article,
    parse_page,
    read_day_index,
)
from scrapers.epaper_places import same_issue
from scrapers.epaper_types import FOUNDER, DayIndex, EpaperFamily, EpaperPage, PageListing
from scrapers.fetch import Fetcher, FetchResult, Outcome
from scrapers.urls import meta_refresh_url, normalize_url

logger = logging.getLogger(__name__)

__all__ = [
    "FOUNDER",
    "GENERIC",
    "ArticleFields",
    "DayIndex",
    "EpaperArticle",
    "EpaperDayWalk",
    "EpaperFamily",
    "EpaperPage",
    "EpaperSkip",
    "PageListing",
    "article_titles",
    "choose_family",
    "day_url",
    "in_issue",
    "parse_day_index",
    "parse_epaper_article",
    "parse_page",
    "read_day_index",
    "url_date",
    "walk_epaper",
]


@dataclass(frozen=True, slots=True)
class EpaperSkip:
    """Something :func:`walk_epaper` could not fetch and skipped (a missing day, a dead page)."""

    url: str
    issue_date: date
    what: str
    outcome: Outcome
    status: int | None
    error: str | None


@dataclass(frozen=True, slots=True)
class EpaperDayWalk:
    """What one day's walk saw: its pages, the article links on them, the articles it yielded."""

    issue_date: date
    url: str
    pages: int
    article_links: int
    articles: int
    # Links that were not URLs and pages or articles the parser could not read: left out,
    # counted, the rest of the day kept.
    skipped: int = 0

    family: str = ""  # the reader that walked it: founder, generic

    @property
    def unread(self) -> bool:
        """True when the pages link articles but none could be read (a layout not understood)."""
        return self.article_links > 0 and self.articles == 0

    @property
    def empty(self) -> bool:
        """True when the day has pages but they link no article at all: a layout whose article
        links were not found, never an issue without news."""
        return self.pages > 0 and self.article_links == 0



SkipHandler = Callable[[EpaperSkip], None]
DayHandler = Callable[[EpaperDayWalk], None]
# How a walk parses an article page: parse_epaper_article, or something that runs it elsewhere
# (in a worker process) with the same arguments.
ArticleParser = Callable[..., EpaperArticle]
_T = TypeVar("_T")
_U = TypeVar("_U")


class _Walker:
    """One walk over a date range; keeps the options together."""

    def __init__(self, fetcher: Fetcher, family: EpaperFamily | None, tz: str,
                 on_skip: SkipHandler | None, on_day: DayHandler | None, *,
                 parse: ArticleParser = parse_epaper_article, concurrency: int = 1) -> None:
        self.fetcher, self.chosen, self.tz = fetcher, family, tz
        self.family = family or FOUNDER  # of the day being walked (chosen by its entry page)
        self.on_skip, self.on_day = on_skip, on_day
        self.parse, self.concurrency = parse, max(1, concurrency)
        self.skipped = 0  # of the day being walked (see EpaperDayWalk.skipped)
        self._lock = threading.Lock()  # the counters, when pages are fetched at once
        self._local = threading.local()  # the skips of the item a thread is on
        # The JSON manifests fetched on the day being walked, by URL: every page of a paper
        # may advertise the same one, which is fetched once.
        self._manifests: dict[str, list[PageListing]] = {}

    def each(self, fn: Callable[[_T], _U], items: Sequence[_T]) -> list[_U]:
        """`fn` of every item, in order; up to `concurrency` at a time (the fetcher's gate
        keeps them within the host's politeness). The skips are reported in item order
        afterwards, as a walk one at a time would report them."""
        at_once = min(self.concurrency, len(items))
        if at_once <= 1:
            return [fn(item) for item in items]

        def run(item: _T) -> tuple[_U, list[EpaperSkip]]:
            self._local.skips = []
            try:
                return fn(item), self._local.skips
            finally:
                del self._local.skips

        with ThreadPoolExecutor(at_once, thread_name_prefix="epaper") as threads:
            done = list(threads.map(run, items))
        for _, skips in done:
            for skip in skips:
                self._report(skip)
        return [result for result, _ in done]

    def _report(self, skip: EpaperSkip) -> None:
        if self.on_skip:
            self.on_skip(skip)

    def get(self, url: str, day: date, what: str) -> FetchResult | None:
        result = self.fetcher.fetch(url)
        if result.outcome is Outcome.OK:
            return result
        logger.info("e-paper %s %s skipped: %s", what, url, result.error or result.outcome)
        skip = EpaperSkip(url, day, what, result.outcome, result.status, result.error)
        held = getattr(self._local, "skips", None)
        if held is not None:  # fetched beside others: reported in order by `each`
            held.append(skip)
        else:
            self._report(skip)
        return None

    def index(self, url: str, day: date) -> FetchResult | None:
        index = self.get(url, day, "day")
        refresh = meta_refresh_url(index.text(), url=index.final_url) if index else None
        return self.get(refresh, day, "day") if refresh and index else index

    def day(self, url: str, day: date, max_pages: int) -> Iterator[EpaperArticle]:
        index = self.index(url, day)
        if index is None:
            return
        index_html, index_url = index.text(), index.final_url
        self.skipped = 0
        self.family = self.chosen or choose_family(index_html, index_url)
        self._manifests = {}
        listings = self.from_manifest(index_html, index_url, day)[:max_pages]
        pages = [listing.page for listing in listings]
        if not listings:
            pages = self.pages(index_html, index_url, day)[:max_pages]
            fetched = self.each(lambda page: self.listing(page, day, index_html, index_url),
                                pages)
            listings = [listing for listing in fetched if listing is not None]
        seen: set[str] = set()
        linked: set[str] = set()
        stories: list[tuple[str, PageListing]] = []  # each story once, in page order
        for listing in listings:
            linked.update(map(normalize_url, listing.article_urls + listing.other_links))
            for article_url in listing.article_urls:
                if normalize_url(article_url) not in seen:
                    seen.add(normalize_url(article_url))
                    stories.append((article_url, listing))
        read = self.each(lambda story: self.article(story[0], day, story[1], url), stories)
        yielded = 0
        for article in read:
            if article is not None:
                yielded += 1
                yield article
        if self.on_day:
            self.on_day(EpaperDayWalk(day, index_url, len(pages), len(linked), yielded,
                                      skipped=self.skipped, family=self.family.name))

    def pages(self, index_html: str, index_url: str, day: date) -> list[EpaperPage]:
        """The day's pages its entry page links (other days' left to other walks)."""
        try:
            contents = read_day_index(index_html, url=index_url, family=self.family)
        except Exception as error:  # noqa: BLE001 - a hostile index must not stop the walk
            self.skip("day index", index_url, error)
            contents = DayIndex(())
        self.skipped += contents.skipped
        # Links to other days (the previous and next issue, the archive) belong to other walks.
        if self.family.read_index is not None:
            return [page for page in contents.pages
                    if same_issue(page.url, index_url, day) is not False]
        return [page for page in contents.pages if in_issue(page.url, index_url, day)]

    def from_manifest(self, html: str, url: str, day: date) -> list[PageListing]:
        """The listings of the JSON manifest a (generic) page advertises; [] when there is
        none, it cannot be fetched or it lists no article (the HTML is read instead)."""
        if self.family.read_page is None:
            return []
        try:
            target = manifest_url(html, url, day)
            inline = inline_manifest(html)
            listings = list(read_manifest(inline, url=url, issue=day)) if inline else []
            # Data in the page may be anything (settings, a menu): only stories of the day's
            # date or folder make it the day's manifest.
            if not any(same_issue(link, url, day) for item in listings
                       for link in item.article_urls):
                listings = []
        except Exception as error:  # noqa: BLE001 - a hostile page must not stop the day
            self.skip("manifest", url, error)
            return []
        if listings or target is None:
            return listings
        with self._lock:
            known = self._manifests.get(target)
        if known is None:
            known = self._fetch_manifest(target, url, day)
            with self._lock:
                self._manifests[target] = known
        return known

    def _fetch_manifest(self, target: str, url: str, day: date) -> list[PageListing]:
        result = self.fetcher.fetch(target, accept=JSON_TYPES)
        if result.outcome is not Outcome.OK:
            logger.info("e-paper manifest %s not read: %s", target, result.error)
            return []
        try:
            return list(read_manifest(result.text(), url=url, issue=day))
        except Exception as error:  # noqa: BLE001 - read the HTML instead
            self.skip("manifest", target, error)
            return []

    def skip(self, what: str, url: str, error: Exception) -> None:
        """Count something the parser could not read (it is left out, the walk goes on)."""
        logger.info("e-paper %s %s could not be read: %r", what, url, error)
        with self._lock:
            self.skipped += 1

    def listing(self, page: EpaperPage, day: date, index_html: str, index_url: str
                ) -> PageListing | None:
        """The page's listing (the index is a page too), labelled as the index labels it."""
        same = normalize_url(page.url) == normalize_url(index_url)
        fetched = None if same else self.get(page.url, day, "page")
        if not same and fetched is None:
            return None
        html = index_html if fetched is None else fetched.text()
        try:
            listing = parse_page(html, url=page.url, family=self.family, issue_date=day)
        except Exception as error:  # noqa: BLE001 - one hostile page must not stop the day
            self.skip("page", page.url, error)
            return None
        with self._lock:
            self.skipped += listing.skipped
        listing = replace(listing, page=page) if page.label else listing
        if html is not index_html:  # the entry page's manifest was tried already
            listing = self.page_manifest(listing, html, day) or listing
        return listing

    def page_manifest(self, listing: PageListing, html: str, day: date) -> PageListing | None:
        """The page's listing with the articles of the manifest it advertises, if any."""
        found = self.from_manifest(html, listing.page.url, day)
        if not found:
            return None
        ours = [item for item in found if item.page.number == listing.page.number]
        if not ours and listing.page.number:
            return None  # the manifest says nothing of this page: its own links stand
        ours = ours or found
        urls = tuple(dict.fromkeys(url for item in ours for url in item.article_urls))
        titles = tuple(pair for item in ours for pair in item.titles)
        return replace(listing, article_urls=urls, titles=titles)

    def article(self, url: str, day: date, listing: PageListing, index: str
                ) -> EpaperArticle | None:
        """The story at `url`, or None when it cannot be fetched or read (skipped)."""
        result = self.get(url, day, "article")
        if result is None:
            return None
        try:
            parsed = self.parse(
                decode_body(result.body, content_type=result.content_type),
                url=result.final_url,
                issue_date=day,
                page=listing.page,
                day_url=index,
                family=self.family,
                tz=self.tz,
            )
        except Exception as error:  # noqa: BLE001 - one hostile story must not stop the day
            self.skip("article", url, error)
            return None
        key = normalize_url(url)
        coords = tuple(c for link, c in listing.areas if normalize_url(link) == key)
        listed = next((title for link, title in listing.titles if normalize_url(link) == key), "")
        return replace(parsed, page_image_url=listing.image_url, page_pdf_url=listing.pdf_url,
                       area_coords=coords, page_image_size=listing.image_size,
                       title=parsed.title or listed)


def walk_epaper(
    fetcher: Fetcher,
    pattern: str,
    *,
    start: date,
    end: date,
    family: EpaperFamily | None = None,
    max_pages_per_day: int = 32,
    tz: str = DEFAULT_TZ,
    on_skip: SkipHandler | None = None,
    on_day: DayHandler | None = None,
    concurrency: int = 1,
    parse: ArticleParser = parse_epaper_article,
) -> Iterator[EpaperArticle]:
    """Yield every article of the issues from ``start`` to ``end`` (inclusive), each once.

    ``pattern`` is the day-index URL with ``{yyyy}``, ``{mm}`` and ``{dd}``. A day, page or
    article that cannot be fetched (e.g. 404 for a day without an issue) is logged, passed to
    ``on_skip`` and skipped; the walk goes on. ``on_day`` gets an :class:`EpaperDayWalk` for
    each day whose index was read: a day whose pages link articles but yields none means the
    walker no longer understands the site. A link that is not a URL, and an index, page or
    article the family's parser raises on, are left out and counted in the day's
    ``skipped``; the rest of the day is kept.

    A day's pages, then its stories, are fetched up to ``concurrency`` at a time (the
    fetcher's per-host gate still holds them to the host's limit) and yielded in page order
    all the same. ``parse`` reads each story page: :func:`parse_epaper_article`, or a
    function that runs it elsewhere (a worker process) with the same arguments.
    """
    walker = _Walker(fetcher, family, tz, on_skip, on_day, parse=parse,
                     concurrency=concurrency)
    day = start
    while day <= end:
        yield from walker.day(day_url(pattern, day), day, max_pages_per_day)
        day += timedelta(days=1)
