"""Digital editions of newspapers (电子报/数字报), starting with the Founder (方正) family.

An e-paper day has an index (``.../2006-04/25/node_1.htm``) linking the pages (版面), each page
links its articles (``content_123.htm``), and each article page carries its titles, author and
text. :class:`EpaperFamily` holds what differs between publishing systems, so another family is
a small addition; :data:`FOUNDER` is the first one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bs4 import BeautifulSoup, Comment, Tag

from scrapers.dates import DEFAULT_TZ, parse_datetime, to_zone
from scrapers.encoding import decode_body
from scrapers.fetch import Fetcher, FetchResult, Outcome
from scrapers.urls import meta_refresh_url, normalize_url, resolve_link

logger = logging.getLogger(__name__)

__all__ = [
    "FOUNDER",
    "ArticleFields",
    "EpaperArticle",
    "EpaperFamily",
    "EpaperPage",
    "EpaperSkip",
    "PageListing",
    "day_url",
    "parse_day_index",
    "parse_epaper_article",
    "parse_page",
    "walk_epaper",
]

_PAGE_LABEL = re.compile(r"第\s*([A-Za-z]?\d+)\s*版\s*[:：]?\s*([^\s<>()（）]*)")
_URL_DATE = re.compile(r"(\d{4})-?(\d{2})[/-]?(\d{2})(?=/)")
_ENP_BLOCK = re.compile(r"enpproperty(.*?)/?enpproperty", re.S)
_ENP_FIELD = re.compile(r"<(\w+)>(.*?)</\1>", re.S)


@dataclass(frozen=True, slots=True)
class ArticleFields:
    """What a family's article parser reads from one article page; empty strings if absent."""

    intro_title: str = ""
    title: str = ""
    subtitle: str = ""
    author: str = ""
    date_text: str = ""
    page_label: str = ""
    body: str = ""


@dataclass(frozen=True, slots=True)
class EpaperFamily:
    """How one e-paper publishing system lays out pages and articles."""

    name: str
    page_link: re.Pattern[str]
    article_link: re.Pattern[str]
    parse_fields: Callable[[BeautifulSoup], ArticleFields]
    page_label: re.Pattern[str] = _PAGE_LABEL


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


@dataclass(frozen=True, slots=True)
class EpaperSkip:
    """Something :func:`walk_epaper` could not fetch and skipped (a missing day, a dead page)."""

    url: str
    issue_date: date
    what: str
    outcome: Outcome
    status: int | None
    error: str | None


def _clean(text: str) -> str:
    return " ".join(text.replace("\u3000", " ").split())


def _split_label(label: str, family: EpaperFamily) -> tuple[int, str] | None:
    match = family.page_label.search(label)
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(1))
    return int(digits), match.group(2).strip()


def _enpproperty(soup: BeautifulSoup) -> dict[str, str]:
    for comment in soup.find_all(string=lambda node: isinstance(node, Comment)):
        block = _ENP_BLOCK.search(str(comment))
        if block:
            return {key.lower(): _clean(value) for key, value in _ENP_FIELD.findall(block[1])}
    return {}


def _paragraphs(node: Tag) -> str:
    paragraphs = [_clean(p.get_text()) for p in node.find_all("p")]
    if not any(paragraphs):
        paragraphs = [_clean(line) for line in node.get_text("\n").splitlines()]
    return "\n".join(text for text in paragraphs if text)


def _row_text(row: Tag | None) -> str:
    text = _clean(row.get_text()) if isinstance(row, Tag) else ""
    return text if len(text) <= 80 else ""


def _founder_visible(soup: BeautifulSoup) -> tuple[str, str, str]:
    """引题/主题/副题 from the table rows around <founder-title>."""
    title_node = soup.find("founder-title")
    if not isinstance(title_node, Tag):
        heading = soup.find(["h1", "h2"]) or soup.find("title")
        return "", _clean(heading.get_text()) if isinstance(heading, Tag) else "", ""
    row = title_node.find_parent("tr")
    if not isinstance(row, Tag):
        return "", _clean(title_node.get_text()), ""
    intro = _row_text(row.find_previous_sibling("tr"))
    subtitle = _row_text(row.find_next_sibling("tr"))
    return intro, _clean(title_node.get_text()), subtitle


def _tag_text(soup: BeautifulSoup, name: str) -> str:
    node = soup.find(name)
    return _clean(node.get_text()) if isinstance(node, Tag) else ""


def _founder_fields(soup: BeautifulSoup) -> ArticleFields:
    """Read a Founder article: the enpproperty comment first, visible markup as fallback."""
    enp = _enpproperty(soup)
    intro, title, subtitle = _founder_visible(soup)
    content = soup.find("founder-content") or soup.find(id="ozoom")
    label = _label_outside_links(soup, _PAGE_LABEL)
    return ArticleFields(
        intro_title=enp.get("introtitle") or intro,
        title=enp.get("title") or title,
        subtitle=enp.get("subtitle") or subtitle,
        author=enp.get("author") or _tag_text(soup, "founder-author"),
        date_text=enp.get("date", ""),
        page_label=label or enp.get("nodename", ""),
        body=_paragraphs(content) if isinstance(content, Tag) else "",
    )


FOUNDER = EpaperFamily(
    name="founder",
    page_link=re.compile(r"node_\d+\.html?$"),
    article_link=re.compile(r"content_[\d_]+\.html?$"),
    parse_fields=_founder_fields,
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
        if target and pattern.search(target.split("?", 1)[0]):
            found.setdefault(normalize_url(target), (target, node))
    return list(found.values())


def _page_from(url: str, label: str, family: EpaperFamily, fallback_number: int) -> EpaperPage:
    parts = _split_label(label, family)
    number, name = parts if parts else (fallback_number, "")
    return EpaperPage(url=url, number=number, name=name, label=_clean(label) if parts else "")


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
        label = _clean(node.get_text()) or str(node.get("title") or node.get("alt") or "")
        known = labels.get(target)
        if known is None or (not family.page_label.search(known)
                             and family.page_label.search(label)):
            labels[target] = label
    return labels


def parse_day_index(
    html: str, *, url: str, family: EpaperFamily = FOUNDER
) -> tuple[EpaperPage, ...]:
    """The pages (版面) an issue's index links, numbered and named from labels like 第02版：要闻."""
    soup = BeautifulSoup(html, "lxml")
    pages: list[EpaperPage] = []
    for target, label in _page_labels(soup, url, family).items():
        pages.append(_page_from(target, label, family, _number_in_url(target)))
    if not any(normalize_url(page.url) == normalize_url(url) for page in pages):
        own = parse_page(html, url=url, family=family).page
        pages.insert(0, own)
    return tuple(sorted(pages, key=lambda page: page.number))


def _label_outside_links(soup: BeautifulSoup, pattern: re.Pattern[str]) -> str:
    """The first page label printed as plain text (not inside a link to another page)."""
    for text in soup.find_all(string=pattern):
        if text.find_parent(["a", "script", "style", "title"]) is None:
            match = pattern.search(str(text))
            if match:
                return match.group(0)
    return ""


def _own_label(soup: BeautifulSoup, url: str, family: EpaperFamily) -> str:
    """This page's label: from a link to itself, else from label text outside links."""
    key = normalize_url(url)
    for target, node in _links(soup, url, family.page_link):
        if normalize_url(target) == key and family.page_label.search(node.get_text()):
            return _clean(node.get_text())
    return _label_outside_links(soup, family.page_label)


def parse_page(html: str, *, url: str, family: EpaperFamily = FOUNDER) -> PageListing:
    """A page's own number/name and the article URLs it links (image map and title list)."""
    soup = BeautifulSoup(html, "lxml")
    page = _page_from(url, _own_label(soup, url, family), family, _number_in_url(url))
    articles = tuple(target for target, _node in _links(soup, url, family.article_link))
    return PageListing(page=page, article_urls=articles)


def _issue_date(fields: ArticleFields, url: str, tz: str) -> date | None:
    when = parse_datetime(fields.date_text, tz=tz) if fields.date_text else None
    if when:
        return when.date()
    match = _URL_DATE.search(url)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    return None


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
    the article (enpproperty date, 第NN版 label) or its URL. Raises ValueError if no issue date
    can be found at all.
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
    )


SkipHandler = Callable[[EpaperSkip], None]


class _Walker:
    """One walk over a date range; keeps the options together."""

    def __init__(
        self, fetcher: Fetcher, family: EpaperFamily, tz: str, on_skip: SkipHandler | None
    ) -> None:
        self.fetcher, self.family, self.tz, self.on_skip = fetcher, family, tz, on_skip

    def get(self, url: str, day: date, what: str) -> FetchResult | None:
        result = self.fetcher.fetch(url)
        if result.outcome is Outcome.OK:
            return result
        logger.info("e-paper %s %s skipped: %s", what, url, result.error or result.outcome)
        if self.on_skip:
            skip = EpaperSkip(url, day, what, result.outcome, result.status, result.error)
            self.on_skip(skip)
        return None

    def day(self, url: str, day: date, max_pages: int) -> Iterator[EpaperArticle]:
        index = self.get(url, day, "day")
        refresh = meta_refresh_url(index.text(), url=index.final_url) if index else None
        if refresh and index:
            index = self.get(refresh, day, "day")
        if index is None:
            return
        index_html = index.text()
        # An issue's pages and articles live in its own folder; links elsewhere (the previous
        # and next issue, the archive) belong to other days.
        folder = _folder(index.final_url)
        pages = [page for page in parse_day_index(index_html, url=index.final_url,
                                                  family=self.family)
                 if _folder(page.url) == folder]
        seen: set[str] = set()
        for page in pages[:max_pages]:
            same = normalize_url(page.url) == normalize_url(index.final_url)
            fetched = None if same else self.get(page.url, day, "page")
            if not same and fetched is None:
                continue
            html = index_html if fetched is None else fetched.text()
            listing = parse_page(html, url=page.url, family=self.family)
            for article_url in listing.article_urls:
                if _folder(article_url) != folder:
                    continue
                if normalize_url(article_url) not in seen:
                    seen.add(normalize_url(article_url))
                    yield from self.article(article_url, day, page, url)

    def article(self, url: str, day: date, page: EpaperPage, index: str) -> Iterator[EpaperArticle]:
        result = self.get(url, day, "article")
        if result is None:
            return
        yield parse_epaper_article(
            decode_body(result.body, content_type=result.content_type),
            url=result.final_url,
            issue_date=day,
            page=page,
            day_url=index,
            family=self.family,
            tz=self.tz,
        )


def _folder(url: str) -> str:
    return normalize_url(url).rsplit("/", 1)[0]


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
) -> Iterator[EpaperArticle]:
    """Yield every article of the issues from ``start`` to ``end`` (inclusive).

    ``pattern`` is the day-index URL with ``{yyyy}``, ``{mm}`` and ``{dd}``. A day, page or
    article that cannot be fetched (e.g. 404 for a day without an issue) is logged, passed to
    ``on_skip`` and skipped; the walk goes on.
    """
    walker = _Walker(fetcher, family or FOUNDER, tz, on_skip)
    day = start
    while day <= end:
        yield from walker.day(day_url(pattern, day), day, max_pages_per_day)
        day += timedelta(days=1)
