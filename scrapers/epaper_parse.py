"""Reading e-paper pages without the network: a day index's pages (版面), a page's articles,
an article page's fields. A family (:class:`~scrapers.epaper_types.EpaperFamily`) says how:
the Founder (方正) family by its ``node_N``/``content_N`` links, the generic one
(:mod:`scrapers.epaper_generic`) by where pages and articles sit on the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from scrapers.dates import DEFAULT_TZ, parse_datetime, to_zone
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
    ArticleFields,
    clean,
    label_outside_links,
    now_layout,
    split_label,
)
from scrapers.epaper_types import FOUNDER, DayIndex, EpaperFamily, EpaperPage, PageListing
from scrapers.urls import is_malformed_link, normalize_url, resolve_link

__all__ = [
    "FOUNDER",
    "ArticleFields",
    "DayIndex",
    "EpaperArticle",
    "EpaperFamily",
    "EpaperPage",
    "PageListing",
    "article_titles",
    "day_url",
    "in_issue",
    "parse_day_index",
    "parse_epaper_article",
    "parse_page",
    "read_day_index",
    "url_date",
]



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
    if family.read_index is not None:
        return family.read_index(html, url)
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
    if family.read_page is not None:
        return family.read_page(html, url, issue_date)
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
