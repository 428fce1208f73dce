"""Proposing a source from a pasted URL: pure inference on a page's HTML (no network here).

Three kinds of proposal, tried on the fetched page:

* a feed: the URL is itself a feed, or the page advertises one with
  ``<link rel="alternate" type="application/rss+xml|atom+xml">``;
* a Founder (方正) e-paper: a URL like ``.../html/2006-04/25/node_1.htm`` becomes the pattern
  ``.../html/{yyyy}-{mm}/{dd}/node_1.htm``, confirmed by the page's 版面 links;
* another e-paper: a day page whose URL holds the date (``…/2024-05-12/index.html``,
  ``…/20240512/``) and that links two or more pages by their labels (``A01版``, ``第02版：要闻``)
  or advertises a JSON manifest of the day;
* a list page (栏目页): the best list of links whose texts look like headlines and whose URLs
  share a shape, that a short selector captures, gives a CSS link selector
  (`scrapers.listselect`); a 下一页 link gives the next-page selector.

Each proposal carries the articles a fetch would find (title, date, page), for the preview.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from scrapers.epaper import FOUNDER, article_titles, parse_day_index
from scrapers.epaper_generic import generic_index, generic_page, is_founder
from scrapers.epaper_manifest import manifest_url
from scrapers.feeds import parse_feed
from scrapers.listpages import parse_list_page
from scrapers.listselect import (
    NEXT_TEXTS,
    classes,
    infer_selector,
    is_next_link,
    step,
    text_of,
)
from scrapers.urls import normalize_url, resolve_link

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
FEED_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b",
                        re.S | re.I)
# A Founder day index: .../2006-04/25/node_1.htm (also 200604/25 and 2006-04-25 forms).
EPAPER_DATE = re.compile(r"/(\d{4})(-?)(\d{2})([/-])(\d{2})/(node_[^/]+\.html?)$")
# Any other day page: the date in its path or query (2024-05-12, 2024-05/12, 20240512 …).
ANY_DATE = re.compile(r"(?<=[/=_-])(\d{4})([-_/]?)(\d{2})(\2|/)(\d{2})(?!\d)")
MIN_GENERIC_PAGES = 2  # labelled page links that make a dated page an e-paper's


@dataclass(frozen=True, slots=True)
class PreviewItem:
    """An article the proposed source would fetch."""

    title: str
    url: str
    published: date | datetime | None = None
    page: str = ""


@dataclass
class Proposal:
    """A source the app could save: its type, URL (or pattern) and selectors, and a preview."""

    type: str
    url: str
    selectors: dict[str, str] = field(default_factory=dict)
    items: list[PreviewItem] = field(default_factory=list)
    note: str = ""
    pages: list[str] = field(default_factory=list)


def page_title(html: str) -> str:
    """The text of a page's <title>, whitespace collapsed."""
    title = BeautifulSoup(html, "lxml").find("title")
    return " ".join(title.get_text().split()) if isinstance(title, Tag) else ""


# --- feeds -------------------------------------------------------------------------------------

def is_feed(body: bytes, content_type: str | None = None) -> bool:
    """True when the response is an RSS/Atom feed (by its type or its first element)."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime in FEED_TYPES:
        return True
    return bool(FEED_START.match(body[:2048]))


def feed_links(html: str, url: str) -> list[str]:
    """The feeds a page advertises with ``<link rel="alternate" type="…rss+xml|atom+xml">``."""
    soup = BeautifulSoup(html, "lxml")
    found: list[str] = []
    for link in soup.find_all("link", href=True):
        rel = link.get("rel")
        rels = [r.lower() for r in (rel if isinstance(rel, list) else str(rel or "").split())]
        kind = str(link.get("type") or "").split(";", 1)[0].strip().lower()
        target = resolve_link(link.get("href"), url)
        if "alternate" in rels and kind in FEED_TYPES and target and target not in found:
            found.append(target)
    return found


# --- e-papers ----------------------------------------------------------------------------------

def epaper_pattern(url: str) -> str | None:
    """The day-index pattern of a Founder e-paper URL, e.g. ``…/html/2006-04/25/node_1.htm`` →
    ``…/html/{yyyy}-{mm}/{dd}/node_1.htm``; None when the URL does not look like one."""
    parts = urlsplit(url)
    match = EPAPER_DATE.search(parts.path)
    if not match:
        return None
    _year, dash, _month, sep, _day, node = match.groups()
    path = parts.path[:match.start()] + f"/{{yyyy}}{dash}{{mm}}{sep}{{dd}}/{node}"
    return parts._replace(path=path, fragment="").geturl()


def epaper_date(url: str) -> date | None:
    """The issue date in a Founder day-index URL."""
    match = EPAPER_DATE.search(urlsplit(url).path)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(3)), int(match.group(5)))
    except ValueError:
        return None


def day_index_links(html: str, url: str) -> list[str]:
    """Links to e-paper day indexes on a page (an archive, 往期回顾), the latest day first."""
    soup = BeautifulSoup(html, "lxml")
    found: dict[str, date] = {}
    for node in soup.find_all(["a", "area"], href=True):
        target = resolve_link(node.get("href"), url)
        day = epaper_date(target) if target else None
        if target and day:
            found.setdefault(target, day)
    return sorted(found, key=lambda target: found[target], reverse=True)


def propose_epaper(html: str, url: str) -> Proposal | None:
    """An e-paper proposal when the URL has a Founder date path and the page links 版面, or
    (another system's e-paper) a date and labelled page links or a day manifest."""
    pattern = epaper_pattern(url)
    issue = epaper_date(url)
    if pattern is None or issue is None:
        return propose_generic_epaper(html, url)
    pages = parse_day_index(html, url=url, family=FOUNDER)
    labelled = [page for page in pages if page.label]
    if not labelled:
        return None
    own = next((p.label for p in labelled if normalize_url(p.url) == normalize_url(url)), "")
    items = [PreviewItem(title=text, url=target, published=issue, page=own)
             for target, text in article_titles(html, url=url, issue_date=issue)]
    return Proposal(type="epaper", url=pattern, items=items,
                    pages=[page.label for page in labelled])


def generic_epaper_pattern(url: str) -> tuple[str, date] | None:
    """The day-page pattern and issue date of a URL holding a date anywhere in its path or
    query (``…/2024-05-12/index.html`` → ``…/{yyyy}-{mm}-{dd}/index.html``), or None."""
    parts = urlsplit(url)
    tail = urlunsplit(("", "", parts.path, parts.query, ""))
    match = ANY_DATE.search(tail)
    if match is None or "{" in url or "}" in url:
        return None
    try:
        issue = date(int(match[1]), int(match[3]), int(match[5]))
    except ValueError:
        return None
    filled = f"{{yyyy}}{match[2]}{{mm}}{match[4]}{{dd}}"
    return f"{parts.scheme}://{parts.netloc}{tail[:match.start()]}{filled}{tail[match.end():]}", \
        issue


def propose_generic_epaper(html: str, url: str) -> Proposal | None:
    """An e-paper proposal for a dated day page of a system that is not Founder's: it links
    two or more pages by their labels, or advertises a JSON manifest of the day."""
    found = generic_epaper_pattern(url)
    if found is None or is_founder(html, url):
        return None
    pattern, issue = found
    labelled = [page for page in generic_index(html, url).pages if page.label]
    if len(labelled) < MIN_GENERIC_PAGES and manifest_url(html, url, issue) is None:
        return None
    listing = generic_page(html, url, issue)
    items = [PreviewItem(title=title, url=target, published=issue, page=listing.page.label)
             for target, title in listing.titles]
    return Proposal(type="epaper", url=pattern, items=items,
                    pages=[page.label for page in labelled])


# --- list pages --------------------------------------------------------------------------------

def infer_link_selector(html: str, url: str) -> str | None:
    """A CSS selector for the article links of a list page, or None when no group of links
    looks like a list of headlines (see `scrapers.listselect`)."""
    return infer_selector(BeautifulSoup(html, "lxml"), url)


def infer_next_selector(html: str) -> str | None:
    """A selector for the 下一页 link of a list page, or None when there is none."""
    return _infer_next(BeautifulSoup(html, "lxml"))


def _infer_next(soup: BeautifulSoup) -> str | None:
    anchor = next((a for a in soup.find_all("a", href=True) if is_next_link(a)), None)
    if anchor is None:
        return None
    # A selector by position or shared class alone (``div.pages a``) matches the 下一页 link on
    # the first page only: from page 2 on, the 上一页 link comes first. Such selectors are used
    # only when the anchor's own id or class names it as the next link; else the selector pins
    # its title or its text.
    candidates = []
    if _names_next(anchor):
        parent = anchor.parent if isinstance(anchor.parent, Tag) else None
        candidates.append(step(anchor))
        if parent is not None and parent.name != "body":
            candidates.append(f"{step(parent)} {step(anchor)}")
    title = str(anchor.get("title") or "")
    if title in NEXT_TEXTS:
        candidates.append(f'a[title="{title}"]')
    candidates.append(f'a:-soup-contains("{text_of(anchor)}")')
    for selector in candidates:
        if selector != "a" and _first_is(soup, selector, anchor):
            return selector
    return None


def _names_next(anchor: Tag) -> bool:
    """True when the anchor's id or a class says it is the next-page link (``a.next``)."""
    names = [str(anchor.get("id") or ""), *classes(anchor)]
    return any(hint in name.lower() for name in names for hint in ("next", "nxt"))


def _first_is(soup: BeautifulSoup, selector: str, node: Tag) -> bool:
    try:
        found = soup.select(selector)
    except ValueError:
        return False
    return len(found) == 1 and found[0] is node


def propose_list_page(html: str, url: str, *, tz: str = "Asia/Shanghai",
                      now: datetime | None = None) -> Proposal | None:
    """A list-page proposal with the inferred link and next-page selectors, or None."""
    soup = BeautifulSoup(html, "lxml")
    link_selector = infer_selector(soup, url)
    if link_selector is None:
        return None
    selectors = {"link_selector": link_selector}
    next_selector = _infer_next(soup)
    if next_selector:
        selectors["next_selector"] = next_selector
    page = parse_list_page(html, url=url, link_selector=link_selector,
                           next_selector=next_selector, tz=tz, now=now)
    items = [PreviewItem(title=item.title, url=item.url, published=item.published_at)
             for item in page.links]
    return Proposal(type="html", url=url, selectors=selectors, items=items,
                    note=page.next_url or "")


def propose_feed(feed_url: str, body: bytes, headers: dict[str, Any] | None = None,
                 *, tz: str = "Asia/Shanghai") -> Proposal:
    """A feed proposal with the entries the feed lists now."""
    result = parse_feed(body, headers=headers, url=feed_url, tz=tz)
    items = [PreviewItem(title=entry.title, url=entry.url or "", published=entry.published_at,
                         page=", ".join(entry.categories[:1]))
             for entry in result.entries]
    return Proposal(type="rss", url=feed_url, items=items, note=result.title)
