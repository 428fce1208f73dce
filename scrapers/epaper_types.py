"""What an e-paper reader works with: a publishing system (:class:`EpaperFamily`), a page
(版面) of an issue, what a page links, and what a day index links.

A family reads a day index and a page either by its link patterns (the Founder family:
``node_N.htm`` pages, ``content_N.htm`` articles) or by its own readers (the generic family
of :mod:`scrapers.epaper_generic`, which finds pages and articles by their place on the page).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bs4 import BeautifulSoup

from scrapers.epaper_markup import PAGE_LABEL, ArticleFields, founder_fields

__all__ = ["FOUNDER", "NEVER", "DayIndex", "EpaperFamily", "EpaperPage", "IndexReader",
           "PageListing", "PageReader"]

NEVER = re.compile(r"(?!)")  # the link pattern of a family that reads pages its own way


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
    # (article URL, title) as the page or a day manifest lists them: the title an article
    # keeps when its own page shows none.
    titles: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class DayIndex:
    """The pages an issue's index links, and how many page links could not be read."""

    pages: tuple[EpaperPage, ...]
    skipped: int = 0


# (html, url of the page) -> the day's pages; (html, url, issue date) -> the page's listing.
IndexReader = Callable[[str, str], DayIndex]
PageReader = Callable[[str, str, "date | None"], PageListing]


@dataclass(frozen=True, slots=True)
class EpaperFamily:
    """How one e-paper publishing system lays out pages and articles."""

    name: str
    page_link: re.Pattern[str]
    article_link: re.Pattern[str]
    parse_fields: Callable[[BeautifulSoup], ArticleFields]
    page_label: re.Pattern[str] = PAGE_LABEL
    # A family that finds pages and articles otherwise than by link patterns reads them here.
    read_index: IndexReader | None = None
    read_page: PageReader | None = None


FOUNDER = EpaperFamily(
    name="founder",
    page_link=re.compile(r"node_\d+\.html?$"),
    article_link=re.compile(r"content_[\d_]+\.html?$"),
    parse_fields=founder_fields,
)
