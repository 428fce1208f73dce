"""Digital editions of newspapers (电子报/数字报), starting with the Founder (方正) family.

An e-paper day has an index (``.../2006-04/25/node_1.htm``) linking the pages (版面), each page
links its articles (``content_123.htm``), and each article page carries its titles, author and
text. :class:`EpaperFamily` holds what differs between publishing systems, so another family is
a small addition; :data:`FOUNDER` is the first one.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import TypeVar
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from scrapers.dates import DEFAULT_TZ, parse_datetime, to_zone
from scrapers.encoding import decode_body
from scrapers.epaper_links import (
    image_map_areas,
    in_issue,
    page_image,
    page_image_size,
    page_pdf,
    url_date,
    without_view_params,
)
from scrapers.epaper_markup import (
    PAGE_LABEL,
    ArticleFields,
    clean,
    founder_fields,
    label_outside_links,
    now_layout,
    split_label,
)
from scrapers.fetch import Fetcher, FetchResult, Outcome
from scrapers.urls import is_malformed_link, meta_refresh_url, normalize_url, resolve_link

logger = logging.getLogger(__name__)

__all__ = [
    "FOUNDER",
    "ArticleFields",
    "DayIndex",
    "EpaperArticle",
    "EpaperDayWalk",
    "EpaperFamily",
    "EpaperPage",
    "EpaperSkip",
    "PageListing",
    "article_titles",
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
class EpaperFamily:
    """How one e-paper publishing system lays out pages and articles."""

    name: str
    page_link: re.Pattern[str]
    article_link: re.Pattern[str]
    parse_fields: Callable[[BeautifulSoup], ArticleFields]
    page_label: re.Pattern[str] = PAGE_LABEL


@dataclass(frozen=True, slots=True)
class EpaperPage:
    """One page (版面) of an issue, e.g. number 2, name 要闻, label 第02版：要闻."""

    url: str
    number: int
    name: str
    label: str


@dataclass(frozen=True, slots=True)
class PageListing:
    """A page and the article URLs it links, in page order."""

    page: EpaperPage
    article_urls: tuple[str, ...]
    other_links: tuple[str, ...] = ()  # article-like links outside the issue (footer, other days)
    image_url: str | None = None
    pdf_url: str | None = None
    areas: tuple[tuple[str, str], ...] = ()  # (article URL, coords) of the image map
    image_size: tuple[int, int] | None = None  # the size shown, which the map is drawn for
    # Article links that cannot be read as a URL at all (``http://[::1/content_1.htm``): left
    # out and counted, for the source's health page.
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class DayIndex:
    """The pages an issue's index links, and how many page links could not be read."""

    pages: tuple[EpaperPage, ...]
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class EpaperArticle:
    """One article of an e-paper issue."""

    url: str
    issue_date: date
    page_number: int
    page_name: str
    page_label: str
    intro_title: str
    title: str
    subtitle: str
    author: str
    published_at: datetime
    body: str
    day_url: str | None = None
    page_url: str | None = None
    page_image_url: str | None = None
    page_pdf_url: str | None = None
    area_coords: tuple[str, ...] = ()  # its outlines on the page image
    page_image_size: tuple[int, int] | None = None  # the size the map is drawn for
    source_credit: str = ""  # the outlet its 来源 line credits (a reprint's origin)


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

    @property
    def unread(self) -> bool:
        """True when the pages link articles but none could be read (a layout not understood)."""
        return self.article_links > 0 and self.articles == 0


FOUNDER = EpaperFamily(
    name="founder",
    page_link=re.compile(r"node_\d+\.html?$"),
    article_link=re.compile(r"content_[\d_]+\.html?$"),
    parse_fields=founder_fields,
)


def day_url(pattern: str, day: date) -> str:
    """Fill ``{yyyy}``, ``{mm}``, ``{dd}`` (and ``{yy}``, ``{m}``, ``{d}``) in ``pattern``."""
    return pattern.format(
        yyyy=f"{day.year:04d}",
        yy=f"{day.year % 100:02d}",
        mm=f"{day.month:02d}",
        dd=f"{day.day:02d}",
        m=str(day.month),
        d=str(day.day),
    )


def _links(soup: BeautifulSoup, url: str, pattern: re.Pattern[str]) -> list[tuple[str, Tag]]:
    """Resolved ``<a>``/``<area>`` targets whose path matches ``pattern``, deduplicated."""
    found: dict[str, tuple[str, Tag]] = {}
    for node in soup.find_all(["a", "area"], href=True):
        target = resolve_link(node.get("href"), url)
        if target and pattern.search(urlsplit(target).path):
            target = without_view_params(target)
            found.setdefault(normalize_url(target), (target, node))
    return list(found.values())


def _malformed_links(soup: BeautifulSoup, url: str, pattern: re.Pattern[str]) -> int:
    """How many ``<a>``/``<area>`` links look like ``pattern``'s kind (their path ends like
    one) but cannot be resolved into a URL at all; each distinct link once."""
    bad: set[str] = set()
    for node in soup.find_all(["a", "area"], href=True):
        href = node.get("href")
        if (isinstance(href, str) and pattern.search(href.split("?", 1)[0].split("#", 1)[0])
                and is_malformed_link(href, url)):
            bad.add(href.strip())
    return len(bad)


def _page_from(url: str, label: str, family: EpaperFamily, fallback_number: int) -> EpaperPage:
    parts = split_label(label, family.page_label)
    number, name = parts if parts else (fallback_number, "")
    return EpaperPage(url=url, number=number, name=name, label=clean(label) if parts else "")


def _number_in_url(url: str) -> int:
    match = re.search(r"(\d+)\D*$", url.split("?", 1)[0])
    return int(match.group(1)) if match else 1


def _page_labels(soup: BeautifulSoup, url: str, family: EpaperFamily) -> dict[str, str]:
    """Each page a day index links, with its best label: a page is often linked several times
    ("下一版", the image map, the page list), and only some of the links carry 第02版：要闻."""
    labels: dict[str, str] = {}
    for node in soup.find_all(["a", "area"], href=True):
        target = resolve_link(node.get("href"), url)
        if not target or not family.page_link.search(target.split("?", 1)[0]):
            continue
        label = clean(node.get_text()) or str(node.get("title") or node.get("alt") or "")
        known = labels.get(target)
        if known is None or (not family.page_label.search(known)
                             and family.page_label.search(label)):
            labels[target] = label
    return labels


def parse_day_index(
    html: str, *, url: str, family: EpaperFamily = FOUNDER
) -> tuple[EpaperPage, ...]:
    """The pages (版面) an issue's index links, numbered and named from labels like 第02版：要闻
    or 01版：要闻."""
    return read_day_index(html, url=url, family=family).pages


def read_day_index(html: str, *, url: str, family: EpaperFamily = FOUNDER) -> DayIndex:
    """:func:`parse_day_index` with the count of page links that are not URLs at all."""
    soup = BeautifulSoup(html, "lxml")
    pages: list[EpaperPage] = []
    for target, label in _page_labels(soup, url, family).items():
        pages.append(_page_from(target, label, family, _number_in_url(target)))
    if not any(normalize_url(page.url) == normalize_url(url) for page in pages):
        own = parse_page(html, url=url, family=family).page
        pages.insert(0, own)
    return DayIndex(tuple(sorted(pages, key=lambda page: page.number)),
                    skipped=_malformed_links(soup, url, family.page_link))


def _own_label(soup: BeautifulSoup, url: str, family: EpaperFamily) -> str:
    """This page's label: ``nowLayout``, else a link to itself, else label text outside links."""
    current = now_layout(soup)
    if current and split_label(current, family.page_label):
        return current
    key = normalize_url(url)
    for target, node in _links(soup, url, family.page_link):
        if normalize_url(target) == key and family.page_label.search(node.get_text()):
            return clean(node.get_text())
    return label_outside_links(soup, family.page_label)


def parse_page(html: str, *, url: str, family: EpaperFamily = FOUNDER,
               issue_date: date | None = None) -> PageListing:
    """A page's own number/name, the article URLs of its issue it links (image map and title
    list, each story once) and its page image, PDF and image-map areas.

    ``issue_date`` defaults to the date in ``url``; article-like links of other days or
    outside the issue (a footer) go to ``other_links``.
    """
    soup = BeautifulSoup(html, "lxml")
    page = _page_from(url, _own_label(soup, url, family), family, _number_in_url(url))
    issue = issue_date or url_date(url)
    ours: list[str] = []
    others: list[str] = []
    for target, _node in _links(soup, url, family.article_link):
        (ours if in_issue(target, url, issue) else others).append(target)
    return PageListing(page=page, article_urls=tuple(ours), other_links=tuple(others),
                       image_url=page_image(soup, url), pdf_url=page_pdf(soup, url, page.number),
                       areas=image_map_areas(soup, url, family.article_link),
                       image_size=page_image_size(soup),
                       skipped=_malformed_links(soup, url, family.article_link))


def article_titles(html: str, *, url: str, family: EpaperFamily = FOUNDER,
                   issue_date: date | None = None) -> tuple[tuple[str, str], ...]:
    """(URL, title) of each article of the issue a page links, once each (the image map's
    ``?div=`` links folded in), the title being the longest link text; footer links and other
    days' articles are left out."""
    soup = BeautifulSoup(html, "lxml")
    issue = issue_date or url_date(url)
    titles: dict[str, str] = {}
    for node in soup.find_all(["a", "area"], href=True):
        target = resolve_link(node.get("href"), url)
        if not target or not family.article_link.search(urlsplit(target).path):
            continue
        target = without_view_params(target)
        if not in_issue(target, url, issue):
            continue
        text = clean(node.get_text()) or str(node.get("title") or node.get("alt") or "")
        if target not in titles or len(text) > len(titles[target]):
            titles[target] = text
    return tuple(titles.items())


def _issue_date(fields: ArticleFields, url: str, tz: str) -> date | None:
    when = parse_datetime(fields.date_text, tz=tz) if fields.date_text else None
    return when.date() if when else url_date(url)


def parse_epaper_article(
    html: str,
    *,
    url: str,
    issue_date: date | None = None,
    page: EpaperPage | None = None,
    day_url: str | None = None,
    family: EpaperFamily = FOUNDER,
    tz: str = DEFAULT_TZ,
) -> EpaperArticle:
    """Parse one e-paper article page without the network.

    ``issue_date`` and ``page`` come from the walk when known; otherwise they are read from
    the article (enpproperty date, ``nowLayout``, 第NN版 label) or its URL. Raises ValueError
    if no issue date can be found at all.
    """
    fields = family.parse_fields(BeautifulSoup(html, "lxml"))
    issue = issue_date or _issue_date(fields, url, tz)
    if issue is None:
        raise ValueError(f"no issue date for e-paper article {url}")
    page_url = page.url if page else None
    if page is None:
        page = _page_from(url, fields.page_label, family, 0)
        if not page.label and fields.page_label:
            page = EpaperPage(url=url, number=0, name=fields.page_label, label="")
    published = parse_datetime(fields.date_text, tz=tz) if fields.date_text else None
    if published is None or published.date() != issue:
        published = datetime.combine(issue, time(0, 0), tzinfo=to_zone(tz))
    return EpaperArticle(
        url=url,
        issue_date=issue,
        page_number=page.number,
        page_name=page.name,
        page_label=page.label,
        intro_title=fields.intro_title,
        title=fields.title,
        subtitle=fields.subtitle,
        author=fields.author,
        published_at=published,
        body=fields.body,
        day_url=day_url,
        page_url=page_url,
        source_credit=fields.source,
    )


SkipHandler = Callable[[EpaperSkip], None]
DayHandler = Callable[[EpaperDayWalk], None]
# How a walk parses an article page: parse_epaper_article, or something that runs it elsewhere
# (in a worker process) with the same arguments.
ArticleParser = Callable[..., EpaperArticle]
_T = TypeVar("_T")
_U = TypeVar("_U")


class _Walker:
    """One walk over a date range; keeps the options together."""

    def __init__(self, fetcher: Fetcher, family: EpaperFamily, tz: str,
                 on_skip: SkipHandler | None, on_day: DayHandler | None, *,
                 parse: ArticleParser = parse_epaper_article, concurrency: int = 1) -> None:
        self.fetcher, self.family, self.tz = fetcher, family, tz
        self.on_skip, self.on_day = on_skip, on_day
        self.parse, self.concurrency = parse, max(1, concurrency)
        self.skipped = 0  # of the day being walked (see EpaperDayWalk.skipped)
        self._lock = threading.Lock()  # the counters, when pages are fetched at once
        self._local = threading.local()  # the skips of the item a thread is on

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
        try:
            contents = read_day_index(index_html, url=index_url, family=self.family)
        except Exception as error:  # noqa: BLE001 - a hostile index must not stop the walk
            self.skip("day index", index_url, error)
            contents = DayIndex(())
        self.skipped += contents.skipped
        # Links to other days (the previous and next issue, the archive) belong to other walks.
        pages = [page for page in contents.pages if in_issue(page.url, index_url, day)]
        pages = pages[:max_pages]
        seen: set[str] = set()
        linked: set[str] = set()
        stories: list[tuple[str, PageListing]] = []  # each story once, in page order
        listings = self.each(lambda page: self.listing(page, day, index_html, index_url), pages)
        for listing in listings:
            if listing is None:
                continue
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
                                      skipped=self.skipped))

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
        return replace(listing, page=page) if page.label else listing

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
        return replace(parsed, page_image_url=listing.image_url, page_pdf_url=listing.pdf_url,
                       area_coords=coords, page_image_size=listing.image_size)


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
    walker = _Walker(fetcher, family or FOUNDER, tz, on_skip, on_day, parse=parse,
                     concurrency=concurrency)
    day = start
    while day <= end:
        yield from walker.day(day_url(pattern, day), day, max_pages_per_day)
        day += timedelta(days=1)
